"""Least privilege, pinned: each function may make exactly the AWS calls its handler makes.

Widening a policy (another action, a broader resource, a dropped condition) fails here. The
calls come from DynamoKeyStore and SecretsManagerVault:
  create  GetItem (key count), PutItem (secret note), TransactWriteItems of Put, Put, Update,
          Delete (note); CreateSecret with tags; DeleteSecret and DeleteItem (note) when the
          transaction fails
  list    Query
  get     GetItem; GetSecretValue
  delete  GetItem (key, client); TransactWriteItems of Delete, Delete, Update, Put (note), Puts
          (SECRET_HASH# lookups retired); DeleteSecret; DeleteItem (note)
  report  GetItem (lookup, client, settings, key); UpdateItem of the leak flag only; the delete's
          calls to revoke
  sweep   Query and DeleteItem on secret notes; GetItem; DeleteSecret
  rename  UpdateItem (ReturnValues ALL_NEW)
  rotate  GetItem (key, client); TransactWriteItems of an Update of the client's secret fields
          and Puts of SECRET_HASH# lookups; PutSecretValue
  audit   Query
  authorizer  GetItem (client); once a minute per key, an UpdateItem of USAGE# day counters, or
          a TransactWriteItems of those and the key's lastUsedAt
  usage   GetItem (key); Query of the key's USAGE# partition
  whoami  nothing
create, get, delete, rename and rotate also PutItem an audit event, and only audit-shaped items.
DynamoDB authorizes the parts of a TransactWriteItems as PutItem/UpdateItem/DeleteItem.
"""
import json
import re

import pytest

from templates import FUNCTIONS, load, resolve_conditions, transformed, INFRA

TABLE = "GetAtt:KeysTable.Arn"
SECRETS = "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:keyward/*"
KMS_KEY = "Ref:SecretsKmsKeyArn"
IN_TRANSACTION = {"StringEquals": {"dynamodb:EnclosingOperation": "TransactWriteItems"}}
ONLY_SECRET_NOTES = {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["SECRET_NOTE"]}}
SECRET_HASHES_IN_TRANSACTION = {
    "StringEquals": {"dynamodb:EnclosingOperation": "TransactWriteItems"},
    "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["SECRET_HASH#*"]},
}
VIA_SECRETS_MANAGER = {
    "StringEquals": {"kms:ViaService": "secretsmanager.${AWS::Region}.amazonaws.com"},
    "StringLike": {"kms:EncryptionContext:SecretARN": SECRETS},
}

AUDIT_ITEM = {"ForAllValues:StringEquals": {
    "dynamodb:Attributes": ["pk", "sk", "eventId", "action", "keyId", "at", "caller", "expiresAt"]}}
WRITE_AUDIT = (["dynamodb:PutItem"], TABLE, AUDIT_ITEM)

