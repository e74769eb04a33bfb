"""Least privilege that holds: each function's policy, evaluated, reaches exactly what its handler needs.

Every policy is evaluated offline by @cloud-copilot/iam-simulate (iam/simulate.mjs, installed by
`make test-infra` from npm), which models IAM's condition operators and refuses a context key
that an action does not have. Each function is asked for every DynamoDB data action on every
kind of item (by partition-key prefix, alone and inside TransactWriteItems) and on the index,
every Secrets Manager action on a keyward/ secret, a keyward-webhooks/ one and another one, every
KMS action through Secrets Manager and directly, and every SQS action on each of the template's
queues and on another one; the set of requests allowed must equal what function_access.py
lists for it, which is also where docs/deploy.md's table comes from. Every write limited to some
attributes is asked with each of them and with one more, and for the whole item back.
Item kinds that other features add get their own prefix; add them to ITEM_KINDS and to the
reach of the functions that write them (function_access.py).
"""
import json
import re
import subprocess
from pathlib import Path

import pytest

import function_access
from function_access import EXPIRING_INDEX
from templates import FUNCTIONS, INFRA, OPENAPI, condition_values, load, resolve_conditions, transformed

SIMULATE = Path(__file__).resolve().parent / "iam" / "simulate.mjs"
ACCOUNT = "123456789012"
REGION = "us-east-1"
TABLE_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/keyward-prod-keys"
KMS_KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:keyward/acme/key_01JD8X3QH7ZK2M4N6P8R0T2V4W-AbC123"
WEBHOOK_SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:keyward-webhooks/acme/wh_01JD8X3QH7ZK2M4N6P8R0T2V4W-AbC123"
OTHER_SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:prod/database-AbC123"
SWEEP_FAILURES_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:keyward-SweepFailedRuns-1A2B3C"
PUBLISH_FAILURES_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:keyward-PublishFailedEvents-1A2B3C"
EVENT_BUS_ARN = f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/keyward-prod-events"
# Every queue of the template, and one of someone else's.
QUEUES = {"SweepFailedRuns": SWEEP_FAILURES_ARN,
          "PublishFailedEvents": PUBLISH_FAILURES_ARN,
          "WebhookDeliveries": f"arn:aws:sqs:{REGION}:{ACCOUNT}:keyward-WebhookDeliveries-4D5E6F",
          "WebhookDeliveriesParked": f"arn:aws:sqs:{REGION}:{ACCOUNT}:keyward-WebhookDeliveriesParked-7A8B9C",
          "another queue": f"arn:aws:sqs:{REGION}:{ACCOUNT}:orders"}
SQS_ACTIONS = ["SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes",
               "PurgeQueue", "SetQueueAttributes", "DeleteQueue"]
VALUES = {"AWS::Partition": "aws", "AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::URLSuffix": "amazonaws.com",
          "KeysTable.Arn": TABLE_ARN, "SecretsKmsKeyArn": KMS_KEY_ARN, "KeywardEventBus.Arn": EVENT_BUS_ARN,
          "KeysTable.StreamArn": f"{TABLE_ARN}/stream/2026-12-07T10:00:00.000",
          **{f"{queue}.Arn": arn for queue, arn in QUEUES.items() if queue != "another queue"}}

# One partition key of every kind of item in the table (README, "One DynamoDB table").
ITEM_KINDS = {
    "ACCOUNT#": "ACCOUNT#acme",
    "CLIENT#": "CLIENT#ck_3kTMd9QwZr1bX8pLvN2sYe",
    "AUDIT#": "AUDIT#acme",
    "SECRET_NOTE": "SECRET_NOTE",
    "IDEMPOTENCY#": "IDEMPOTENCY#acme",
    "USAGE#": "USAGE#acme#key_01JD8X3QH7ZK2M4N6P8R0T2V4W",
    "SECRET_HASH#": "SECRET_HASH#5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
    "WEBHOOK#": "WEBHOOK#acme",
}
ITEM_ACTIONS = ["GetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem",
                "BatchGetItem", "BatchWriteItem"]
TRANSACTION_PARTS = {"PutItem", "UpdateItem", "DeleteItem"}  # with dynamodb:EnclosingOperation
SECRET_ACTIONS = ["CreateSecret", "GetSecretValue", "PutSecretValue", "UpdateSecret", "DeleteSecret",
                  "RestoreSecret", "TagResource", "UntagResource", "DescribeSecret", "PutResourcePolicy",
                  "RotateSecret", "UpdateSecretVersionStage"]
# A KMS key is usable only as far as its key policy lets IAM policies grant it: the default one.
KEY_POLICY = {"Version": "2012-10-17", "Statement": [{
    "Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
    "Action": "kms:*", "Resource": "*"}]}
KMS_ACTIONS = ["Decrypt", "Encrypt", "GenerateDataKey", "ReEncryptFrom", "ReEncryptTo", "CreateGrant"]

INDEX_ARN = f"{TABLE_ARN}/index/ExpiringKeys"


