"""Mixed traffic from several threads against `make run`'s local API; checks that nothing is lost.

Starts local/run.sh on free ports (moto behind local/emulator.py, then the local API), optionally pads
the keys table with other items, and has THREADS threads run for SECONDS, each on accounts of its own:
create (half of them with an Idempotency-Key, replayed at once), Edit (read the key and its secret,
rename it), the authorizer (GET /whoami with the current secret, and with the previous one during a
rotation's grace), list, rotate with an hour's grace, delete (and the deleted key's secret refused at
once). At the end every kept key must be listed exactly once and work, every deleted key must be
refused and gone. It fails (exit 1) when anything is lost or wrong, on any 5xx, when the emulator's
resident memory grew by more than --max-growth-mb, or when the median answer of the last third of
the run is over --max-slowdown times that of the first third (plus 100 ms of slack for a busy
machine). It prints throughput, latencies early and late per operation, and memory.

    make soak                                   # 8 threads, 120 s (make test runs a short one)
    .venv/bin/python local/soak.py --threads 8 --seconds 120 --padding 10000
"""
import argparse
import base64
import collections
import random
import sys
import threading
import time
import uuid

from stack import Client, Stack, median, pad_table, percentile

KEYS_PER_ACCOUNT = 60  # under the default limit of 100


class Failures:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []

    def add(self, message):
        with self.lock:
            self.messages.append(message)
            if len(self.messages) <= 20:
                print(f"FAIL {message}", file=sys.stderr, flush=True)


def basic(client_id, secret):
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


