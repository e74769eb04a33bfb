"""The transformed template, deployed to moto's CloudFormation (local/emulator.py on 127.0.0.1).

moto 5.2.5 creates the table, the IAM roles, the log groups, the functions and their versions
from CloudFormation; what it cannot create is left out of the stack here and named in
UNSUPPORTED, with the reason. The policy contents themselves are pinned by test_policies.py.
"""
import ast
import io
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import zipfile

import boto3
import pytest

from templates import FUNCTIONS, INFRA, load, transformed

REGION = "us-east-1"
KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DEPLOYED_TYPES = {
    "AWS::DynamoDB::Table",
    "AWS::IAM::Role",
    "AWS::Logs::LogGroup",
    "AWS::Lambda::Function",
    "AWS::Lambda::Version",
    "AWS::SQS::Queue",
    "AWS::Events::EventBus",
}
UNSUPPORTED = {
    # moto's CloudFormation has no AWS::Lambda::Alias resource.
    "AWS::Lambda::Alias",
    # moto creates the RestApi but does not import its Body (the OpenAPI definition), so the
    # Deployment fails with "The REST API doesn't contain any methods"; the Stage needs it.
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGateway::Deployment",
    "AWS::ApiGateway::Stage",
    # Not implemented in moto's CloudFormation.
    "AWS::ApiGateway::Account",
    "AWS::CloudFormation::WaitConditionHandle",
    # Name the aliases and the API above (the sweep's hourly rule targets its alias).
    "AWS::Lambda::Permission",
    "AWS::Events::Rule",
    # Accepted by moto's CloudFormation but not listed as a stack resource afterwards; the
    # alarms' metrics are checked against the functions' code in test_template.py instead.
    "AWS::CloudWatch::Alarm",
    # The sweep's on-failure destination is configured on its alias.
    "AWS::Lambda::EventInvokeConfig",
    # The webhook delivery queue feeds the delivery function's alias; only the events rule above
    # may send to it (test_template.py and test_policies.py check both).
    "AWS::Lambda::EventSourceMapping",
    "AWS::SQS::QueuePolicy",
    # Not implemented in moto's CloudFormation; test_template.py checks the rule.
    "AWS::WAFv2::WebACL",
    "AWS::WAFv2::WebACLAssociation",
}