EXPECTED = {
    "CreateKeyFunction": [
        (["dynamodb:GetItem"], TABLE, None),
        WRITE_AUDIT,
        (["dynamodb:PutItem", "dynamodb:UpdateItem"], TABLE, IN_TRANSACTION),
        (["dynamodb:DeleteItem", "dynamodb:PutItem"], TABLE, ONLY_SECRET_NOTES),
        (["secretsmanager:CreateSecret", "secretsmanager:DeleteSecret", "secretsmanager:TagResource"], SECRETS, None),
    ],
    "ListKeysFunction": [
        (["dynamodb:Query"], TABLE, None),
    ],
    "GetKeyFunction": [
        (["dynamodb:GetItem"], TABLE, None),
        WRITE_AUDIT,
        (["secretsmanager:GetSecretValue"], SECRETS, None),
    ],
    "DeleteKeyFunction": [
        (["dynamodb:GetItem"], TABLE, None),
        WRITE_AUDIT,
        (["dynamodb:DeleteItem", "dynamodb:UpdateItem"], TABLE, IN_TRANSACTION),
        (["dynamodb:PutItem"], TABLE, SECRET_HASHES_IN_TRANSACTION),
        (["dynamodb:DeleteItem", "dynamodb:PutItem"], TABLE, ONLY_SECRET_NOTES),
        (["secretsmanager:DeleteSecret"], SECRETS, None),
    ],
    "ReportLeakedSecretsFunction": [
        (["dynamodb:GetItem"], TABLE, None),
        (["dynamodb:UpdateItem"], TABLE, {"ForAllValues:StringEquals": {
            "dynamodb:Attributes": ["pk", "sk", "leakedAt", "leakedUrl", "leakedSecretHash"]}}),
        WRITE_AUDIT,
        (["dynamodb:DeleteItem", "dynamodb:UpdateItem"], TABLE, IN_TRANSACTION),
        (["dynamodb:PutItem"], TABLE, SECRET_HASHES_IN_TRANSACTION),
        (["dynamodb:DeleteItem", "dynamodb:PutItem"], TABLE, ONLY_SECRET_NOTES),
        (["secretsmanager:DeleteSecret"], SECRETS, None),
    ],
    "SweepOrphanSecretsFunction": [
        (["dynamodb:DeleteItem", "dynamodb:Query"], TABLE, ONLY_SECRET_NOTES),
        (["dynamodb:GetItem"], TABLE, None),
        (["secretsmanager:DeleteSecret"], SECRETS, None),
    ],
    "RenameKeyFunction": [
        (["dynamodb:UpdateItem"], TABLE, None),
        WRITE_AUDIT,
    ],
    "RotateKeyFunction": [
        (["dynamodb:GetItem"], TABLE, None),
        (["dynamodb:UpdateItem"], TABLE, {"ForAllValues:StringEquals": {
            "dynamodb:Attributes": ["pk", "sk", "secretHash", "otherHashes", "revision", "rotationLeaseUntil"]}}),
        (["dynamodb:PutItem"], TABLE, SECRET_HASHES_IN_TRANSACTION),
        WRITE_AUDIT,
        (["secretsmanager:PutSecretValue"], SECRETS, None),
    ],
    "ListAuditFunction": [
        (["dynamodb:Query"], TABLE, None),
    ],
    "AuthorizerFunction": [
        (["dynamodb:GetItem"], TABLE, None),
        (["dynamodb:UpdateItem"], TABLE, {"ForAllValues:StringEquals": {"dynamodb:Attributes": ["pk", "sk", "lastUsedAt"]}}),
        (["dynamodb:UpdateItem"], TABLE, {
            "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USAGE#*"]},
            "ForAllValues:StringEquals": {"dynamodb:Attributes": ["pk", "sk", "allowed", "denied", "expiresAt"]}}),
    ],
    "GetKeyUsageFunction": [
        (["dynamodb:GetItem"], TABLE, None),
        (["dynamodb:Query"], TABLE, {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USAGE#*"]}}),
    ],
    "WhoAmIFunction": [],
}
EXPECTED_WITH_KMS = {
    "CreateKeyFunction": [(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], KMS_KEY, VIA_SECRETS_MANAGER)],
    "GetKeyFunction": [(["kms:Decrypt"], KMS_KEY, VIA_SECRETS_MANAGER)],
    "RotateKeyFunction": [(["kms:Encrypt", "kms:GenerateDataKey"], KMS_KEY, VIA_SECRETS_MANAGER)],
}
# Logs to the function's own log group, and X-Ray traces (those two actions exist only on "*").
EXPECTED_MANAGED = [
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
]


def render(value):
    """A policy value as one comparable string."""
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        target = value["Fn::GetAtt"]
        return "GetAtt:" + (target if isinstance(target, str) else ".".join(target))
    if isinstance(value, dict) and "Ref" in value:
        return "Ref:" + value["Ref"]
    if isinstance(value, dict) and "Fn::Sub" in value:
        return value["Fn::Sub"]
    return value


def render_condition(condition):
    if condition is None:
        return None
    return {op: {key: render(v) for key, v in pairs.items()} for op, pairs in condition.items()}


def statements(role, conditions):
    """Every statement of a role's inline policies, as (sorted actions, resource, condition)."""
    found = []
    for policy in resolve_conditions(role["Properties"].get("Policies", []), conditions):
        for statement in policy["PolicyDocument"]["Statement"]:
            assert statement["Effect"] == "Allow"
            assert "NotAction" not in statement and "NotResource" not in statement
            actions = statement["Action"]
            actions = sorted([actions] if isinstance(actions, str) else actions)
            resource = statement["Resource"]
            assert not isinstance(resource, list), "one resource per statement keeps this test exact"
            found.append((actions, render(resource), render_condition(statement.get("Condition"))))
    return sorted(found, key=json.dumps)


