"""moto's server, with each DynamoDB and Secrets Manager call applied atomically, as AWS does.

moto's own `moto_server` serves every request on its own thread and lets them all run through
moto's backends at once. Those backends were written for one caller at a time: a conditional
write reads the item, checks the condition and writes in separate steps, and TransactWriteItems
checks every condition and then applies every write, so two concurrent callers can both pass a
condition that only one of them should, or see half of a transaction. AWS never does either.

This serves the same moto application (the same backends, the same answers) behind one
readers-writer lock per service:

- a DynamoDB or Secrets Manager call that only reads (GetItem, Query, GetSecretValue, ...)
  shares its service's lock with other reads;
- every other call of those two services holds its service's lock alone, from the moment moto
  starts on it until its answer is complete;
- calls to any other service (IAM, CloudFormation, ... whose handlers may reach into several
  backends) and moto's own `/moto-api/` routes hold every lock;
- the body is read from the socket before the lock is taken and the answer written after it is
  released, so a slow client never holds anybody else up, and calls to the two services never
  wait for each other.

KEYWARD_MOTO_MODE=threaded serves moto exactly as `moto_server` does (no lock at all), to show
what the lock changes.

Usage: emulator.py [-H HOST] [-p PORT]. PORT 0 (the default) takes a free port; the first line
printed is "moto listening on http://HOST:PORT (MODE)" once the socket is bound.
"""
import argparse
import collections
import io
import os
import signal
import sys
import threading

from werkzeug.serving import make_server

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

READS = {
    "dynamodb": {"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems", "DescribeTable", "ListTables",
                 "DescribeTimeToLive", "ListTagsOfResource", "DescribeContinuousBackups", "DescribeEndpoints",
                 "DescribeLimits"},
    "secretsmanager": {"GetSecretValue", "BatchGetSecretValue", "DescribeSecret", "ListSecrets",
                       "ListSecretVersionIds", "GetResourcePolicy", "GetRandomPassword"},
}
# X-Amz-Target prefixes (JSON protocol) of the two services
TARGETS = {"DynamoDB_20120810": "dynamodb", "secretsmanager": "secretsmanager"}


class ReadersWriterLock:
    """Many readers or one writer, granted in arrival order: a reader that arrives after a waiting
    writer waits behind it, so nobody starves and nobody waits longer than the calls before it take."""

    def __init__(self):
        self._mutex = threading.Lock()
        self._readers = 0
        self._writer = False
        self._waiting = collections.deque()  # (shared, granted)

    def acquire(self, shared):
        with self._mutex:
            if not self._waiting and not self._writer and (shared or not self._readers):
                self._take(shared)
                return
            granted = threading.Event()
            self._waiting.append((shared, granted))
        granted.wait()

    def release(self, shared):
        with self._mutex:
            if shared:
                self._readers -= 1
            else:
                self._writer = False
            # wake the head of the queue: a writer alone, or every reader up to the next writer
            while self._waiting and not self._writer:
                next_shared, granted = self._waiting[0]
                if not next_shared and self._readers:
                    break
                self._waiting.popleft()
                self._take(next_shared)
                granted.set()

    def _take(self, shared):
        if shared:
            self._readers += 1
        else:
            self._writer = True


class AtomicCalls:
    """WSGI middleware: runs each call of the wrapped app under the locks described above."""

    def __init__(self, app, recording):
        self.app = app
        self.locks = {service: ReadersWriterLock() for service in READS}
        # moto's recorder appends each call it serves to one file: with reads running side by
        # side their lines could interleave, so while it records every call holds its lock alone
        self.recording = recording

    def locks_for(self, environ):
        """[(lock, shared)] in one fixed order (so two callers never wait on each other), or [] for none."""
        path = environ.get("PATH_INFO", "")
        if path.startswith("/moto-api/recorder/replay-recording"):
            # the replay calls this server back for each recorded request, which lock themselves
            return []
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        prefix, _, operation = target.partition(".")
        service = TARGETS.get(prefix)
        if service is None or path.startswith("/moto-api/"):
            return [(self.locks[name], False) for name in sorted(self.locks)]
        shared = operation in READS[service] and not self.recording()
        return [(self.locks[service], shared)]

    def __call__(self, environ, start_response):
        buffer_body(environ)
        held = self.locks_for(environ)
        answer = {}

        def remember(status, headers, exc_info=None):
            answer["start"] = (status, headers, exc_info)
            return lambda data: answer.setdefault("written", []).append(data)

        for lock, shared in held:
            lock.acquire(shared)
        try:
            result = self.app(environ, remember)
            try:
                chunks = answer.pop("written", []) + [chunk for chunk in result]
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            for lock, shared in reversed(held):
                lock.release(shared)
        status, headers, exc_info = answer["start"]
        start_response(status, headers, exc_info)
        return chunks


def buffer_body(environ):
    """Reads the whole request body now, so no lock is held while a slow client sends it."""
    stream = environ.get("wsgi.input")
    if stream is None:
        return
    length = environ.get("CONTENT_LENGTH")
    if length:
        body = stream.read(int(length))
    elif environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=0)
    args = parser.parse_args(argv)
    mode = os.environ.get("KEYWARD_MOTO_MODE", "atomic").strip().lower() or "atomic"
    if mode not in ("atomic", "threaded"):
        parser.error(f"KEYWARD_MOTO_MODE must be atomic or threaded, was {mode!r}")

    app = DomainDispatcherApplication(create_backend_app)
    if mode == "atomic":
        recorder = None

        def recording():
            nonlocal recorder
            if recorder is None:
                from moto.moto_api import recorder as moto_recorder
                recorder = moto_recorder
            return recorder._user_enabled

        app = AtomicCalls(app, recording)
    server = make_server(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)
    port = server.socket.getsockname()[1]
    # moto builds some URLs it answers (queue URLs, presigned links) from MOTO_PORT
    os.environ["MOTO_PORT"] = str(port)
    print(f"moto listening on http://{args.host}:{port} ({mode})", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
