"""How long `make run PERSIST=1` takes to start with many keys recorded: prints numbers, never fails.

Starts local/run.sh with PERSIST=1 and a state folder of its own (KEYWARD_STATE, a temporary one unless
--state names one), creates KEYS keys from THREADS threads (accounts of 90 keys), rotates and deletes a
few, stops, and starts again, twice: the first restart replays what the run recorded, the second
what the first left. Prints the recording's size and each start's time to ready, and checks every
key is listed again after each restart.

    make bench-local                              # 10,000 keys (after bench_scale.py)
    .venv/bin/python local/bench_persist.py --keys 2000
"""
import argparse
import os
import shutil
import tempfile
import threading
import time

from stack import Client, Stack

PER_ACCOUNT = 90


def recording_size(state):
    path = os.path.join(state, "moto-recording.jsonl")
    if not os.path.exists(path):
        return "none"
    with open(path, "rb") as file:
        lines = sum(1 for _ in file)
    return f"{lines} requests, {os.path.getsize(path) / 2**20:.1f} MiB"


def create_keys(client, count, threads):
    created = {}
    lock = threading.Lock()
    counter = iter(range(count))

    def work():
        for index in counter:
            account = f"persist-{index // PER_ACCOUNT}"
            status, answer, _, _ = client.request("POST", f"/accounts/{account}/keys", {"name": f"Key {index}"})
            if status != 201:
                raise SystemExit(f"create answered {status}: {answer}")
            with lock:
                created.setdefault(account, set()).add(answer["id"])

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return created


def listed(client, account):
    ids, cursor = set(), None
    while True:
        status, answer, _, _ = client.request("GET", f"/accounts/{account}/keys" + (f"?cursor={cursor}" if cursor else ""))
        if status != 200:
            raise SystemExit(f"list answered {status}: {answer}")
        ids.update(key["id"] for key in answer["keys"])
        cursor = answer.get("nextCursor")
        if not cursor:
            return ids


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--keys", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--state", help="a state folder to use and keep (default: a temporary one)")
    args = parser.parse_args(argv)
    state = args.state or tempfile.mkdtemp(prefix="keyward-persist-")
    env = {"PERSIST": "1", "KEYWARD_STATE": state}
    try:
        with Stack(env) as stack:
            print(f"first start (empty): {stack.start_seconds:.1f} s to ready")
            started = time.monotonic()
            created = create_keys(Client(stack.api), args.keys, args.threads)
            took = time.monotonic() - started
            print(f"created {args.keys} keys in {took:.0f} s ({args.keys / took:.1f} a second)")
        print(f"recorded: {recording_size(state)}")
        for attempt in ("restart", "restart again"):
            with Stack(env, timeout=3600) as stack:
                client = Client(stack.api)
                print(f"{attempt}: {stack.start_seconds:.1f} s to ready")
                for account, ids in created.items():
                    if listed(client, account) != ids:
                        raise SystemExit(f"{account}: the keys listed after the {attempt} are not the ones created")
            print(f"  every key listed again; recording now {recording_size(state)}")
    finally:
        if not args.state:
            shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    main()
