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

Usage: emulator.py [-H HOST] [-p PORT] [--parent PID]. PORT 0 (the default) takes a free port; the
first line printed is "moto listening on http://HOST:PORT (MODE)" once the socket is bound. With
--parent the emulator stops when process PID ends, however it ends: local/run.sh passes its own
pid, so a script killed with SIGKILL (no trap of its runs) leaves no emulator behind.
"""
import argparse
import collections
import copy
import io
import os
import select
import signal
import sys
import threading
import time

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


def serve(host="127.0.0.1", port=0, mode="atomic"):
    """A started server (not yet serving) for moto's application in `mode`: atomic or threaded."""
    scope_transaction_backups()
    partition_reads()
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
    args = parser.parse_args(argv)
    mode = os.environ.get("KEYWARD_MOTO_MODE", "atomic").strip().lower() or "atomic"
    if mode not in ("atomic", "threaded"):
        parser.error(f"KEYWARD_MOTO_MODE must be atomic or threaded, was {mode!r}")

    server = serve(args.host, args.port, mode)
    port = server.socket.getsockname()[1]
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


if __name__ == "__main__":
    main()