def reach_of(access):
    """The probes (see probes()) one function's entry in function_access.py allows: "dynamodb:PutItem
    AUDIT#" means alone and inside a transaction, "... in transaction" only as part of
    TransactWriteItems. Secrets: keyward/ ones, and keyward-webhooks/ ones apart. KMS entries apply
    when the stack has a customer-managed key, and only through Secrets Manager."""
    entries = []
    for item in access.dynamodb:
        for kind in item.kinds:
            entries.append(f"dynamodb:{item.action} {kind}" + (" in transaction" if item.transaction_only else ""))
    entries += [f"secretsmanager:{action}" for action in access.secrets]
    entries += [f"secretsmanager:{action} keyward-webhooks/" for action in access.webhook_secrets]
    entries += [f"kms:{action}" for action in access.kms]
    entries += [f"sqs:{entry}" for entry in access.sqs]
    return entries


REACH = {function: reach_of(function_access.FUNCTIONS[function]) for function in FUNCTIONS}
# Logs to the function's own log group, and X-Ray traces (those two actions exist only on "*").
EXPECTED_MANAGED = [
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
]


def concrete(value, values=VALUES):
    """A policy value with its intrinsic functions replaced by the values of one example stack."""
    if isinstance(value, dict):
        if set(value) == {"Fn::Sub"}:
            text = value["Fn::Sub"]
            for name, replacement in values.items():
                text = text.replace("${" + name + "}", replacement)
            assert "${" not in text, text
            return text
        if set(value) == {"Fn::GetAtt"}:
            target = value["Fn::GetAtt"]
            return values[target if isinstance(target, str) else ".".join(target)]
        if set(value) == {"Ref"}:
            return values[value["Ref"]]
        return {k: concrete(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [concrete(v, values) for v in value]
    return value


def evaluable(document):
    """The policy without its kms:EncryptionContext:SecretARN conditions, which the evaluator
    cannot model (it knows no such key); test_kms_statements_are_for_keyward_secrets_only checks them."""
    statements = []
    for statement in document["Statement"]:
        condition = {op: {k: v for k, v in pairs.items() if not k.startswith("kms:EncryptionContext:")}
                     for op, pairs in statement.get("Condition", {}).items()}
        condition = {op: pairs for op, pairs in condition.items() if pairs}
        statements.append({k: v for k, v in statement.items() if k != "Condition"} | ({"Condition": condition} if condition else {}))
    return dict(document, Statement=statements)


def simulate(requests):
    """Decisions of the offline IAM evaluator, one per request."""
    result = subprocess.run(["node", str(SIMULATE)], input=json.dumps(requests), capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def role_policies(cfn, function, with_kms):
    role = cfn["Resources"][function + "Role"]
    policies = resolve_conditions(role["Properties"].get("Policies", []), {"HasSecretsKmsKey": with_kms})
    return [evaluable(concrete(p["PolicyDocument"])) for p in policies]


def probes():
    """(what it reaches, action, resource, context) for every request a function is asked about."""
    # A Scan reads every partition and has no dynamodb:LeadingKeys: asked once, for the whole table.
    yield "dynamodb:Scan", "dynamodb:Scan", TABLE_ARN, {}
    yield f"dynamodb:Query {EXPIRING_INDEX}", "dynamodb:Query", INDEX_ARN, {}
    yield f"dynamodb:Scan {EXPIRING_INDEX}", "dynamodb:Scan", INDEX_ARN, {}
    for action in ITEM_ACTIONS:
        for kind, pk in ITEM_KINDS.items():
            context = {"dynamodb:LeadingKeys": [pk]}
            yield f"dynamodb:{action} {kind}", f"dynamodb:{action}", TABLE_ARN, context
            if action in TRANSACTION_PARTS:
                yield (f"dynamodb:{action} {kind} in transaction", f"dynamodb:{action}", TABLE_ARN,
                       {**context, "dynamodb:EnclosingOperation": "TransactWriteItems"})
    for action in SECRET_ACTIONS:
        yield f"secretsmanager:{action}", f"secretsmanager:{action}", KEY_SECRET, {}
        yield f"secretsmanager:{action} keyward-webhooks/", f"secretsmanager:{action}", WEBHOOK_SECRET, {}
        yield f"secretsmanager:{action} not keyward/", f"secretsmanager:{action}", OTHER_SECRET, {}
    for action in KMS_ACTIONS:
        # kms:EncryptionContext:SecretARN is not modelled by the evaluator: see
        # test_kms_statements_are_for_keyward_secrets_only
        yield f"kms:{action}", f"kms:{action}", KMS_KEY_ARN, {"kms:ViaService": f"secretsmanager.{REGION}.amazonaws.com"}
        yield f"kms:{action} via another service", f"kms:{action}", KMS_KEY_ARN, {"kms:ViaService": f"s3.{REGION}.amazonaws.com"}
        yield f"kms:{action} not via Secrets Manager", f"kms:{action}", KMS_KEY_ARN, {}
    for action in SQS_ACTIONS:
        for queue, arn in QUEUES.items():
            yield f"sqs:{action} {queue}", f"sqs:{action}", arn, {}


def with_key_policy(request):
    return dict(request, resourcePolicy=KEY_POLICY) if request["action"].startswith("kms:") else request


def expected_reach(function, with_kms):
    reach = set()
    for entry in REACH[function]:
        if entry.startswith("kms:") and not with_kms:
            continue
        reach.add(entry)
        action = entry.split(" ")[0]
        if entry.startswith("dynamodb:") and not entry.endswith(" in transaction") \
                and action.split(":")[1] in TRANSACTION_PARTS:
            reach.add(entry + " in transaction")
    return reach


@pytest.fixture(scope="module")
def cfn():
    return transformed()


@pytest.fixture(scope="module")
def reach(cfn):
    """{(function, with_kms): the set of probes its policies allow}, in one evaluator run."""
    cases = [(function, with_kms) for function in sorted(FUNCTIONS) for with_kms in (False, True)]
    asked = list(probes())
    requests = [with_key_policy({"policies": role_policies(cfn, function, with_kms), "action": action,
                                 "resource": resource, "context": context})
                for function, with_kms in cases for _, action, resource, context in asked]
    decisions = iter(simulate(requests))
    return {case: {name for name, *_ in asked if next(decisions) == "Allowed"} for case in cases}


@pytest.mark.parametrize("with_kms", [False, True], ids=["aws-managed-key", "customer-managed-key"])
@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_function_reaches_exactly_its_actions_and_item_kinds(cfn, reach, function, with_kms):
    assert sorted(reach[(function, with_kms)]) == sorted(expected_reach(function, with_kms))
    assert cfn["Resources"][function + "Role"]["Properties"]["ManagedPolicyArns"] == EXPECTED_MANAGED


def test_attribute_limits_narrow_the_item_kind_further(cfn):
    """The UpdateItem statements with dynamodb:Attributes write those attributes and no others."""
    def update(function, pk, attributes, in_transaction=False):
        context = {"dynamodb:LeadingKeys": [pk], "dynamodb:Attributes": attributes}
        if in_transaction:
            context["dynamodb:EnclosingOperation"] = "TransactWriteItems"
        return {"policies": role_policies(cfn, function, False), "action": "dynamodb:UpdateItem",
                "resource": TABLE_ARN, "context": context}
    client, key, usage = ITEM_KINDS["CLIENT#"], ITEM_KINDS["ACCOUNT#"], ITEM_KINDS["USAGE#"]
    asked = {
        "rotate writes the secret fields": (update("RotateKeyFunction", client, ["pk", "sk", "secretHash", "otherHashes", "revision"], True), "Allowed"),
        "rotate writes them only with their lookups": (update("RotateKeyFunction", client, ["pk", "sk", "secretHash"]), "ImplicitlyDenied"),
        "rotate cannot re-point the client": (update("RotateKeyFunction", client, ["pk", "sk", "keyId"]), "ImplicitlyDenied"),
        "rotate cannot touch a key item": (update("RotateKeyFunction", key, ["pk", "sk", "secretHash"]), "ImplicitlyDenied"),
        "authorizer records lastUsedAt": (update("AuthorizerFunction", key, ["pk", "sk", "lastUsedAt"], True), "Allowed"),
        "authorizer records it only with the counts": (update("AuthorizerFunction", key, ["pk", "sk", "lastUsedAt"]), "ImplicitlyDenied"),
        "authorizer cannot rename": (update("AuthorizerFunction", key, ["pk", "sk", "name"]), "ImplicitlyDenied"),
        "authorizer cannot touch a client": (update("AuthorizerFunction", client, ["pk", "sk", "lastUsedAt"]), "ImplicitlyDenied"),
        "authorizer counts usage": (update("AuthorizerFunction", usage, ["pk", "sk", "allowed", "denied", "expiresAt"]), "Allowed"),
        "authorizer cannot write other usage fields": (update("AuthorizerFunction", usage, ["pk", "sk", "lastUsedAt"]), "ImplicitlyDenied"),
        "authorizer counts denials by reason": (update("AuthorizerFunction", usage, ["pk", "sk", "denied", "denied_disabled", "denied_ip_not_allowed"]), "Allowed"),
        "authorizer cannot suspend a key": (update("AuthorizerFunction", key, ["pk", "sk", "disabled"], True), "ImplicitlyDenied"),
        "report flags a key": (update("ReportLeakedSecretsFunction", key, ["pk", "sk", "leakedAt", "leakedUrl", "leakedSecretHash"]), "Allowed"),
        "report cannot rename a key": (update("ReportLeakedSecretsFunction", key, ["pk", "sk", "name"]), "ImplicitlyDenied"),
    }
    decisions = simulate([request for request, _ in asked.values()])
    assert dict(zip(asked, decisions)) == {name: expected for name, (_, expected) in asked.items()}


def test_every_function_has_one_entry_in_the_access_list():
    assert set(function_access.FUNCTIONS) == set(FUNCTIONS)


# Attributes that only some writers may name: a key's secret and client, the count, the
# settings, the client item's secret fields.
GUARDED_ATTRIBUTES = ["secretArn", "clientId", "keyId", "createdAt", "name", "scopes", "keyExpiresAt", "keyCount",
                      "expiredKeyRetentionDays", "maxKeyLifetimeDays", "requireScopes", "leakPolicy", "leakedAt",
                      "lastUsedAt", "secretHash", "otherHashes", "accountId", "expiresAt", "url", "events", "endpointId"]


def _write(function, item, kind, attributes, return_values=None):
    context = {"dynamodb:LeadingKeys": [function_access_pk(kind)], "dynamodb:Attributes": ["pk", "sk", *attributes]}
    if item.transaction_only:
        context["dynamodb:EnclosingOperation"] = "TransactWriteItems"
    if return_values:
        context["dynamodb:ReturnValues"] = return_values
    return {"function": function, "action": f"dynamodb:{item.action}", "resource": TABLE_ARN, "context": context}


def function_access_pk(kind):
    return ITEM_KINDS[kind]


def attribute_probes():
    """(name, request, expected) for every write of function_access.py: with the attributes it
    lists, and with each guarded attribute more, and (UpdateItem alone) asking for the whole item."""
    for function, access in sorted(function_access.FUNCTIONS.items()):
        for item in access.dynamodb:
            if item.action not in ("PutItem", "UpdateItem"):
                continue
            for kind in item.kinds:
                where = f"{function} {item.action} {kind}" + (" in transaction" if item.transaction_only else "")
                if item.attributes is None:
                    yield f"{where} any attribute", _write(function, item, kind, GUARDED_ATTRIBUTES), "Allowed"
                    continue
                yield f"{where} {list(item.attributes)}", _write(function, item, kind, item.attributes), "Allowed"
                for extra in GUARDED_ATTRIBUTES:
                    if extra not in item.attributes:
                        yield f"{where} +{extra}", _write(function, item, kind, [*item.attributes, extra]), "ImplicitlyDenied"
                if item.action == "UpdateItem" and not item.transaction_only:
                    for returned, expected in (("NONE", "Allowed"), ("UPDATED_NEW", "Allowed"),
                                               ("ALL_NEW", "ImplicitlyDenied"), ("ALL_OLD", "ImplicitlyDenied")):
                        yield (f"{where} ReturnValues {returned}",
                               _write(function, item, kind, item.attributes, returned), expected)


def test_every_attribute_limited_write_names_exactly_its_attributes(cfn):
    """function_access.py's "(... only)" holds: a write naming one attribute more is refused, and
    so is an UpdateItem asking for the whole item back (ReturnValues ALL_*); a write it lists
    without a limit is not limited."""
    asked = list(attribute_probes())
    policies = {function: role_policies(cfn, function, False) for function in FUNCTIONS}
    requests = [{"policies": policies[request["function"]], **{k: v for k, v in request.items() if k != "function"}}
                for _, request, _ in asked]
    decisions = simulate(requests)
    assert {name: decision for (name, _, _), decision in zip(asked, decisions)} == \
        {name: expected for name, _, expected in asked}


def test_the_edit_function_cannot_write_the_count_the_settings_or_a_secret_reference(cfn):
    """PATCH /keys/{keyId} changes a name, an expiry or scopes: it may not touch the count item,
    the settings item, or the key's secretArn and clientId, though they share the key's partition."""
    policies = role_policies(cfn, "RenameKeyFunction", False)

    def update(attributes, in_transaction=False, return_values=None):
        context = {"dynamodb:LeadingKeys": [ITEM_KINDS["ACCOUNT#"]], "dynamodb:Attributes": ["pk", "sk", *attributes]}
        if in_transaction:
            context["dynamodb:EnclosingOperation"] = "TransactWriteItems"
        if return_values:
            context["dynamodb:ReturnValues"] = return_values
        return {"policies": policies, "action": "dynamodb:UpdateItem", "resource": TABLE_ARN, "context": context}
    asked = {
        "rename": (update(["name"]), "Allowed"),
        "change expiry and scopes": (update(["keyExpiresAt", "expiring", "scopes"], True), "Allowed"),
        "suspend, resume, limit to networks": (update(["disabled", "allowedCidrs"], True), "Allowed"),
        "the key count": (update(["keyCount"]), "ImplicitlyDenied"),
        "the key count in a transaction": (update(["keyCount"], True), "ImplicitlyDenied"),
        "the retention setting": (update(["expiredKeyRetentionDays"]), "ImplicitlyDenied"),
        "the key policy's cap": (update(["maxKeyLifetimeDays"]), "ImplicitlyDenied"),
        "the key policy's scopes rule": (update(["requireScopes"]), "ImplicitlyDenied"),
        "the leak policy setting": (update(["leakPolicy"]), "ImplicitlyDenied"),
        "a key's secretArn": (update(["name", "secretArn"]), "ImplicitlyDenied"),
        "a key's clientId": (update(["clientId"], True), "ImplicitlyDenied"),
        "the whole item back": (update(["name"], return_values="ALL_NEW"), "ImplicitlyDenied"),
    }
    decisions = simulate([request for request, _ in asked.values()])
    assert dict(zip(asked, decisions)) == {name: expected for name, (_, expected) in asked.items()}


SECRETS_PREFIX = "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:"


def _kms_statements(node):
    return [s for s in _all_statements(node)
            if any(str(a).startswith("kms:") for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"]))]


def _kms_secrets(statement):
    """The secrets (keyward/ or keyward-webhooks/) a KMS statement is for, as its condition names them."""
    condition = statement["Condition"]
    assert condition["StringEquals"] == {"kms:ViaService": {"Fn::Sub": "secretsmanager.${AWS::Region}.amazonaws.com"}}
    assert set(condition) == {"StringEquals", "StringLike"}
    [(key, value)] = condition["StringLike"].items()
    assert key == "kms:EncryptionContext:SecretARN"
    prefixes = [prefix for prefix in ("keyward/", "keyward-webhooks/") if value["Fn::Sub"].startswith(SECRETS_PREFIX + prefix)]
    assert len(prefixes) == 1, value
    return prefixes[0]


@pytest.mark.parametrize("template", ["template.yaml", "integration-access.yaml"])
def test_kms_statements_are_for_keyward_secrets_only(template):
    """The evaluator ignores kms:EncryptionContext:<key> (it finds no such key for the action), so
    that condition is checked here as written: every KMS statement names the secrets it is for."""
    found = _kms_statements(load(INFRA / template))
    assert found
    for statement in found:
        _kms_secrets(statement)


def test_each_function_decrypts_only_the_kind_of_secret_it_reaches():
    """A key function's KMS statements are for keyward/ secrets, a webhook function's for
    keyward-webhooks/ ones: the ones function_access.py gives it in Secrets Manager."""
    template = load()
    for function, access in function_access.FUNCTIONS.items():
        kinds = {_kms_secrets(s) for s in _kms_statements(template["Resources"][function])}
        expected = set()
        if access.kms:
            expected |= {"keyward/"} if access.secrets else set()
            expected |= {"keyward-webhooks/"} if access.webhook_secrets else set()
        assert kinds == expected, function


def test_a_request_without_a_partition_key_is_never_allowed_by_an_empty_set(cfn):
    """ForAllValues over a missing key is true; each statement's "Null": false closes that gap."""
    requests = [{"policies": role_policies(cfn, function, False), "action": "dynamodb:PutItem",
                 "resource": TABLE_ARN, "context": {}} for function in sorted(FUNCTIONS)]
    assert set(simulate(requests)) == {"ImplicitlyDenied"}


def _statements(cfn, function, prefix):
    return [st for policy in role_policies(cfn, function, True) for st in policy["Statement"]
            if any(str(a).startswith(prefix) for a in ([st["Action"]] if isinstance(st["Action"], str) else st["Action"]))]


def test_only_the_publisher_may_put_events_and_only_on_keywards_bus(cfn):
    for function in sorted(FUNCTIONS):
        statements = _statements(cfn, function, "events:")
        if function == "PublishEventsFunction":
            assert [(st["Action"], st["Resource"]) for st in statements] == [("events:PutEvents", EVENT_BUS_ARN)]
        else:
            assert statements == [], function


def test_sqs_is_granted_on_named_queues_only(cfn):
    """The probes above ask about the template's queues by example ARN; each SQS statement must
    name one queue of the template, never a pattern, so that no other queue is reached either.
    The delivery function polls its queue through an event source mapping of the template's own,
    with that queue in its role: SAM's SQS event would attach AWSLambdaSQSQueueExecutionRole,
    which reaches every queue of the account."""
    for function in sorted(FUNCTIONS):
        for policy in role_policies(cfn, function, True):
            for statement in policy["Statement"]:
                actions = [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]
                if any(str(a).startswith("sqs:") for a in actions):
                    assert all(a.startswith("sqs:") and "*" not in a for a in actions), function
                    resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                    assert resources and set(resources) <= set(QUEUES.values()) - {QUEUES["another queue"]}, function
    [mapping] = [r["Properties"] for r in cfn["Resources"].values() if r["Type"] == "AWS::Lambda::EventSourceMapping"
                 and r["Properties"]["EventSourceArn"] == {"Fn::GetAtt": ["WebhookDeliveries", "Arn"]}]
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": ["WebhookDeliveries", "Arn"]}
    assert mapping["FunctionName"] == {"Ref": "DeliverWebhooksFunctionAliaslive"}


def test_function_uses_its_own_role(cfn):
    for function in FUNCTIONS:
        assert cfn["Resources"][function]["Properties"]["Role"] == {"Fn::GetAtt": [function + "Role", "Arn"]}


def test_no_data_or_secret_action_on_every_resource():
    """No statement anywhere grants DynamoDB, Secrets Manager or KMS on "*" or by wildcard action."""
    for path in sorted(INFRA.glob("*.yaml")):
        if path.name == "openapi.yaml":
            continue
        text = json.dumps(load(path))
        template = json.loads(text)
        for statement in _all_statements(template):
            actions = statement.get("Action", [])
            actions = [actions] if isinstance(actions, str) else actions
            sensitive = [a for a in actions if isinstance(a, str) and a.split(":")[0] in ("dynamodb", "secretsmanager", "kms")]
            if not sensitive:
                continue
            assert statement.get("Resource") not in ("*", ["*"]), f"{path.name}: {sensitive} on *"
            assert not any(a.endswith(":*") or "*" in a for a in sensitive), f"{path.name}: wildcard action {sensitive}"


def _all_statements(node):
    if isinstance(node, dict):
        if "Effect" in node and ("Action" in node or "NotAction" in node):
            yield node
        for value in node.values():
            yield from _all_statements(value)
    elif isinstance(node, list):
        for value in node:
            yield from _all_statements(value)


def test_api_gateway_invokes_only_each_functions_alias_from_its_route(cfn):
    routes = {
        "CreateKeyFunction": "POST/accounts/*/keys",
        "ListKeysFunction": "GET/accounts/*/keys",
        "GetKeyFunction": "GET/accounts/*/keys/*",
        "DeleteKeyFunction": "DELETE/accounts/*/keys/*",
        "RenameKeyFunction": "PATCH/accounts/*/keys/*",
        "RotateKeyFunction": "POST/accounts/*/keys/*/rotate",
        "ListAuditFunction": "GET/accounts/*/audit",
        "WhoAmIFunction": ["GET/whoami", "GET/accounts/*/whoami"],
        "GetSettingsFunction": "GET/accounts/*/settings",
        "UpdateSettingsFunction": "PATCH/accounts/*/settings",
        "ReportLeakedSecretsFunction": "POST/secret-scanning/reports",
        "GetKeyUsageFunction": "GET/accounts/*/keys/*/usage",
        "CreateWebhookFunction": "POST/accounts/*/webhooks",
        "ListWebhooksFunction": "GET/accounts/*/webhooks",
        "GetWebhookFunction": "GET/accounts/*/webhooks/*",
        "DeleteWebhookFunction": "DELETE/accounts/*/webhooks/*",
        "RotateWebhookSecretFunction": "POST/accounts/*/webhooks/*/rotate-secret",
        "TestWebhookFunction": "POST/accounts/*/webhooks/*/test",
    }
    permissions = [r["Properties"] for r in cfn["Resources"].values()
                   if r["Type"] == "AWS::Lambda::Permission" and r["Properties"]["Principal"] == "apigateway.amazonaws.com"]
    [authorizer] = [p for p in permissions if p["FunctionName"] == {"Ref": "AuthorizerFunctionAliaslive"}]
    assert authorizer["SourceArn"]["Fn::Sub"].endswith("${KeywardApi}/authorizers/*")
    permissions.remove(authorizer)
    routes = {function: route if isinstance(route, list) else [route] for function, route in routes.items()}
    assert len(permissions) == sum(len(r) for r in routes.values())
    for function, function_routes in routes.items():
        alias = {"Ref": function + "Aliaslive"}
        mine = [p for p in permissions if p["FunctionName"] == alias]
        for permission in mine:
            assert permission["Principal"] == "apigateway.amazonaws.com"
            assert permission["Action"] == "lambda:InvokeFunction"
        arns = sorted(p["SourceArn"]["Fn::Sub"] for p in mine)
        prefix = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${KeywardApi}/*/"
        assert arns == sorted(prefix + route for route in function_routes), function


def test_only_the_hourly_rule_may_invoke_the_sweep(cfn):
    [permission] = [r["Properties"] for r in cfn["Resources"].values()
                    if r["Type"] == "AWS::Lambda::Permission" and r["Properties"]["Principal"] != "apigateway.amazonaws.com"]
    assert permission["Principal"] == "events.amazonaws.com"
    assert permission["FunctionName"] == {"Ref": "SweepOrphanSecretsFunctionAliaslive"}
    assert permission["SourceArn"] == {"Fn::GetAtt": ["SweepOrphanSecretsFunctionHourly", "Arn"]}



def policy_document(name, parameters, with_kms=True):
    """The access template's policy, for one example account, key and API: its conditions decided
    from these parameters (the others at their defaults), as CloudFormation would."""
    template = load(INFRA / name)
    [resource] = template["Resources"].values()
    conditions = condition_values(template, parameters) | {"HasSecretsKmsKey": with_kms}
    document = resolve_conditions(resource["Properties"]["PolicyDocument"], conditions)
    return evaluable(concrete(document, dict(VALUES, **parameters)))


API = "a1b2c3d4e5"
ROUTES = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{API}/prod"


def test_integration_policy_reaches_one_secret_and_one_route():
    key = "key_01JD8X3QH7ZK2M4N6P8R0T2V4W"
    other_key = "key_01JD8X3QH7ZK2M4N6P8R0T2V4X"
    policy = policy_document("integration-access.yaml",
                             {"KeywardAccountId": "acme", "KeyId": key, "ApiId": API, "Stage": "prod"})
    own = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:keyward/acme/{key}-AbC123"
    other = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:keyward/acme/{other_key}-AbC123"
    via = {"kms:ViaService": f"secretsmanager.{REGION}.amazonaws.com"}
    asked = {
        "own secret": ("secretsmanager:GetSecretValue", own, {}, "Allowed"),
        "another key's secret": ("secretsmanager:GetSecretValue", other, {}, "ImplicitlyDenied"),
        "change own secret": ("secretsmanager:PutSecretValue", own, {}, "ImplicitlyDenied"),
        "own key route": ("execute-api:Invoke", f"{ROUTES}/GET/accounts/acme/keys/{key}", {}, "Allowed"),
        "delete own key": ("execute-api:Invoke", f"{ROUTES}/DELETE/accounts/acme/keys/{key}", {}, "ImplicitlyDenied"),
        "another key route": ("execute-api:Invoke", f"{ROUTES}/GET/accounts/acme/keys/{other_key}", {}, "ImplicitlyDenied"),
        "list keys": ("execute-api:Invoke", f"{ROUTES}/GET/accounts/acme/keys", {}, "ImplicitlyDenied"),
        "decrypt through Secrets Manager": ("kms:Decrypt", KMS_KEY_ARN, via, "Allowed"),
        "encrypt through Secrets Manager": ("kms:GenerateDataKey", KMS_KEY_ARN, via, "ImplicitlyDenied"),
        "decrypt directly": ("kms:Decrypt", KMS_KEY_ARN, {}, "ImplicitlyDenied"),
    }
    decisions = simulate([with_key_policy({"policies": [policy], "action": a, "resource": r, "context": c})
                          for a, r, c, _ in asked.values()])
    assert dict(zip(asked, decisions)) == {name: expected for name, (*_, expected) in asked.items()}


@pytest.mark.parametrize("name", ["integration-access.yaml", "account-admin-access.yaml"])
def test_ids_pasted_into_arns_cannot_widen_them(name):
    """A "*", "?" or "/" in an id would make the policy reach other keys or accounts."""
    parameters = load(INFRA / name)["Parameters"]
    valid = {"KeywardAccountId": "acme", "KeyId": "key_01JD8X3QH7ZK2M4N6P8R0T2V4W", "ApiId": "a1b2c3d4e5", "Stage": "prod"}
    for parameter, value in valid.items():
        if parameter not in parameters:
            continue
        pattern = parameters[parameter]["AllowedPattern"]
        assert re.fullmatch(pattern, value), parameter
        for widened in (value + "*", value + "?", value + "/x", "*"):
            assert not re.fullmatch(pattern, widened), f"{parameter} admits {widened!r}"


KEY = "key_01JD8X3QH7ZK2M4N6P8R0T2V4W"
# account-admin-access.yaml's AdminRole values; each role may do what the ones before it may.
ADMIN_ROLES = ["viewer", "operator", "owner"]
# The least role that may call each admin route of infra/openapi.yaml (docs/deploy.md, "An
# account's admins"). A route the API gains fails test_every_admin_route_in_the_api_has_a_role
# until it is placed here and granted in account-admin-access.yaml. The operator's routes are
# keys only: webhook routes are the owner's.
LEAST_ROLE = {
    "GET /accounts/{accountId}/keys": "viewer",
    "GET /accounts/{accountId}/keys/{keyId}/usage": "viewer",
    "GET /accounts/{accountId}/audit": "viewer",
    "POST /accounts/{accountId}/keys": "operator",
    "GET /accounts/{accountId}/keys/{keyId}": "operator",
    "PATCH /accounts/{accountId}/keys/{keyId}": "operator",
    "DELETE /accounts/{accountId}/keys/{keyId}": "operator",
    "POST /accounts/{accountId}/keys/{keyId}/rotate": "operator",
    "GET /accounts/{accountId}/settings": "owner",
    "PATCH /accounts/{accountId}/settings": "owner",
    "POST /accounts/{accountId}/webhooks": "owner",
    "GET /accounts/{accountId}/webhooks": "owner",
    "GET /accounts/{accountId}/webhooks/{webhookId}": "owner",
    "DELETE /accounts/{accountId}/webhooks/{webhookId}": "owner",
    "POST /accounts/{accountId}/webhooks/{webhookId}/rotate-secret": "owner",
    "POST /accounts/{accountId}/webhooks/{webhookId}/test": "owner",
}
# Paths that are no route but that a pattern too loose would reach, with the least role whose
# patterns do reach them (None: no role). A "*" in the method position would match the ones
# that merely contain /accounts/acme/; "GET .../keys/*" matches the usage route and is the
# operator's only, so the viewer's usage pattern must not reach a bare key (a key id "usage").
NOT_ROUTES = {
    "GET/accounts/acme/keys/usage": "operator",
    f"GET/accounts/acme/keys/{KEY}/usage/x": "operator",
    "GET/accounts/acme-evil/keys": None,
    "GET/accounts/globex/keys/accounts/acme/keys": None,
    "GET/x/accounts/acme/keys": None,
    "GET/whoami": None,
    "GET/accounts/acme/whoami": None,
    "PUT/accounts/acme/keys": None,
    "DELETE/accounts/acme/keys": None,
    "GET/accounts/acme/audit/x": None,
    "GET/accounts/acme/settings/x": None,
    "PUT/accounts/acme/webhooks": None,
    "PATCH/accounts/acme/webhooks/wh_1": None,
    "GET/accounts/acme/webhooks-x": None,
    "POST/accounts/acme/webhooks/wh_1": None,
}


def admin_routes():
    """Every route under /accounts/{accountId} that admins call, as "METHOD /path" (the ones behind
    the key authorizer are the integrations', not the admins')."""
    routes = []
    for path, item in load(OPENAPI)["paths"].items():
        if not path.startswith("/accounts/{accountId}"):
            continue
        for method in ("get", "post", "put", "patch", "delete"):
            if method in item and item[method].get("security") != [{"clientCredentials": []}]:
                routes.append(f"{method.upper()} {path}")
    return routes


def request_path(route, account="acme"):
    method, path = route.split(" ")
    return method + path.replace("{accountId}", account).replace("{keyId}", KEY)


def admin_policy(role=None):
    parameters = {"KeywardAccountId": "acme", "ApiId": API, "Stage": "prod"}
    return policy_document("account-admin-access.yaml", parameters | ({"AdminRole": role} if role else {}))


def invoked(policy, paths, stage="prod"):
    """{path: decision} for execute-api:Invoke on each "METHOD/path" of the stage."""
    decisions = simulate([{"policies": [policy], "action": "execute-api:Invoke",
                           "resource": f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{API}/{stage}/{path}", "context": {}}
                          for path in paths])
    return dict(zip(paths, decisions))


def may(role, least):
    return least is not None and ADMIN_ROLES.index(role) >= ADMIN_ROLES.index(least)


def test_every_admin_route_in_the_api_has_a_role():
    assert sorted(admin_routes()) == sorted(LEAST_ROLE)


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_each_role_reaches_exactly_its_routes_of_one_account(role):
    """Route by route: this account's routes exactly as LEAST_ROLE says, the same routes of other
    accounts never, nor any path that merely resembles a route."""
    policy = admin_policy(role)
    expected = {request_path(route): "Allowed" if may(role, least) else "ImplicitlyDenied"
                for route, least in LEAST_ROLE.items()}
    for account in ("globex", "acme-evil", "acm"):
        expected |= {request_path(route, account): "ImplicitlyDenied" for route in LEAST_ROLE}
    expected |= {path: "Allowed" if may(role, least) else "ImplicitlyDenied" for path, least in NOT_ROUTES.items()}
    assert invoked(policy, list(expected)) == expected
    assert set(invoked(policy, [request_path(route) for route in LEAST_ROLE], stage="staging").values()) \
        == {"ImplicitlyDenied"}


def answers_a_secret(operation, api):
    """Whether a success answer of the operation carries a clientSecret, $refs followed."""
    def walk(node, seen=()):
        if isinstance(node, dict):
            if "$ref" in node:
                ref = node["$ref"]
                if ref in seen:
                    return False
                target = api
                for part in ref.removeprefix("#/").split("/"):
                    target = target[part]
                return walk(target, seen + (ref,))
            if "clientSecret" in node.get("properties", {}):
                return True
            return any(walk(value, seen) for value in node.values())
        if isinstance(node, list):
            return any(walk(value, seen) for value in node)
        return False
    return any(walk(response) for status, response in operation["responses"].items() if str(status).startswith("2"))


def test_the_viewer_never_reaches_a_route_that_answers_a_secret():
    api = load(OPENAPI)
    secret_routes = [route for route in admin_routes()
                     if answers_a_secret(api["paths"][route.split(" ")[1]][route.split(" ")[0].lower()], api)]
    assert {"GET /accounts/{accountId}/keys/{keyId}", "POST /accounts/{accountId}/keys",
            "POST /accounts/{accountId}/keys/{keyId}/rotate"} <= set(secret_routes)
    assert {LEAST_ROLE[route] for route in secret_routes} == {"operator"}
    paths = [request_path(route) for route in secret_routes]
    assert invoked(admin_policy("viewer"), paths) == {path: "ImplicitlyDenied" for path in paths}


def test_the_role_is_one_of_three_and_the_owner_without_one():
    """Stacks deployed before the roles existed name none: they keep every route."""
    parameter = load(INFRA / "account-admin-access.yaml")["Parameters"]["AdminRole"]
    assert parameter["AllowedValues"] == ADMIN_ROLES
    assert parameter["Default"] == "owner"
    assert admin_policy() == admin_policy("owner")


def test_the_deploy_guide_gives_each_route_to_the_roles_the_policy_does():
    """docs/deploy.md's table of admin roles: one row per route, "yes" under each role that has it."""
    rows = re.findall(r"^\| `(\w+ /accounts/\{accountId\}[^`]*)` \|(.*)\|$",
                      (INFRA.parent / "docs" / "deploy.md").read_text(), re.M)
    documented = {route: [cell.strip() for cell in cells.split("|")] for route, cells in rows}
    assert documented == {route: ["yes" if may(role, least) else "" for role in ADMIN_ROLES]
                          for route, least in LEAST_ROLE.items()}