@pytest.fixture(scope="module")
def aws():
    # moto as `make run` and the integration tests serve it: each call applied atomically
    emulator = os.path.join(INFRA, os.pardir, "local", "emulator.py")
    server = subprocess.Popen([sys.executable, emulator, "-H", "127.0.0.1", "-p", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        # the first line names the free port it bound: "moto listening on http://127.0.0.1:PORT (atomic)"
        first = server.stdout.readline()
        if not first.startswith("moto listening on "):
            raise RuntimeError(f"moto did not start: {first!r}")
        endpoint = first.split()[3]
        threading.Thread(target=server.stdout.read, daemon=True).start()
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(endpoint + "/moto-api/", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto did not answer")
                time.sleep(0.2)
        settings = dict(endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id="testing", aws_secret_access_key="testing")
        yield lambda service: boto3.client(service, **settings)
    finally:
        server.terminate()
        server.wait(timeout=10)


def as_json(document):
    """A policy document as moto answers it: JSON, URL-encoded JSON, or (for inline policies
    that its CloudFormation created) the Python repr of the parsed document."""
    if not isinstance(document, str):
        return document
    text = urllib.parse.unquote(document)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return ast.literal_eval(text)


def create(aws, name, template, parameters=None):
    cloudformation = aws("cloudformation")
    cloudformation.create_stack(
        StackName=name, TemplateBody=json.dumps(template), Capabilities=["CAPABILITY_IAM"],
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in (parameters or {}).items()])
    deadline = time.monotonic() + 60
    while True:
        stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
        if not stack["StackStatus"].endswith("IN_PROGRESS") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    resources = cloudformation.describe_stack_resources(StackName=name)["StackResources"]
    return {r["LogicalResourceId"]: r for r in resources if "LogicalResourceId" in r}


@pytest.fixture(scope="module")
def keyward(aws):
    """The Keyward stack: every resource type moto can create, the rest left out."""
    template = transformed()
    # the admin console is off by default (AdminConsole "false"): test_console_stack.py checks it
    resources = {k: v for k, v in template["Resources"].items() if v.get("Condition") != "WithAdminConsole"}
    left_out = {r["Type"] for r in resources.values()} - DEPLOYED_TYPES
    assert left_out <= UNSUPPORTED, f"new resource types, decide whether moto deploys them: {left_out - UNSUPPORTED}"
    template["Resources"] = {k: v for k, v in resources.items() if v["Type"] in DEPLOYED_TYPES}
    template["Outputs"] = {k: v for k, v in template["Outputs"].items() if k in ("KeysTableName", "Stage")
                           or k.endswith("FunctionArn")}

    jar = io.BytesIO()
    with zipfile.ZipFile(jar, "w") as archive:
        archive.writestr("placeholder.txt", "moto does not run the code")
    s3 = aws("s3")
    s3.create_bucket(Bucket="keyward-artifacts")
    s3.put_object(Bucket="keyward-artifacts", Key="keyward-functions.jar", Body=jar.getvalue())

    # With the KMS key given: moto fails on an AWS::NoValue inside a role's Policies list.
    deployed = create(aws, "keyward", template, {"Stage": "test", "SecretsKmsKeyArn": KMS_KEY})
    return template, deployed


def test_stack_creates_every_deployable_resource(keyward):
    template, deployed = keyward
    assert set(deployed) == set(template["Resources"])
    assert {r["ResourceStatus"] for r in deployed.values()} == {"CREATE_COMPLETE"}


def test_table_is_on_demand_with_pk_sk_and_protected(aws, keyward):
    _, deployed = keyward
    name = deployed["KeysTable"]["PhysicalResourceId"]
    assert name == "keyward-test-keys"
    table = aws("dynamodb").describe_table(TableName=name)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert {(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]} == {("pk", "HASH"), ("sk", "RANGE")}
    assert table.get("DeletionProtectionEnabled") is True


def test_function_roles_hold_their_statements_on_the_real_table(aws, keyward):
    _, deployed = keyward
    iam = aws("iam")
    table_arn = aws("dynamodb").describe_table(TableName=deployed["KeysTable"]["PhysicalResourceId"])["Table"]["TableArn"]
    role = deployed["ListKeysFunctionRole"]["PhysicalResourceId"]
    [name] = iam.list_role_policies(RoleName=role)["PolicyNames"]
    document = as_json(iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"])
    assert document["Statement"] == [{"Sid": "QueryKeys", "Effect": "Allow", "Action": "dynamodb:Query", "Resource": table_arn,
                                      "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["ACCOUNT#*"]},
                                                    "Null": {"dynamodb:LeadingKeys": "false"}}}]

    role = deployed["GetKeyFunctionRole"]["PhysicalResourceId"]
    names = iam.list_role_policies(RoleName=role)["PolicyNames"]
    assert len(names) == 2  # the table and secret statements, and the KMS statement
    # (moto's CloudFormation does not attach a role's ManagedPolicyArns; test_policies pins them.)


def test_functions_run_their_handler_on_java21(aws, keyward):
    _, deployed = keyward
    lambdas = aws("lambda")
    # moto 5.2.5 answers 500 to GetFunctionConfiguration of the stream publisher (its environment
    # refers to the event bus); test_template.py checks its runtime and environment instead
    for logical_id in (f for f in FUNCTIONS if f != "PublishEventsFunction"):
        config = lambdas.get_function_configuration(FunctionName=deployed[logical_id]["PhysicalResourceId"])
        assert config["Runtime"] == "java21"
        assert config["Handler"].startswith("dev.keyward.handler.")
        assert config["Environment"]["Variables"]["KEYS_TABLE"] == "keyward-test-keys"
        assert config["Environment"]["Variables"]["SECRETS_KMS_KEY_ID"] == KMS_KEY


def test_log_groups_keep_logs_for_the_retention_period(aws, keyward):
    groups = aws("logs").describe_log_groups(logGroupNamePrefix="/keyward/keyward/")["logGroups"]
    assert {g["logGroupName"].rsplit("/", 1)[1]: g.get("retentionInDays") for g in groups} == {
        "api-access": 365, "create-key": 365, "list-keys": 365, "get-key": 365, "delete-key": 365,
        "sweep-orphan-secrets": 365, "get-settings": 365, "update-settings": 365,
        "rename-key": 365, "rotate-key": 365, "list-audit": 365, "authorizer": 365, "whoami": 365,
        "report-leaked-secrets": 365, "get-key-usage": 365, "create-webhook": 365, "list-webhooks": 365,
        "get-webhook": 365, "delete-webhook": 365, "rotate-webhook-secret": 365, "test-webhook": 365,
        "deliver-webhooks": 365, "publish-events": 365}


def test_integration_and_admin_policies_deploy_and_attach(aws, keyward):
    role = aws("iam").create_role(RoleName="billing-export", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    key_id = "key_01JD8X3QH7ZK2M4N6P8R0T2V4W"
    integration = create(aws, "keyward-integration", load(INFRA / "integration-access.yaml"), {
        "KeywardAccountId": "acme", "KeyId": key_id, "ApiId": "a1b2c3d4e5", "Stage": "test",
        "SecretsKmsKeyArn": KMS_KEY, "RoleNames": "billing-export"})
    admin = create(aws, "keyward-admin", load(INFRA / "account-admin-access.yaml"), {
        "KeywardAccountId": "acme", "ApiId": "a1b2c3d4e5", "Stage": "test", "RoleNames": "billing-export"})

    iam = aws("iam")
    attached = {p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role["Role"]["RoleName"])["AttachedPolicies"]}
    integration_arn = integration["IntegrationPolicy"]["PhysicalResourceId"]
    assert attached == {integration_arn, admin["AccountAdminPolicy"]["PhysicalResourceId"]}
    version = iam.get_policy(PolicyArn=integration_arn)["Policy"]["DefaultVersionId"]
    document = iam.get_policy_version(PolicyArn=integration_arn, VersionId=version)["PolicyVersion"]["Document"]
    document = as_json(document)
    resources = {s["Sid"]: s["Resource"] for s in document["Statement"]}
    assert resources == {
        "ReadOwnSecret": f"arn:aws:secretsmanager:{REGION}:123456789012:secret:keyward/acme/{key_id}-??????",
        "CallOwnKeyRoute": f"arn:aws:execute-api:{REGION}:123456789012:a1b2c3d4e5/test/GET/accounts/acme/keys/{key_id}",
        "DecryptOwnSecret": KMS_KEY,
    }


def test_the_admin_policy_without_a_role_deploys_as_the_owners(aws):
    """Stacks deployed before AdminRole existed get the owner's three statements. (The viewer and
    operator drop statements with Fn::If and AWS::NoValue, which moto 5.2.5 leaves in the list as
    null, so it refuses them as malformed; test_policies.py decides those conditions as
    CloudFormation does and evaluates each role.)"""
    stack = create(aws, "keyward-admin-default", load(INFRA / "account-admin-access.yaml"),
                   {"KeywardAccountId": "acme", "ApiId": "a1b2c3d4e5", "Stage": "test"})
    iam = aws("iam")
    arn = stack["AccountAdminPolicy"]["PhysicalResourceId"]
    version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
    document = as_json(iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"])
    assert [s["Sid"] for s in document["Statement"]] == ["ReadKeysUsageAndAudit", "ManageKeys", "ManageSettingsAndWebhooks"]
    routes = f"arn:aws:execute-api:{REGION}:123456789012:a1b2c3d4e5/test/GET/accounts/acme"
    assert document["Statement"][0]["Resource"] == [f"{routes}/keys", f"{routes}/keys/*/usage", f"{routes}/audit"]


def test_deleting_the_stack_keeps_the_table(aws, keyward):
    _, deployed = keyward
    cloudformation = aws("cloudformation")
    cloudformation.delete_stack(StackName="keyward")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        stacks = cloudformation.describe_stacks()["Stacks"]
        if not any(s["StackName"] == "keyward" and s["StackStatus"] != "DELETE_COMPLETE" for s in stacks):
            break
        time.sleep(0.5)
    iam = aws("iam")
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_role(RoleName=deployed["ListKeysFunctionRole"]["PhysicalResourceId"])
    table = aws("dynamodb").describe_table(TableName="keyward-test-keys")["Table"]
    assert table["TableStatus"] == "ACTIVE"
