"""A webhook receiver that verifies every delivery with the Standard Webhooks reference library
(the `standardwebhooks` package, pinned in local/requirements.txt), never with Keyward's code.

For a developer, with `make run` (which allows endpoints on loopback addresses):

    .venv/bin/python local/webhook_receiver.py --port 8787 --secret whsec_...

prints each event it receives and whether its signature verifies. Register it first with
{"url": "http://127.0.0.1:8787/", ...} and pass the secret the registration answered.

The integration tests drive it through two routes of its own: POST /_control sets the secret and
a plan (what to answer to each next delivery: "200", "500", "timeout", "close"), and optionally
"secrets", more secrets to verify each delivery with, one at a time, as receivers that each hold
one of them would; GET /_log answers every delivery it saw: its webhook-id, whether the library
verified it (and "verifiedEach", one answer per secret of "secrets"), what it answered and the
body.
"""
import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

STATE = {"secret": None, "secrets": [], "plan": [], "log": [], "timeout_seconds": 5.0}
LOCK = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def _answer(self, status, body=b""):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/_log":
            with LOCK:
                body = json.dumps(STATE["log"]).encode()
            self._answer(200, body)
        else:
            self._answer(404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.path == "/_control":
            control = json.loads(body)
            with LOCK:
                STATE.update({k: v for k, v in control.items() if k in ("secret", "secrets", "plan", "timeout_seconds")})
            self._answer(204)
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        with LOCK:
            secret = STATE["secret"]
            others = list(STATE["secrets"])
            action = STATE["plan"].pop(0) if STATE["plan"] else "200"
            wait = STATE["timeout_seconds"]
        verified = False
        error = None
        if secret:
            try:
                Webhook(secret).verify(body, headers)
                verified = True
            except WebhookVerificationError as e:
                error = str(e)
        verified_each = []
        for other in others:
            try:
                Webhook(other).verify(body, headers)
                verified_each.append(True)
            except WebhookVerificationError:
                verified_each.append(False)
        entry = {"webhookId": headers.get("webhook-id"), "timestamp": headers.get("webhook-timestamp"),
                 "signature": headers.get("webhook-signature"), "verified": verified, "error": error,
                 "verifiedEach": verified_each, "answered": action, "body": body.decode("utf-8", "replace")}
        with LOCK:
            STATE["log"].append(entry)
        if STATE.get("print"):
            print(json.dumps({"verified": verified, "error": error, "event": json.loads(body) if verified else None}),
                  flush=True)
        if action == "timeout":
            time.sleep(wait)
            self._answer(200)
        elif action == "close":
            self.close_connection = True
            self.connection.close()
        else:
            self._answer(int(action))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--secret", help="the endpoint's signing secret (whsec_...)")
    args = parser.parse_args()
    STATE["secret"] = args.secret
    STATE["print"] = args.secret is not None
    server = ThreadingHTTPServer((args.host, args.port), Receiver)
    print(f"webhook receiver listening on http://{args.host}:{server.server_address[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
