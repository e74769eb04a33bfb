"""local/emulator.py: a transaction costs what its own items cost, whatever the table holds, and a
cancelled one still leaves the table as it was.

Runs the emulator in this process (its server on a thread) and talks to it with boto3 over HTTP, as the
local API does. The cost is counted, not timed: how many stored items `copy.deepcopy` copies while
the emulator serves one TransactWriteItems (moto 5.2.5 copies the whole table once per item of the
transaction). Timings are printed for reference.

    .venv/bin/python -m unittest discover -s local/tests -v
"""
import os
import sys
import threading
import time
import unittest

import logging

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import emulator  # noqa: E402

from moto.dynamodb.models import dynamodb_backends  # noqa: E402
from moto.dynamodb.models.dynamo_type import Item  # noqa: E402
from moto.dynamodb.models.table import Table  # noqa: E402

TABLE = "keys"
PADDING = 10_000


class ItemCopies:
    """Counts the stored items deep-copied while it is installed: moto's Item has a __deepcopy__ of its
    own, which copy.deepcopy calls for each item, however deep in a table it sits."""

    def __init__(self):
        self.count = 0
        self._original = Item.__deepcopy__
        self._lock = threading.Lock()

    def __enter__(self):
        original = self._original

        def counting(item, memo):
            with self._lock:
                self.count += 1
            return original(item, memo)

        Item.__deepcopy__ = counting
        return self

    def __exit__(self, *_):
        Item.__deepcopy__ = self._original


def s(text):
    return {"S": text}


