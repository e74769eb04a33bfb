"""`make run PERSIST=1` (local/run.sh) keeps keys, secrets and grace periods across restarts, and a
start replays only what the last run wrote after its snapshot: nothing after a calm stop, the
requests since the last start after a hard kill. A restart publishes (prints, delivers) only the
events no run before it published.

    .venv/bin/python -m unittest discover -s local/tests -p 'test_persist.py' -v
"""
import base64
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from stack import Client, Stack  # noqa: E402


def basic(key):
    return {"Authorization": "Basic " + base64.b64encode(f"{key['clientId']}:{key['clientSecret']}".encode()).decode()}


class PersistedRestarts(unittest.TestCase):
    def setUp(self):
        self.state = tempfile.mkdtemp(prefix="keyward-persist-test-")
        self.env = {"PERSIST": "1", "KEYWARD_STATE": self.state}

    def tearDown(self):
        shutil.rmtree(self.state, ignore_errors=True)

    def replayed(self):
        with open(os.path.join(self.state, "moto.log")) as file:
            found = re.search(r"restored (\d+) recorded requests: (\d+) from the snapshot, (\d+) replayed", file.read())
        self.assertIsNotNone(found, "the emulator says what it restored")
        return int(found.group(1)), int(found.group(3))

    def create(self, client, count, account="acme"):
        keys = []
        for index in range(count):
            status, key, _, _ = client.request("POST", f"/accounts/{account}/keys", {"name": f"Key {index}"})
            self.assertEqual(status, 201, key)
            keys.append(key)
        return keys

    def check(self, client, kept, deleted, previous):
        status, listed, _, _ = client.request("GET", "/accounts/acme/keys")
        self.assertEqual(status, 200)
        self.assertEqual(sorted(key["id"] for key in listed["keys"]), sorted(key["id"] for key in kept))
        for key in kept:
            self.assertEqual(client.request("GET", "/whoami", headers=basic(key))[0], 200, key["id"])
        self.assertEqual(client.request("GET", "/whoami", headers=basic(previous))[0], 200, "the grace survives")
        self.assertIn(client.request("GET", "/whoami", headers=basic(deleted))[0], (401, 403))

    def test_restarts_keep_everything_and_replay_only_what_came_after_the_snapshot(self):
        with Stack(self.env) as stack:
            client = Client(stack.api)
            kept = self.create(client, 12)
            deleted = kept.pop()
            self.assertEqual(client.request("DELETE", f"/accounts/acme/keys/{deleted['id']}")[0], 204)
            status, rotated, _, _ = client.request("POST", f"/accounts/acme/keys/{kept[0]['id']}/rotate",
                                                   {"graceSeconds": 3600})
            self.assertEqual(status, 200, rotated)
            previous, kept[0] = kept[0], {**kept[0], "clientSecret": rotated["clientSecret"]}
        # a calm stop (TERM) snapshots everything: the next start replays nothing
        with Stack(self.env) as stack:
            recorded, replayed = self.replayed()
            self.assertGreater(recorded, 12)
            self.assertEqual(replayed, 0)
            client = Client(stack.api)
            self.check(client, kept, deleted, previous)
            kept += self.create(client, 3)
            # the emulator killed outright (no snapshot on the way out), then the rest
            os.kill(stack.emulator_pid, signal.SIGKILL)
            os.killpg(stack.process.pid, signal.SIGKILL)
            stack.process.wait()
        with Stack(self.env) as stack:
            recorded_after, replayed = self.replayed()
            self.assertGreater(replayed, 0, "what the killed run wrote is replayed")
            self.assertLess(replayed, recorded_after - recorded + 5, "only what came after the last start")
            self.check(Client(stack.api), kept, deleted, previous)

    @staticmethod
    def printed_events(stack):
        """The ids of the events the API printed (one `event {...}` line each), in order."""
        return [json.loads(line[len("event "):])["id"]
                for line in "".join(stack.output).splitlines() if line.startswith("event {")]

    def wait_for_events(self, stack, count, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            printed = self.printed_events(stack)
            if len(printed) >= count:
                return printed
            time.sleep(0.2)
        self.fail(f"{count} events not printed within {timeout} s: {self.printed_events(stack)}")

    def wait_for_noted(self, count, timeout=30):
        """Until the API has noted `count` events as published (it notes them once every sink took them)."""
        path = os.path.join(self.state, "published-events")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(path):
                with open(path) as file:
                    if len(file.read().split()) >= count:
                        return
            time.sleep(0.2)
        self.fail(f"{count} events not noted as published within {timeout} s")

    def test_a_restart_publishes_only_the_events_no_run_before_it_published(self):
        with Stack(self.env) as stack:
            client = Client(stack.api)
            keys = self.create(client, 3)
            self.assertEqual(client.request("DELETE", f"/accounts/acme/keys/{keys[0]['id']}")[0], 204)
            before = self.wait_for_events(stack, 4)
            self.wait_for_noted(4)
        with Stack(self.env) as stack:
            client = Client(stack.api)
            self.create(client, 1)
            self.wait_for_events(stack, 1)
            time.sleep(2.5)  # polls enough for any event of the table's replayed stream to come out
            printed = self.printed_events(stack)
            self.assertEqual(len(printed), 1, f"only the new key's event: {printed}")
            self.assertNotIn(printed[0], before)


if __name__ == "__main__":
    unittest.main()