class Worker(threading.Thread):
    def __init__(self, number, run, client, failures, deadline, samples, seed):
        super().__init__(name=f"soak-{number}", daemon=True)
        self.number, self.run_id, self.client = number, run, client
        self.failures, self.deadline, self.samples = failures, deadline, samples
        self.random = random.Random(seed)
        self.accounts = []
        self.keys = {}  # id -> {"account", "clientId", "secret", "previous"}
        self.deleted = {}  # id -> {"account", "clientId", "secret"}
        self.counts = collections.Counter()

    def account(self):
        if not self.accounts or sum(1 for key in self.keys.values() if key["account"] == self.accounts[-1]) >= KEYS_PER_ACCOUNT:
            self.accounts.append(f"soak-{self.run_id}-{self.number}-{len(self.accounts)}")
        return self.accounts[-1]

    def call(self, operation, method, path, body=None, headers=None, expect=None):
        try:
            status, answer, _, seconds = self.client.request(method, path, body, headers)
        except Exception as error:  # a broken connection is as lost as a 5xx
            self.failures.add(f"{operation}: {method} {path}: {type(error).__name__}: {error}")
            return None, None
        self.samples.append((time.monotonic(), operation, seconds, status))
        self.counts[status] += 1
        if status >= 500:
            self.failures.add(f"{operation}: {method} {path} answered {status}: {answer}")
        elif expect is not None and status not in expect:
            self.failures.add(f"{operation}: {method} {path} answered {status}, expected {expect}: {answer}")
        return status, answer

    def run(self):
        operations = [(self.create, 3), (self.create_idempotent, 2), (self.edit, 2), (self.authorize, 5),
                      (self.list, 1), (self.rotate, 2), (self.delete, 2)]
        functions = [operation for operation, weight in operations for _ in range(weight)]
        while time.monotonic() < self.deadline:
            operation = self.random.choice(functions)
            if operation not in (self.create, self.create_idempotent, self.list) and not self.keys:
                operation = self.create
            operation()

    def remember(self, account, answer):
        self.keys[answer["id"]] = {"account": account, "clientId": answer["clientId"],
                                   "secret": answer["clientSecret"], "previous": None}

    def create(self):
        account = self.account()
        status, answer = self.call("create", "POST", f"/accounts/{account}/keys",
                                   {"name": f"Soak {self.random.randrange(10**6)}"}, expect={201})
        if status == 201:
            self.remember(account, answer)

    def create_idempotent(self):
        account = self.account()
        body = {"name": f"Soak idempotent {self.random.randrange(10**6)}"}
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        status, first = self.call("create+key", "POST", f"/accounts/{account}/keys", body, headers, expect={201})
        if status != 201:
            return
        self.remember(account, first)
        status, replay = self.call("replay", "POST", f"/accounts/{account}/keys", body, headers, expect={201})
        if status == 201 and (replay["id"], replay["clientSecret"]) != (first["id"], first["clientSecret"]):
            self.failures.add(f"replay of create {first['id']} answered another key or secret: {replay['id']}")

    def pick(self):
        return self.random.choice(list(self.keys))

    def edit(self):
        key_id = self.pick()
        key = self.keys[key_id]
        status, answer = self.call("edit", "GET", f"/accounts/{key['account']}/keys/{key_id}", expect={200})
        if status == 200 and answer.get("clientSecret") != key["secret"]:
            self.failures.add(f"Edit of {key_id} showed another secret than the current one")
        name = f"Renamed {self.random.randrange(10**6)}"
        status, answer = self.call("rename", "PATCH", f"/accounts/{key['account']}/keys/{key_id}", {"name": name},
                                   expect={200})
        if status == 200 and answer.get("name") != name:
            self.failures.add(f"rename of {key_id} answered the name {answer.get('name')!r}")

    def authorize(self):
        key = self.keys[self.pick()]
        self.call("whoami", "GET", "/whoami", headers=basic(key["clientId"], key["secret"]), expect={200})
        if key["previous"] and self.random.random() < 0.3:
            self.call("whoami(grace)", "GET", "/whoami", headers=basic(key["clientId"], key["previous"]), expect={200})
        if self.deleted and self.random.random() < 0.3:
            gone = self.deleted[self.random.choice(list(self.deleted))]
            self.call("whoami(deleted)", "GET", "/whoami", headers=basic(gone["clientId"], gone["secret"]),
                      expect={401, 403})

    def list(self):
        account = self.random.choice(self.accounts) if self.accounts else self.account()
        self.call("list", "GET", f"/accounts/{account}/keys", expect={200})

    def rotate(self):
        key_id = self.pick()
        key = self.keys[key_id]
        status, answer = self.call("rotate", "POST", f"/accounts/{key['account']}/keys/{key_id}/rotate",
                                   {"graceSeconds": 3600}, expect={200})
        if status == 200:
            key["previous"], key["secret"] = key["secret"], answer["clientSecret"]

    def delete(self):
        key_id = self.pick()
        key = self.keys.pop(key_id)
        status, _ = self.call("delete", "DELETE", f"/accounts/{key['account']}/keys/{key_id}", expect={204})
        if status == 204:
            self.deleted[key_id] = key
            self.call("whoami(deleted)", "GET", "/whoami", headers=basic(key["clientId"], key["secret"]),
                      expect={401, 403})


def list_all(client, account, failures):
    ids, cursor = [], None
    while True:
        path = f"/accounts/{account}/keys" + (f"?cursor={cursor}" if cursor else "")
        status, answer, _, _ = client.request("GET", path)
        if status != 200:
            failures.add(f"final list of {account} answered {status}: {answer}")
            return ids
        ids.extend(key["id"] for key in answer["keys"])
        cursor = answer.get("nextCursor")
        if not cursor:
            return ids


def verify(client, workers, failures):
    """Every kept key listed once and working; every deleted key refused and gone."""
    kept = deleted = 0
    for worker in workers:
        for account in worker.accounts:
            listed = list_all(client, account, failures)
            expected = {key_id for key_id, key in worker.keys.items() if key["account"] == account}
            counts = collections.Counter(listed)
            twice = [key_id for key_id, count in counts.items() if count > 1]
            if twice:
                failures.add(f"{account}: listed more than once: {twice}")
            if set(listed) != expected:
                failures.add(f"{account}: listed {len(set(listed))} keys, kept {len(expected)}; missing "
                             f"{sorted(expected - set(listed))[:5]}, unexpected {sorted(set(listed) - expected)[:5]}")
        for key_id, key in worker.keys.items():
            kept += 1
            status, _, _, _ = client.request("GET", "/whoami", headers=basic(key["clientId"], key["secret"]))
            if status != 200:
                failures.add(f"kept key {key_id}: its current secret answered {status}")
        for key_id, key in worker.deleted.items():
            deleted += 1
            status, _, _, _ = client.request("GET", "/whoami", headers=basic(key["clientId"], key["secret"]))
            if status not in (401, 403):
                failures.add(f"deleted key {key_id}: its secret answered {status}")
            status, _, _, _ = client.request("GET", f"/accounts/{key['account']}/keys/{key_id}")
            if status != 404:
                failures.add(f"deleted key {key_id}: GET answered {status}")
    return kept, deleted