def create_writes(account, key):
    """The writes of a Keyward create: key item, client item, the account's count, a note, a hash."""
    return [
        {"Put": {"TableName": TABLE, "Item": {"pk": s(f"ACCOUNT#{account}"), "sk": s(f"KEY#{key}"), "name": s("n")},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Put": {"TableName": TABLE, "Item": {"pk": s(f"CLIENT#{key}"), "sk": s("CLIENT"), "keyId": s(key)},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Update": {"TableName": TABLE, "Key": {"pk": s(f"ACCOUNT#{account}"), "sk": s("META")},
                    "UpdateExpression": "SET keyCount = if_not_exists(keyCount, :zero) + :one",
                    "ConditionExpression": "attribute_not_exists(keyCount) OR keyCount < :limit",
                    "ExpressionAttributeValues": {":zero": {"N": "0"}, ":one": {"N": "1"}, ":limit": {"N": "100"}}}},
        {"Put": {"TableName": TABLE, "Item": {"pk": s("SECRET_NOTE"), "sk": s(f"{account}#{key}")}}},
        {"Put": {"TableName": TABLE, "Item": {"pk": s(f"SECRET_HASH#{key}"), "sk": s("SECRET_HASH")},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
    ]


class ServedEmulator(unittest.TestCase):
    """The emulator served on a free port for the test class; `client(service)` talks to it through boto3."""

    @classmethod
    def setUpClass(cls):
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
        cls.server = emulator.serve("127.0.0.1", 0, "atomic")
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    @classmethod
    def client(cls, service):
        return boto3.client(service, endpoint_url=f"http://127.0.0.1:{cls.server.socket.getsockname()[1]}",
                            region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
                            config=Config(retries={"max_attempts": 1}))


class EmulatorTransactions(ServedEmulator):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dynamodb = cls.client("dynamodb")

    def setUp(self):
        if TABLE in self.dynamodb.list_tables()["TableNames"]:
            self.dynamodb.delete_table(TableName=TABLE)
        self.dynamodb.create_table(
            TableName=TABLE, BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])

    def pad(self, count):
        for start in range(0, count, 25):
            batch = [{"PutRequest": {"Item": {"pk": s(f"PADDING#{index}"), "sk": s("PADDING"), "data": s("x" * 160)}}}
                     for index in range(start, min(count, start + 25))]
            self.dynamodb.batch_write_item(RequestItems={TABLE: batch})

    def transact(self, writes):
        with ItemCopies() as copies:
            started = time.perf_counter()
            self.dynamodb.transact_write_items(TransactItems=writes)
            took = time.perf_counter() - started
        return copies.count, took

    def item(self, pk, sk):
        return self.dynamodb.get_item(TableName=TABLE, Key={"pk": s(pk), "sk": s(sk)}, ConsistentRead=True).get("Item")

    def test_a_create_copies_as_many_items_on_a_big_table_as_on_an_empty_one(self):
        self.transact(create_writes("acme", "k0"))  # the account's count exists in both
        empty_copies, empty_seconds = self.transact(create_writes("acme", "k1"))
        self.pad(PADDING)
        padded_copies, padded_seconds = self.transact(create_writes("acme", "k2"))
        print(f"\nTransactWriteItems of 5: {empty_seconds * 1000:.1f} ms with an empty table, "
              f"{padded_seconds * 1000:.1f} ms with {PADDING} other items; "
              f"items deep-copied: {empty_copies} and {padded_copies}", file=sys.stderr)
        self.assertLessEqual(padded_copies, empty_copies,
                             f"a transaction copied {padded_copies} items with {PADDING} other items in the table, "
                             f"{empty_copies} without: it copies more than its own items")
        self.assertLessEqual(padded_copies, 2 * len(create_writes("a", "b")))
        self.assertEqual(self.item("ACCOUNT#acme", "META")["keyCount"], {"N": "3"})

    def test_a_cancelled_transaction_leaves_every_item_as_it_was(self):
        self.pad(50)
        self.dynamodb.put_item(TableName=TABLE, Item={"pk": s("ACCOUNT#acme"), "sk": s("META"), "keyCount": {"N": "1"}})
        self.dynamodb.put_item(TableName=TABLE, Item={"pk": s("GONE"), "sk": s("GONE"), "v": s("kept")})
        before = self.dynamodb.scan(TableName=TABLE, ConsistentRead=True)["Items"]
        writes = create_writes("acme", "k1")[:4] + [
            {"Delete": {"TableName": TABLE, "Key": {"pk": s("GONE"), "sk": s("GONE")}}},
            {"ConditionCheck": {"TableName": TABLE, "Key": {"pk": s("PADDING#7"), "sk": s("PADDING")},
                                "ConditionExpression": "attribute_not_exists(pk)"}},
        ]
        with self.assertRaises(self.dynamodb.exceptions.TransactionCanceledException) as refused:
            self.dynamodb.transact_write_items(TransactItems=writes)
        reasons = [reason["Code"] for reason in refused.exception.response["CancellationReasons"]]
        self.assertEqual(reasons, ["None"] * 5 + ["ConditionalCheckFailed"])
        self.assertEqual(self.dynamodb.scan(TableName=TABLE, ConsistentRead=True)["Items"], before)

    def test_a_refused_transaction_leaves_every_item_as_it_was(self):
        self.dynamodb.put_item(TableName=TABLE, Item={"pk": s("ACCOUNT#acme"), "sk": s("META"), "keyCount": {"N": "1"}})
        before = self.dynamodb.scan(TableName=TABLE, ConsistentRead=True)["Items"]
        # two operations on one item: moto refuses it once it reaches the second, after applying the first
        writes = create_writes("acme", "k1")[:3] + [
            {"Put": {"TableName": TABLE, "Item": {"pk": s("ACCOUNT#acme"), "sk": s("META"), "keyCount": {"N": "9"}}}}]
        with self.assertRaises(self.dynamodb.exceptions.ClientError):
            self.dynamodb.transact_write_items(TransactItems=writes)
        self.assertEqual(self.dynamodb.scan(TableName=TABLE, ConsistentRead=True)["Items"], before)

    def test_a_transaction_applies_all_its_writes(self):
        self.transact(create_writes("acme", "k1"))
        self.assertEqual(self.item("ACCOUNT#acme", "KEY#k1")["name"], s("n"))
        self.assertEqual(self.item("CLIENT#k1", "CLIENT")["keyId"], s("k1"))
        self.assertEqual(self.item("ACCOUNT#acme", "META")["keyCount"], {"N": "1"})
        self.assertIsNotNone(self.item("SECRET_NOTE", "acme#k1"))
        self.assertIsNotNone(self.item("SECRET_HASH#k1", "SECRET_HASH"))


    def stored_partitions(self):
        return len(dynamodb_backends["123456789012"]["us-east-1"].get_table(TABLE).items)

    def test_a_query_reads_only_the_partition_it_names(self):
        self.pad(PADDING)
        for index in range(3):
            self.dynamodb.put_item(TableName=TABLE, Item={"pk": s("ACCOUNT#acme"), "sk": s(f"KEY#{index}")})
        read = []
        original = Table.all_items

        def counting(table):
            items = original(table)
            read.append(len(items))
            return items

        Table.all_items = counting
        try:
            started = time.perf_counter()
            answer = self.dynamodb.query(TableName=TABLE, KeyConditionExpression="pk = :pk",
                                         ExpressionAttributeValues={":pk": s("ACCOUNT#acme")}, Limit=2)
            took = time.perf_counter() - started
        finally:
            Table.all_items = original
        print(f"\nQuery of a 3-item partition with {PADDING} other items: {took * 1000:.1f} ms, "
              f"items read: {sum(read)}", file=sys.stderr)
        self.assertEqual([item["sk"]["S"] for item in answer["Items"]], ["KEY#0", "KEY#1"])
        self.assertLessEqual(sum(read), 3, f"a Query of one partition read {sum(read)} items")
        page = self.dynamodb.query(TableName=TABLE, KeyConditionExpression="pk = :pk", ScanIndexForward=False,
                                   ExpressionAttributeValues={":pk": s("ACCOUNT#acme")},
                                   ExclusiveStartKey=answer["LastEvaluatedKey"])
        self.assertEqual([item["sk"]["S"] for item in page["Items"]], ["KEY#0"])

    def test_reads_and_deletes_of_missing_items_leave_nothing_in_memory(self):
        self.dynamodb.put_item(TableName=TABLE, Item={"pk": s("CLIENT#kept"), "sk": s("CLIENT")})
        self.dynamodb.put_item(TableName=TABLE, Item={"pk": s("CLIENT#gone"), "sk": s("CLIENT")})
        self.dynamodb.delete_item(TableName=TABLE, Key={"pk": s("CLIENT#gone"), "sk": s("CLIENT")})
        before = self.stored_partitions()
        for index in range(200):  # an authorizer asked for Client IDs that do not exist
            self.assertNotIn("Item", self.dynamodb.get_item(TableName=TABLE, Key={"pk": s(f"CLIENT#{index}"),
                                                                                  "sk": s("CLIENT")}))
        self.assertEqual(self.stored_partitions(), before)
        self.assertEqual(before, 1, "the partition of the deleted item is gone, the other one kept")
        self.assertIn("Item", self.dynamodb.get_item(TableName=TABLE, Key={"pk": s("CLIENT#kept"), "sk": s("CLIENT")}))


class EmulatorSecrets(ServedEmulator):
    """Secrets Manager as AWS answers it, where moto alone does not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.secrets = cls.client("secretsmanager")

    def test_moving_awscurrent_makes_its_version_the_one_read_and_only_from_the_version_that_holds_it(self):
        name = f"stage-test-{time.monotonic_ns()}"
        first = self.secrets.create_secret(Name=name, SecretString="first")["VersionId"]
        pending = self.secrets.put_secret_value(SecretId=name, SecretString="second",
                                                VersionStages=["AWSPENDING"])["VersionId"]
        self.assertEqual(self.secrets.get_secret_value(SecretId=name)["SecretString"], "first", "pending is not in force")

        self.secrets.update_secret_version_stage(SecretId=name, VersionStage="AWSCURRENT", MoveToVersionId=pending,
                                                 RemoveFromVersionId=first)

        read = self.secrets.get_secret_value(SecretId=name)
        self.assertEqual((read["SecretString"], read["VersionId"]), ("second", pending))
        self.assertEqual(self.secrets.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")["SecretString"], "first")
        # a second move from the version read before the first: AWSCURRENT is no longer there
        third = self.secrets.put_secret_value(SecretId=name, SecretString="third", VersionStages=["AWSPENDING"])["VersionId"]
        with self.assertRaises(self.secrets.exceptions.InvalidParameterException):
            self.secrets.update_secret_version_stage(SecretId=name, VersionStage="AWSCURRENT", MoveToVersionId=third,
                                                     RemoveFromVersionId=first)
        self.assertEqual(self.secrets.get_secret_value(SecretId=name)["SecretString"], "second")


if __name__ == "__main__":
    unittest.main()
