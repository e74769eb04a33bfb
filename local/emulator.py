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

KEYWARD_MOTO_MODE=threaded serves moto as `moto_server` does, with no lock at all (the fixes to
moto's cost below still apply), to show what the lock changes.

Usage: emulator.py [-H HOST] [-p PORT] [--parent PID] [--restore]. PORT 0 (the default) takes a
free port; the first line printed is "moto listening on http://HOST:PORT (MODE)" once the socket
is bound. With --parent the emulator stops when process PID ends, however it ends: local/run.sh passes its own
pid, so a script killed with SIGKILL (no trap of its runs) leaves no emulator behind. With
--restore (PERSIST=1) it first rebuilds what moto's recording holds (see `restore`).
"""
import argparse
import base64
import collections
import copy
import hashlib
import io
import json
import os
import pickle
import select
import signal
import sys
import threading
import time
import urllib.parse

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

    def __init__(self, app):
        self.app = app
        self.locks = {service: ReadersWriterLock() for service in READS}

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
        shared = operation in READS[service]
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


class _KeepTables:
    """Stands in for the `copy` module inside moto.dynamodb.models: deep-copies anything but a table."""

    def __getattr__(self, name):
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value, memo=None):
        from moto.dynamodb.models.table import Table
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def scope_transaction_backups():
    """Makes moto's TransactWriteItems back up only the items it touches, not whole tables.

    moto 5.2.5's DynamoDBBackend.transact_write_items (5.2.6 too) deep-copies every table a transaction
    names, once per item of the transaction, before it applies anything, so that it can put the copy
    back if the transaction fails: a 5-item transaction on a table of 10,000 items copies 50,000 items.
    Here the table "copy" moto takes is the table itself (so moto's own rollback puts back what is
    already there), and a wrapper saves each item the transaction names before moto starts, then puts
    them back if moto raises for any reason (cancelled, refused, anything else). What moto checks and
    answers is unchanged. local/tests/test_emulator.py holds both to it.
    """
    from moto.dynamodb import models
    from moto.dynamodb.models.dynamo_type import DynamoType

    original = models.DynamoDBBackend.transact_write_items
    if getattr(original, "scoped_backups", False):
        return
    models.copy = _KeepTables()

    def saved_item(backend, entry):
        """(table, hash, range, a copy of the item or None, stream length) for one write, or None."""
        try:
            (operation, request), = entry.items()
            if operation == "ConditionCheck":
                return None
            table = backend.tables[request["TableName"]]
            key = request["Item"] if operation == "Put" else request["Key"]
            hash_value = DynamoType(key[table.hash_key_attr])
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        except (AttributeError, KeyError, TypeError, ValueError):
            return None  # malformed: moto refuses it before it writes anything
        stored = table.items.get(hash_value)  # .get: no empty partition left behind in moto's defaultdict
        if stored is not None and range_value is not None:
            stored = stored.get(range_value)
        shard = table.stream_shard
        return table, hash_value, range_value, copy.deepcopy(stored), len(shard.items) if shard else None

    def put_back(table, hash_value, range_value, item, stream_length):
        if range_value is None:
            if item is None:
                table.items.pop(hash_value, None)
            else:
                table.items[hash_value] = item
        elif item is None:
            partition = table.items.get(hash_value)
            if partition is not None:
                partition.pop(range_value, None)
                if not partition:
                    del table.items[hash_value]
        else:
            table.items[hash_value][range_value] = item
        if stream_length is not None and table.stream_shard is not None:
            del table.stream_shard.items[stream_length:]

    def transact_write_items(self, transact_items, *args, **kwargs):
        saved = [save for save in (saved_item(self, entry) for entry in
                                   (transact_items if isinstance(transact_items, list) else []))
                 if save is not None] if isinstance(transact_items, list) and len(transact_items) <= 100 else []
        try:
            return original(self, transact_items, *args, **kwargs)
        except BaseException:
            # in reverse: an item named twice gets the state from before the first
            for save in reversed(saved):
                put_back(*save)
            raise

    transact_write_items.scoped_backups = True
    models.DynamoDBBackend.transact_write_items = transact_write_items


def current_follows_its_label():
    """Makes GetSecretValue answer the version UpdateSecretVersionStage moved AWSCURRENT to, as AWS does.

    moto 5.2.5 moves the label between versions but keeps answering GetSecretValue without a
    VersionId or VersionStage (and keeps PutSecretValue's AWSPREVIOUS bookkeeping) from the version
    its last PutSecretValue made current, so a secret whose AWSCURRENT was moved by
    UpdateSecretVersionStage still reads as the old one. Here the move also makes the version it
    moves to the one moto answers. local/tests/test_emulator.py holds it to AWS's behaviour.
    """
    from moto.secretsmanager import models

    original = models.SecretsManagerBackend.update_secret_version_stage
    if getattr(original, "moves_current", False):
        return

    def update_secret_version_stage(self, secret_id, version_stage, remove_from_version_id, move_to_version_id):
        answer = original(self, secret_id, version_stage, remove_from_version_id, move_to_version_id)
        if version_stage == "AWSCURRENT" and move_to_version_id:
            self.secrets[secret_id].set_default_version_id(move_to_version_id)
        return answer

    update_secret_version_stage.moves_current = True
    models.SecretsManagerBackend.update_secret_version_stage = update_secret_version_stage


def partition_reads():
    """Makes moto's Query on a table read the one partition it names, and its reads and deletes leave no
    empty partition behind.

    moto 5.2.5's Table.query without an index lists, sorts and filters every item of the table
    (Table.all_items) to find one partition's: on 10,000 items each Query of a key list or an audit
    page sorted them all, with writers waiting behind it. Here, for the duration of such a Query
    (thread-local, as reads share the lock), all_items yields that partition's items only, in the
    same order. And a table with a sort key keeps its items in a defaultdict per partition:
    GetItem of a key that is not there created an empty partition, and deleting a partition's
    last item left one, so every unknown Client ID an authorizer check asked for stayed in memory.
    """
    from moto.dynamodb.models.table import Table

    if getattr(Table.query, "one_partition", False):
        return
    original_query, original_all_items = Table.query, Table.all_items
    original_get_item, original_delete_item = Table.get_item, Table.delete_item
    reading = threading.local()

    def all_items(self):
        partition = getattr(reading, "partition", None)
        if partition is None or partition[0] is not self:
            return original_all_items(self)
        stored = self.items.get(partition[1])
        if stored is None:
            return []
        items = list(stored.values()) if self.range_key_attr else [stored]
        return sorted(items, key=lambda item: (item.hash_key, item.range_key) if item.range_key else item.hash_key)

    def query(self, hash_key, *args, **kwargs):
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        if index_name or hash_key is None:
            return original_query(self, hash_key, *args, **kwargs)
        reading.partition = (self, hash_key)
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            reading.partition = None

    def get_item(self, hash_key, range_key=None, *args, **kwargs):
        if range_key and hash_key not in self.items:
            return None  # what moto answers, without creating the partition
        return original_get_item(self, hash_key, range_key, *args, **kwargs)

    def delete_item(self, hash_key, range_key):
        deleted = original_delete_item(self, hash_key, range_key)
        if range_key and hash_key in self.items and not self.items[hash_key]:
            del self.items[hash_key]
        return deleted

    query.one_partition = True
    Table.query, Table.all_items, Table.get_item, Table.delete_item = query, all_items, get_item, delete_item


READ_PREFIXES = ("Get", "Describe", "List", "Query", "Scan", "BatchGet")


def is_read(headers):
    target = headers.get("X-Amz-Target", "")
    return "." in target and target.rsplit(".", 1)[1].startswith(READ_PREFIXES)


# The service whose state the local API makes again at each start: the webhook delivery queues
# (what was on them is published again from the table's stream, with the same ids).
NOT_RECORDED = ("AmazonSQS.",)


def record_writes_only():
    """Replaces how moto's recorder (PERSIST=1) writes a request down.

    moto 5.2.5's recorder appends each request it serves to its file, reads included, and then reads
    the whole file back (and drops what it read): every call cost a read of the whole history, 17 MiB
    after 2,000 keys. This appends the same entry (headers, method, URL, body) for calls that can
    change something, under a mutex of its own (so reads no longer need the lock alone while
    recording), and reads nothing back. Calls to SQS (NOT_RECORDED) are not written down: the
    local API polls its webhook delivery queue every second, and a recording with calls of other
    services than DynamoDB and Secrets Manager could not be snapshot.
    """
    from moto.moto_api import recorder

    if getattr(recorder, "writes_only", False):
        return
    mutex = threading.Lock()

    def record(request, body=None):
        if not recorder._user_enabled or request.path.startswith("/moto-api/"):
            return
        if is_read(request.headers) or request.headers.get("X-Amz-Target", "").startswith(NOT_RECORDED):
            return
        if body is None:
            length = int(request.headers.get("Content-Length") or 0)
            body = request.environ["wsgi.input"].read(length) if length else b""
            request.environ["wsgi.input"] = io.BytesIO(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        entry = {"headers": dict(request.headers), "method": request.method,
                 "url": getattr(request, "raw_url", None) or request.url,
                 "body": base64.b64encode(body).decode("ascii"), "body_encoded": True}
        line = json.dumps(entry) + "\n"
        with mutex:
            with open(recorder._location, "a", encoding="utf-8") as file:
                file.write(line)

    recorder._record_request = record
    recorder.writes_only = True


SNAPSHOT_SERVICES = {"DynamoDB_20120810": "dynamodb", "secretsmanager": "secretsmanager"}


def _state_holders():
    """(service, BackendDict, the backend attribute that holds all of its data)."""
    from moto.dynamodb.models import dynamodb_backends
    from moto.secretsmanager.models import secretsmanager_backends
    return [("dynamodb", dynamodb_backends, "tables"), ("secretsmanager", secretsmanager_backends, "secrets")]


def restore(app, recording, log=print):
    """Rebuilds what `recording` (compacted: one request a line, writes only) made, before serving.

    Replaying every request ever recorded took about 7 ms a request: 1 minute with 2,000 keys, 5 with
    10,000. So beside the recording this keeps a snapshot (recording + ".snapshot"): moto's DynamoDB
    tables and Secrets Manager secrets as pickled objects, with how many of the recording's lines
    they cover and a digest of those lines. A start loads the snapshot and replays, in this process,
    only the lines after it, then writes a new snapshot: each start replays at most what the run
    before it wrote. The snapshot is used only by the same moto version and only if the lines it
    covers are unchanged; otherwise, or if the recording holds calls of other services (which it
    does not capture), every line is replayed, as before.
    """
    import moto
    from moto.moto_api import recorder
    from werkzeug.test import Client

    with open(recording, "rb") as file:
        lines = [line for line in file.read().split(b"\n") if line.strip()]
    snapshot_path = recording + ".snapshot"
    start, loaded = 0, None
    if os.path.exists(snapshot_path):
        try:
            with open(snapshot_path, "rb") as file:
                loaded = pickle.load(file)
            covered = loaded["lines"]
            if (loaded.get("format") != 1 or loaded.get("moto") != moto.__version__ or covered > len(lines)
                    or loaded["digest"] != _digest(lines[:covered])):
                log(f"moto: {snapshot_path} does not match the recording or this moto; replaying it all")
                loaded = None
        except Exception as error:  # unreadable: fall back to the recording alone
            log(f"moto: {snapshot_path} unreadable ({type(error).__name__}); replaying the recording")
            loaded = None
    if loaded is not None:
        for service, backends, attribute in _state_holders():
            for (name, account, region), value in loaded["state"].items():
                if name == service:
                    setattr(backends[account][region], attribute, value)
        start = loaded["lines"]
    client = Client(app)
    enabled, recorder._user_enabled = recorder._user_enabled, False
    snapshot_allowed = True
    try:
        for line in lines[start:]:
            entry = json.loads(line)
            headers = {k: v for k, v in (entry.get("headers") or {}).items()
                       if k.lower() not in ("content-length", "transfer-encoding")}
            target = next((v for k, v in headers.items() if k.lower() == "x-amz-target"), "")
            if target.partition(".")[0] not in SNAPSHOT_SERVICES:
                snapshot_allowed = False
            body = entry.get("body") or ""
            body = base64.b64decode(body) if entry.get("body_encoded") else body.encode("utf-8")
            parsed = urllib.parse.urlsplit(entry["url"])
            client.open(parsed.path + (f"?{parsed.query}" if parsed.query else ""), method=entry["method"],
                        base_url=f"{parsed.scheme or 'http'}://{parsed.netloc or 'localhost'}",
                        headers=headers, data=body).close()
    finally:
        recorder._user_enabled = enabled
    log(f"moto: restored {len(lines)} recorded requests: {start} from the snapshot, {len(lines) - start} replayed")
    if snapshot_allowed:
        write_snapshot(recording, lines)
    elif os.path.exists(snapshot_path):
        os.remove(snapshot_path)


def write_snapshot(recording, lines):
    """Writes moto's DynamoDB and Secrets Manager state as covering `lines` of `recording`."""
    import moto

    state = {}
    for service, backends, attribute in _state_holders():
        for account, regions in list(backends.items()):
            for region, backend in list(regions.items()):
                state[(service, account, region)] = getattr(backend, attribute)
    snapshot_path = recording + ".snapshot"
    temporary = snapshot_path + ".tmp"
    with open(temporary, "wb") as file:
        pickle.dump({"format": 1, "moto": moto.__version__, "lines": len(lines), "digest": _digest(lines),
                     "state": state}, file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, snapshot_path)


def snapshot_on_stop(app, recording):
    """On a calm stop: compacts the recording (local/compact_recording.py) and snapshots what it holds,
    with every call finished and none let in, so the next start replays nothing."""
    import compact_recording

    held = [lock for _, lock in sorted(app.locks.items())] if isinstance(app, AtomicCalls) else []
    for lock in held:
        lock.acquire(False)
    compact_recording.main(recording)
    with open(recording, "rb") as file:
        lines = [line for line in file.read().split(b"\n") if line.strip()]
    if all(_target(json.loads(line)).partition(".")[0] in SNAPSHOT_SERVICES for line in lines):
        write_snapshot(recording, lines)


def _target(entry):
    return next((v for k, v in (entry.get("headers") or {}).items() if k.lower() == "x-amz-target"), "")


def _digest(lines):
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.strip())
        digest.update(b"\n")
    return digest.hexdigest()


def serve(host="127.0.0.1", port=0, mode="atomic"):
    """A started server (not yet serving) for moto's application in `mode`: atomic or threaded."""
    scope_transaction_backups()
    partition_reads()
    current_follows_its_label()
    record_writes_only()
    app = DomainDispatcherApplication(create_backend_app)
    if mode == "atomic":
        app = AtomicCalls(app)
    server = make_server(host, port, app, threaded=True, request_handler=MotoRequestHandler)
    # moto builds some URLs it answers (queue URLs, presigned links) from MOTO_PORT
    os.environ["MOTO_PORT"] = str(server.socket.getsockname()[1])
    return server


def when_gone(pid, then):
    """Calls `then` once process `pid` has ended (at once if it is gone already), from a daemon thread."""

    def watch():
        try:
            handle = os.pidfd_open(pid)
        except ProcessLookupError:
            then()
            return
        except (AttributeError, OSError):
            handle = None  # no pidfd (not Linux 5.3+): look twice a second
        if handle is not None:
            select.select([handle], [], [])  # readable once the process has ended
            os.close(handle)
        else:
            while True:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
                time.sleep(0.5)
        then()

    threading.Thread(target=watch, name=f"parent-{pid}", daemon=True).start()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=0)
    parser.add_argument("--parent", type=int, help="stop when this process ends")
    parser.add_argument("--restore", action="store_true",
                        help="rebuild what MOTO_RECORDER_FILEPATH recorded before serving (see restore)")
    args = parser.parse_args(argv)
    mode = os.environ.get("KEYWARD_MOTO_MODE", "atomic").strip().lower() or "atomic"
    if mode not in ("atomic", "threaded"):
        parser.error(f"KEYWARD_MOTO_MODE must be atomic or threaded, was {mode!r}")

    server = serve(args.host, args.port, mode)
    port = server.socket.getsockname()[1]
    recording = os.environ.get("MOTO_RECORDER_FILEPATH", "")
    if args.restore and recording and os.path.exists(recording) and os.path.getsize(recording):
        started = time.monotonic()
        restore(server.app, recording, log=lambda message: print(message, flush=True))
        print(f"moto: restored in {time.monotonic() - started:.1f} s", flush=True)
    print(f"moto listening on http://{args.host}:{port} ({mode})", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if args.parent:
        def parent_gone():
            print(f"moto: process {args.parent}, which started it, has ended; stopping", flush=True)
            server.shutdown()

        when_gone(args.parent, parent_gone)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if args.restore and recording:
            started = time.monotonic()
            snapshot_on_stop(server.app, recording)
            print(f"moto: snapshot written in {time.monotonic() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