def report(samples, seconds, started):
    """Prints throughput and latencies early (first third) and late (last third); returns both medians."""
    third = seconds / 3
    early = [sample for sample in samples if sample[0] - started < third]
    late = [sample for sample in samples if sample[0] - started >= 2 * third]
    print(f"{len(samples)} answers in {seconds:.0f} s: {len(samples) / seconds:.1f} a second; "
          f"statuses {dict(sorted(collections.Counter(s[3] for s in samples).items()))}")
    print(f"  {'operation':<16} {'n':>6} {'early p50':>10} {'early p99':>10} {'late p50':>10} {'late p99':>10}  (ms)")
    for operation in sorted({sample[1] for sample in samples}):
        first = [s[2] for s in early if s[1] == operation]
        last = [s[2] for s in late if s[1] == operation]
        everything = [s for s in samples if s[1] == operation]
        print(f"  {operation:<16} {len(everything):>6} {median(first) * 1000 if first else float('nan'):>10.1f} "
              f"{percentile(first, 0.99) * 1000:>10.1f} {median(last) * 1000 if last else float('nan'):>10.1f} "
              f"{percentile(last, 0.99) * 1000:>10.1f}")
    return median([s[2] for s in early]), median([s[2] for s in late])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--padding", type=int, default=0, help="other items written into the table first")
    parser.add_argument("--max-growth-mb", type=float, default=300)
    parser.add_argument("--max-slowdown", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args(argv)

    failures = Failures()
    with Stack() as stack:
        client = Client(stack.api)
        if args.padding:
            pad_table(stack.moto, args.padding)
        for index in range(20):  # the JVM's first calls compile: not part of "early"
            client.request("POST", f"/accounts/soak-warmup/keys", {"name": f"Warm-up {index}"})
        memory_before = stack.emulator_rss_mb()
        samples = collections.deque()  # appends from several threads are atomic
        started = time.monotonic()
        run = uuid.uuid4().hex[:8]
        workers = [Worker(number, run, client, failures, started + args.seconds, samples, args.seed * 1000 + number)
                   for number in range(args.threads)]
        for worker in workers:
            worker.start()
        peak = memory_before
        while any(worker.is_alive() for worker in workers):
            time.sleep(1)
            peak = max(peak, stack.emulator_rss_mb())
        seconds = time.monotonic() - started
        memory_after = stack.emulator_rss_mb()
        kept, deleted = verify(client, workers, failures)

    early, late = report(list(samples), seconds, started)
    growth = max(peak, memory_after) - memory_before
    print(f"median answer early {early * 1000:.1f} ms, late {late * 1000:.1f} ms ({late / early:.2f}x)")
    print(f"emulator RSS {memory_before:.0f} MiB before, {memory_after:.0f} MiB after, peak {peak:.0f} MiB: "
          f"grew {growth:.0f} MiB")
    print(f"{kept} kept keys listed once and working, {deleted} deleted keys refused"
          + (f" ({args.padding} other items in the table)" if args.padding else ""))
    if growth > args.max_growth_mb:
        failures.add(f"the emulator grew by {growth:.0f} MiB, over {args.max_growth_mb:.0f}")
    if late > args.max_slowdown * early + 0.1:
        failures.add(f"the median answer went from {early * 1000:.0f} ms early to {late * 1000:.0f} ms late")
    if failures.messages:
        print(f"soak FAILED: {len(failures.messages)} problems", file=sys.stderr)
        sys.exit(1)
    print("soak passed")


if __name__ == "__main__":
    main()
