"""What each function may do: the one list that docs/deploy.md's table ("What each function may
do") is generated from (`make docs`) and that test_policies.py evaluates infra/template.yaml's
policies against, request by request. Change a policy and this list together; the tests fail
until the template, this list and the docs agree.

    python tests/function_access.py    (from infra/; prints the docs table)

DynamoDB access is by kind of item: the partition-key prefix, which IAM checks with
dynamodb:LeadingKeys. An entry may be limited to the inside of TransactWriteItems
(dynamodb:EnclosingOperation) and to the attributes it names (dynamodb:Attributes, pk and sk
aside), and then never returns the whole item (dynamodb:ReturnValues NONE or UPDATED_*).

Secrets Manager access is by name: `secrets` on the keys' secrets (keyward/...), `webhook_secrets`
on the webhook endpoints' signing secrets (keyward-webhooks/..., which keyward/* does not match).
KMS entries are through Secrets Manager, for the secrets the function reaches there. SQS access is
by queue, "Action Queue" with the queue's logical id in the template.
"""
from dataclasses import dataclass
from typing import Optional, Tuple

# The sparse index of expiring keys, queried by the sweep; the only index.
EXPIRING_INDEX = "ExpiringKeys index"


@dataclass(frozen=True)
class Dynamo:
    action: str
    kinds: Tuple[str, ...]
    transaction_only: bool = False
    attributes: Optional[Tuple[str, ...]] = None


@dataclass(frozen=True)
class Access:
    name: str
    dynamodb: Tuple[Dynamo, ...] = ()
    secrets: Tuple[str, ...] = ()
    secrets_why: str = ""
    kms: Tuple[str, ...] = ()
    webhook_secrets: Tuple[str, ...] = ()
    sqs: Tuple[str, ...] = ()


def _d(action, *kinds, tx=False, only=None):
    return Dynamo(action, kinds, tx, tuple(only) if only is not None else None)


AUDIT = _d("PutItem", "AUDIT#")
NOTES = (_d("PutItem", "SECRET_NOTE"), _d("DeleteItem", "SECRET_NOTE"))
IDEMPOTENCY = (_d("GetItem", "IDEMPOTENCY#"), _d("PutItem", "IDEMPOTENCY#"), _d("UpdateItem", "IDEMPOTENCY#"))
# The account's key count (sk META) shares the key items' partition: the count's writers may name
# keyCount only, so they cannot change a key's fields, or the settings, through UpdateItem.
COUNT = _d("UpdateItem", "ACCOUNT#", tx=True, only=["keyCount"])
DELETE_KEY = (_d("DeleteItem", "ACCOUNT#", "CLIENT#", tx=True), COUNT, _d("PutItem", "SECRET_HASH#", tx=True))
WRITE_SECRET_VALUE_KMS = ("GenerateDataKey", "Decrypt")
# A webhook endpoint's recent deliveries and their version, the only attributes its deliveries write
# (and the one latest delivery that items held before, which the next write removes).
RECENT_DELIVERIES = ["recentDeliveries", "deliveriesVersion", "lastEventId", "lastEventType", "lastAttemptAt",
                     "lastAttempt", "lastOutcome", "lastResponseStatus", "lastError"]

DELETE = Access(
    "delete",
    dynamodb=(_d("GetItem", "ACCOUNT#", "CLIENT#"), AUDIT, *NOTES, *DELETE_KEY),
    secrets=("DeleteSecret",))