@pytest.fixture(scope="module")
def cfn():
    return transformed()


@pytest.mark.parametrize("with_kms", [False, True], ids=["aws-managed-key", "customer-managed-key"])
@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_function_role_allows_exactly_its_calls(cfn, function, with_kms):
    role = cfn["Resources"][function + "Role"]
    conditions = {"HasSecretsKmsKey": with_kms}
    expected = EXPECTED[function] + (EXPECTED_WITH_KMS.get(function, []) if with_kms else [])

    assert statements(role, conditions) == sorted(expected, key=json.dumps)
    assert role["Properties"]["ManagedPolicyArns"] == EXPECTED_MANAGED


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
        "WhoAmIFunction": "GET/whoami",
        "ReportLeakedSecretsFunction": "POST/secret-scanning/reports",
        "GetKeyUsageFunction": "GET/accounts/*/keys/*/usage",
    }
    permissions = [r["Properties"] for r in cfn["Resources"].values()
                   if r["Type"] == "AWS::Lambda::Permission" and r["Properties"]["Principal"] == "apigateway.amazonaws.com"]
    [authorizer] = [p for p in permissions if p["FunctionName"] == {"Ref": "AuthorizerFunctionAliaslive"}]
    assert authorizer["SourceArn"]["Fn::Sub"].endswith("${KeywardApi}/authorizers/*")
    permissions.remove(authorizer)
    assert len(permissions) == len(routes)
    for function, route in routes.items():
        alias = {"Ref": function + "Aliaslive"}
        [permission] = [p for p in permissions if p["FunctionName"] == alias]
        assert permission["Principal"] == "apigateway.amazonaws.com"
        assert permission["Action"] == "lambda:InvokeFunction"
        assert permission["SourceArn"]["Fn::Sub"].endswith("${KeywardApi}/*/" + route)


def test_only_the_hourly_rule_may_invoke_the_sweep(cfn):
    [permission] = [r["Properties"] for r in cfn["Resources"].values()
                    if r["Type"] == "AWS::Lambda::Permission" and r["Properties"]["Principal"] != "apigateway.amazonaws.com"]
    assert permission["Principal"] == "events.amazonaws.com"
    assert permission["FunctionName"] == {"Ref": "SweepOrphanSecretsFunctionAliaslive"}
    assert permission["SourceArn"] == {"Fn::GetAtt": ["SweepOrphanSecretsFunctionHourly", "Arn"]}


def test_integration_policy_reaches_one_secret_and_one_route():
    template = load(INFRA / "integration-access.yaml")
    policy = template["Resources"]["IntegrationPolicy"]["Properties"]["PolicyDocument"]
    found = sorted(
        (s["Action"], render(s["Resource"]), render_condition(s.get("Condition")))
        for s in resolve_conditions(policy["Statement"], {"HasSecretsKmsKey": True}))
    secret = ("arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:"
              "secret:keyward/${KeywardAccountId}/${KeyId}-??????")
    assert found == sorted([
        ("secretsmanager:GetSecretValue", secret, None),
        ("execute-api:Invoke",
         "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"
         "${ApiId}/${Stage}/GET/accounts/${KeywardAccountId}/keys/${KeyId}", None),
        ("kms:Decrypt", KMS_KEY, {
            "StringEquals": {"kms:ViaService": "secretsmanager.${AWS::Region}.amazonaws.com"},
            "StringLike": {"kms:EncryptionContext:SecretARN": secret}}),
    ])
    without_kms = resolve_conditions(policy["Statement"], {"HasSecretsKmsKey": False})
    assert [s["Sid"] for s in without_kms] == ["ReadOwnSecret", "CallOwnKeyRoute"]


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


def test_admin_policy_reaches_one_accounts_routes_only():
    template = load(INFRA / "account-admin-access.yaml")
    [statement] = template["Resources"]["AccountAdminPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Action"] == "execute-api:Invoke"
    assert render(statement["Resource"]) == (
        "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"
        "${ApiId}/${Stage}/*/accounts/${KeywardAccountId}/*")
