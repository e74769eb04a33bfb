"""Starts `local/run.sh` (moto behind local/emulator.py, then the local API) on free loopback ports, for
the scale benchmark and the soak (local/bench_scale.py, local/soak.py). Standard library only, so the
emulator's venv (which has boto3) runs it.
"""
import http.client
import json
import os
import re
import signal
import subprocess
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Stack:
    """A Keyward started by local/run.sh in a process group of its own; stop() ends all of it."""

    def __init__(self, env=None, timeout=180):
        environment = dict(os.environ)
        environment.update({"PORT": "0", "PERSIST": "", "KEYWARD_LOG_REQUESTS": "0"})
        environment.update(env or {})
        self.output = []
        self.process = subprocess.Popen(
            ["bash", os.path.join(ROOT, "local/run.sh")], cwd=ROOT, env=environment,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True, text=True, errors="replace")
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        started = time.monotonic()
        while True:
            text = "".join(self.output)
            ready = re.search(r"is ready[\s\S]*?API\s+(http://\S+)", text)
            if ready:
                self.api = ready.group(1).rstrip("/")
                break
            if self.process.poll() is not None:
                raise RuntimeError(f"local/run.sh exited ({self.process.returncode}) before it was ready:\n{text}")
            if time.monotonic() - started > timeout:
                self.stop()
                raise RuntimeError(f"local/run.sh was not ready within {timeout} s:\n{text}")
            time.sleep(0.1)
        self.start_seconds = time.monotonic() - started
        moto = re.search(r"Emulator: moto[^\n]* on (http://127\.0\.0\.1:\d+)", text)
        self.moto = moto.group(1) if moto else None
        self.emulator_pid = self._emulator_pid() if self.moto else None

    def _read(self):
        for line in self.process.stdout:
            self.output.append(line)

    def _emulator_pid(self):
        """The emulator: the child of run.sh whose command line runs local/emulator.py."""
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/cmdline", "rb") as file:
                    command = file.read().split(b"\0")
                with open(f"/proc/{name}/stat") as file:
                    ppid = int(file.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if ppid == self.process.pid and any(part.endswith(b"local/emulator.py") for part in command):
                return int(name)
        raise RuntimeError("the emulator's process was not found among local/run.sh's children")

    def emulator_rss_mb(self):
        """The emulator's resident memory, in MiB (VmRSS)."""
        with open(f"/proc/{self.emulator_pid}/status") as file:
            for line in file:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.stop()


class Client:
    """HTTP/1.1 to the local API with one kept-alive connection per thread."""

    def __init__(self, base):
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port
        self.local = threading.local()

    def request(self, method, path, body=None, headers=None):
        """(status, parsed JSON body or None, headers, seconds)."""
        payload = None if body is None else json.dumps(body).encode()
        sent = {"Content-Type": "application/json"} if payload is not None else {}
        sent.update(headers or {})
        for attempt in (1, 2):
            connection = getattr(self.local, "connection", None)
            if connection is None:
                connection = self.local.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            started = time.monotonic()
            try:
                connection.request(method, path, body=payload, headers=sent)
                response = connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # the server closed a kept-alive connection between two requests: a new one, once
                connection.close()
                self.local.connection = None
                if attempt == 2:
                    raise
                continue
            seconds = time.monotonic() - started
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                self.local.connection = None
            try:
                parsed = json.loads(data) if data else None
            except ValueError:
                parsed = None
            return response.status, parsed, response, seconds
        raise AssertionError("unreachable")


def pad_table(moto_url, count, table="keyward-local", region="us-east-1", size=200):
    """Writes `count` items of about `size` bytes into the keys table, straight into the emulator with
    BatchWriteItem, each in a partition of its own that no Keyward item uses."""
    import boto3

    dynamodb = boto3.client("dynamodb", endpoint_url=moto_url, region_name=region,
                            aws_access_key_id="test", aws_secret_access_key="test")
    filler = "x" * max(0, size - 40)
    written = 0
    while written < count:
        batch = []
        for index in range(written, min(count, written + 25)):
            batch.append({"PutRequest": {"Item": {"pk": {"S": f"PADDING#{index:08d}"}, "sk": {"S": "PADDING"},
                                                   "data": {"S": filler}}}})
        pending = {table: batch}
        while pending:
            pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
        written += len(batch)
    return written


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