FUNCTIONS = {
    "CreateKeyFunction": Access(
        "create",
        dynamodb=(_d("GetItem", "ACCOUNT#"), AUDIT, *NOTES, *IDEMPOTENCY,
                  _d("PutItem", "ACCOUNT#", "CLIENT#", "SECRET_HASH#", tx=True), COUNT),
        secrets=("CreateSecret", "TagResource", "DeleteSecret", "GetSecretValue"),
        secrets_why="a retried create keeps the secret an earlier attempt stored; a replayed answer reads it back",
        kms=WRITE_SECRET_VALUE_KMS),
    "ListKeysFunction": Access("list", dynamodb=(_d("Query", "ACCOUNT#"),)),
    "GetKeyFunction": Access("get", dynamodb=(_d("GetItem", "ACCOUNT#"), AUDIT), secrets=("GetSecretValue",),
                             kms=("Decrypt",)),
    "DeleteKeyFunction": DELETE,
    "ReportLeakedSecretsFunction": Access(
        "report (leaks)",
        dynamodb=(*DELETE.dynamodb, _d("GetItem", "SECRET_HASH#"),
                  _d("UpdateItem", "ACCOUNT#", only=["leakedAt", "leakedUrl", "leakedSecretHash"])),
        secrets=DELETE.secrets),
    "SweepOrphanSecretsFunction": Access(
        "sweep",
        dynamodb=(_d("Query", "SECRET_NOTE"), *NOTES, _d("UpdateItem", "SECRET_NOTE", only=["sweepUntil", "notedAt"]),
                  _d("GetItem", "ACCOUNT#", "CLIENT#"), _d("Query", EXPIRING_INDEX), AUDIT, *DELETE_KEY),
        secrets=("DeleteSecret", "GetSecretValue"),
        secrets_why="is a noted key's secret there?",
        kms=("Decrypt",),
        sqs=("SendMessage SweepFailedRuns",)),
    # PATCH of a key: its name, expiry and scopes, never its secret, client, count or settings.
    "RenameKeyFunction": Access(
        "rename (edit)",
        dynamodb=(_d("GetItem", "ACCOUNT#"),
                  _d("UpdateItem", "ACCOUNT#", only=["name", "keyExpiresAt", "expiring", "scopes", "disabled", "allowedCidrs"]),
                  _d("UpdateItem", "CLIENT#", tx=True, only=["keyExpiresAt", "scopes", "disabled", "allowedCidrs"]), AUDIT)),
    "GetSettingsFunction": Access("get settings", dynamodb=(_d("GetItem", "ACCOUNT#"),)),
    "UpdateSettingsFunction": Access(
        "update settings",
        dynamodb=(_d("GetItem", "ACCOUNT#"), _d("UpdateItem", "ACCOUNT#", only=["expiredKeyRetentionDays", "maxKeyLifetimeDays", "requireScopes"]), AUDIT)),
    "RotateKeyFunction": Access(
        "rotate",
        dynamodb=(_d("GetItem", "ACCOUNT#", "CLIENT#"),
                  _d("UpdateItem", "CLIENT#", tx=True, only=["secretHash", "otherHashes", "revision", "rotationLeaseUntil"]),
                  _d("PutItem", "SECRET_HASH#", tx=True), AUDIT, *IDEMPOTENCY),
        secrets=("PutSecretValue", "GetSecretValue"),
        secrets_why="was a `PutSecretValue` whose answer was lost applied?",
        kms=WRITE_SECRET_VALUE_KMS),
    "ListAuditFunction": Access("audit", dynamodb=(_d("Query", "AUDIT#"),)),
    "AuthorizerFunction": Access(
        "authorizer",
        dynamodb=(_d("GetItem", "CLIENT#"),
                  _d("UpdateItem", "USAGE#", only=["allowed", "denied", "denied_wrong_secret", "denied_expired",
                                                   "denied_disabled", "denied_ip_not_allowed", "denied_scope_missing",
                                                   "expiresAt"]),
                  _d("PutItem", "USAGE#", tx=True, only=["denials", "expiresAt"]),
                  _d("UpdateItem", "ACCOUNT#", tx=True, only=["lastUsedAt"]))),
    "GetKeyUsageFunction": Access("usage", dynamodb=(_d("GetItem", "ACCOUNT#"), _d("Query", "USAGE#"))),
    "WhoAmIFunction": Access("whoami"),
    # Reads the table's stream (the event source mapping's own grant) and PutEvents to the Keyward bus only.
    "PublishEventsFunction": Access("publish events", sqs=("SendMessage PublishFailedEvents",)),
    # Webhook endpoints (WEBHOOK#{accountId}) and their signing secrets (keyward-webhooks/...):
    # nothing of the keys, and no key secret.
    "CreateWebhookFunction": Access(
        "create webhook",
        dynamodb=(_d("Query", "WEBHOOK#"), _d("PutItem", "WEBHOOK#"), _d("GetItem", "WEBHOOK#"),
                  _d("DeleteItem", "WEBHOOK#")),
        webhook_secrets=("CreateSecret", "TagResource", "DeleteSecret"),
        kms=WRITE_SECRET_VALUE_KMS),
    "ListWebhooksFunction": Access("list webhooks", dynamodb=(_d("Query", "WEBHOOK#"),)),
    "GetWebhookFunction": Access("get webhook", dynamodb=(_d("GetItem", "WEBHOOK#"),)),
    "DeleteWebhookFunction": Access(
        "delete webhook", dynamodb=(_d("GetItem", "WEBHOOK#"), _d("DeleteItem", "WEBHOOK#")),
        webhook_secrets=("DeleteSecret",)),
    "RotateWebhookSecretFunction": Access(
        "rotate webhook secret", dynamodb=(_d("GetItem", "WEBHOOK#"),),
        webhook_secrets=("GetSecretValue", "PutSecretValue", "UpdateSecretVersionStage"),
        kms=WRITE_SECRET_VALUE_KMS),
    "TestWebhookFunction": Access(
        "test webhook",
        dynamodb=(_d("GetItem", "WEBHOOK#"), _d("UpdateItem", "WEBHOOK#", only=RECENT_DELIVERIES)),
        webhook_secrets=("GetSecretValue",), kms=("Decrypt",)),
    "DeliverWebhooksFunction": Access(
        "deliver webhooks",
        dynamodb=(_d("Query", "WEBHOOK#"), _d("GetItem", "WEBHOOK#"), _d("UpdateItem", "WEBHOOK#", only=RECENT_DELIVERIES)),
        webhook_secrets=("GetSecretValue",), kms=("Decrypt",),
        sqs=tuple(f"{action} WebhookDeliveries" for action in
                  ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes", "SendMessage", "ChangeMessageVisibility"))),
}

BEGIN = "<!-- function access table: generated from infra/tests/function_access.py by `make docs` -->"
END = "<!-- end of function access table -->"


def _dynamo_text(entries):
    """`GetItem`, `PutItem` IDEMPOTENCY#; ...; in a transaction only: `UpdateItem` ACCOUNT# (`keyCount` only)."""
    def parts(transaction_only):
        grouped = {}  # (kinds, attributes) -> actions, in the order listed
        for entry in entries:
            if entry.transaction_only == transaction_only:
                grouped.setdefault((entry.kinds, entry.attributes), []).append(entry.action)
        texts = []
        for (kinds, attributes), actions in grouped.items():
            text = ", ".join(f"`{a}`" for a in actions) + " " + ", ".join(kinds)
            if attributes is not None:
                text += " (" + ", ".join(f"`{a}`" for a in attributes) + " only)"
            texts.append(text)
        return "; ".join(texts)
    alone, together = parts(False), parts(True)
    if together:
        return alone + ("; " if alone else "") + "in a transaction only: " + together
    return alone


def _sqs_text(entries):
    """`SendMessage`, `ChangeMessageVisibility` WebhookDeliveries"""
    grouped = {}
    for entry in entries:
        action, queue = entry.split(" ")
        grouped.setdefault(queue, []).append(action)
    return "; ".join(", ".join(f"`{a}`" for a in actions) + " " + queue for queue, actions in grouped.items())


def table():
    lines = [BEGIN,
             "| function | DynamoDB (item kinds) | Secrets Manager (`keyward/*`) | Secrets Manager (`keyward-webhooks/*`) "
             "| KMS (customer-managed key only) | SQS (queue) |",
             "| --- | --- | --- | --- | --- | --- |"]
    for access in FUNCTIONS.values():
        secrets = ", ".join(f"`{a}`" for a in access.secrets)
        if access.secrets_why:
            secrets += f" ({access.secrets_why})"
        cells = [access.name, _dynamo_text(access.dynamodb), secrets,
                 ", ".join(f"`{a}`" for a in access.webhook_secrets), ", ".join(f"`{a}`" for a in access.kms),
                 _sqs_text(access.sqs)]
        lines.append("|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|")
    lines.append(END)
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
