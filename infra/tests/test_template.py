"""What the template and the API definition promise, beyond what cfn-lint and checkov check."""
import re

import pytest

from templates import FUNCTIONS, INFRA, OPENAPI, ROOT, load, transformed

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
FUNCTION_REF = re.compile(r"\$\{(\w+)\.Arn\}")


@pytest.fixture(scope="module")
def template():
    return load()


@pytest.fixture(scope="module")
def api():
    return load(OPENAPI)


def operations(api):
    for path, item in api["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_table_keeps_the_keys(template):
    table = template["Resources"]["KeysTable"]
    properties = table["Properties"]
    assert table["DeletionPolicy"] == "Retain" and table["UpdateReplacePolicy"] == "Retain"
    assert properties["DeletionProtectionEnabled"] is True
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["SSESpecification"]["SSEEnabled"] is True
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "expiresAt", "Enabled": True}
    assert "GlobalSecondaryIndexes" not in properties  # a GSI read is eventually consistent


def test_functions_share_the_built_jar_and_run_from_a_snapstart_alias(template):
    function = template["Globals"]["Function"]
    # sam build runs the repository's Makefile (build-<Function>) for each function
    assert (INFRA / function["CodeUri"]).resolve() == ROOT
    functions = {k: v for k, v in template["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}
    assert {k: v["Metadata"].get("BuildMethod") for k, v in functions.items()} == {k: "makefile" for k in functions}
    assert "\nbuild-%Function: $(FUNCTIONS_JAR)\n" in (ROOT / "Makefile").read_text()
    assert function["Runtime"] == "java21"
    assert function["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    assert function["AutoPublishAlias"] == "live"
    assert function["Tracing"] == "Active"
    assert set(function["Environment"]["Variables"]) >= {"KEYS_TABLE", "KEY_LIMIT", "SECRETS_KMS_KEY_ID"}


def test_each_function_names_its_handler_class_and_own_log_group(template):
    functions = {k: v for k, v in template["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}
    assert {k: v["Properties"]["Handler"] for k, v in functions.items()} == FUNCTIONS
    for logical_id, function in functions.items():
        handler_class = function["Properties"]["Handler"].split("::")[0]
        source = ROOT / "functions/src/main/java" / (handler_class.replace(".", "/") + ".java")
        assert source.is_file(), f"{logical_id}: no {source}"
        group = function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        assert template["Resources"][group]["Type"] == "AWS::Logs::LogGroup"
        assert template["Resources"][group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_every_operation_is_served_by_one_function_through_its_live_alias(api, template):
    """The convention the local API relies on: uri names ${<LogicalId>.Arn} of a function with a Handler."""
    served = {}
    for path, method, operation in operations(api):
        integration = operation["x-amazon-apigateway-integration"]
        assert integration["type"] == "aws_proxy" and integration["httpMethod"] == "POST"
        uri = integration["uri"]["Fn::Sub"]
        [function] = FUNCTION_REF.findall(uri)
        assert "${%s.Arn}:live/invocations" % function in uri
        assert "Handler" in template["Resources"][function]["Properties"]
        served[function] = served.get(function, []) + [f"{method.upper()} {path}"]
    assert served == {
        "CreateKeyFunction": ["POST /accounts/{accountId}/keys"],
        "ListKeysFunction": ["GET /accounts/{accountId}/keys"],
        "GetKeyFunction": ["GET /accounts/{accountId}/keys/{keyId}"],
        "DeleteKeyFunction": ["DELETE /accounts/{accountId}/keys/{keyId}"],
        "RenameKeyFunction": ["PATCH /accounts/{accountId}/keys/{keyId}"],
        "RotateKeyFunction": ["POST /accounts/{accountId}/keys/{keyId}/rotate"],
        "ListAuditFunction": ["GET /accounts/{accountId}/audit"],
        "WhoAmIFunction": ["GET /whoami"],
        "ReportLeakedSecretsFunction": ["POST /secret-scanning/reports"],
        "GetKeyUsageFunction": ["GET /accounts/{accountId}/keys/{keyId}/usage"],
    }


def test_every_operation_requires_iam_and_validation(api):
    assert api["security"] == [{"sigv4": []}]
    assert api["components"]["securitySchemes"]["sigv4"]["x-amazon-apigateway-authtype"] == "awsSigv4"
    validator = api["x-amazon-apigateway-request-validator"]
    assert api["x-amazon-apigateway-request-validators"][validator] == {
        "validateRequestBody": True, "validateRequestParameters": True}
    for path, method, operation in operations(api):
        if path in ("/whoami", "/secret-scanning/reports"):
            continue  # Client ID and Secret, or the scanner's signature: see the tests below
        assert "security" not in operation, f"{method} {path} overrides the IAM requirement"
        assert operation.get("x-amazon-apigateway-request-validator", validator) == validator


def test_whoami_is_behind_the_key_authorizer_without_caching(api):
    assert api["paths"]["/whoami"]["get"]["security"] == [{"clientCredentials": []}]
    scheme = api["components"]["securitySchemes"]["clientCredentials"]
    assert scheme["x-amazon-apigateway-authtype"] == "custom"
    authorizer = scheme["x-amazon-apigateway-authorizer"]
    assert authorizer["type"] == "request"
    assert authorizer["identitySource"] == "method.request.header.Authorization"
    # a cached Allow would keep a deleted key working until the cache expired
    assert authorizer["authorizerResultTtlInSeconds"] == 0
    assert "${AuthorizerFunction.Arn}:live/invocations" in authorizer["authorizerUri"]["Fn::Sub"]
    unauthorized = api["x-amazon-apigateway-gateway-responses"]["UNAUTHORIZED"]
    assert unauthorized["statusCode"] == 401
    assert unauthorized["responseParameters"]["gatewayresponse.header.WWW-Authenticate"].startswith("'Basic ")


def test_secret_scanning_reports_take_no_iam_but_their_signature_headers(api, template):
    """The scanner has no AWS identity: the route is open, and the handler checks the signature."""
    operation = api["paths"]["/secret-scanning/reports"]["post"]
    assert operation["security"] == []
    headers = {p["name"] for p in operation["parameters"] if p["in"] == "header" and p["required"]}
    assert headers == {"Github-Public-Key-Identifier", "Github-Public-Key-Signature"}
    function = template["Resources"]["ReportLeakedSecretsFunction"]["Properties"]
    assert function["Environment"]["Variables"]["SECRET_SCANNING_PUBLIC_KEYS"] == {"Ref": "SecretScanningPublicKeys"}
    assert template["Parameters"]["SecretScanningPublicKeys"]["Default"] == ""


def test_errors_are_problem_json_everywhere(api):
    for path, method, operation in operations(api):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                if "$ref" in response:
                    response = api["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
                assert list(response["content"]) == ["application/problem+json"], f"{method} {path} {status}"
    for name, response in api["x-amazon-apigateway-gateway-responses"].items():
        headers = response["responseParameters"]
        assert headers["gatewayresponse.header.Content-Type"] == "'application/problem+json'", name
        assert '"code":"' in response["responseTemplates"]["application/json"], name


def test_openapi_is_includable_as_it_is():
    """AWS::Include takes the file unprocessed: no YAML anchors, no short-form intrinsics."""
    text = OPENAPI.read_text()
    assert not re.search(r"(^|\s)[&*][A-Za-z]", text.replace("'*'", "")), "YAML anchor or alias"
    assert not re.search(r":\s+!\w", text), "short-form intrinsic function"


def test_api_stage_is_throttled_traced_and_access_logged(template):
    api = template["Resources"]["KeywardApi"]["Properties"]
    assert api["DefinitionBody"] == {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "openapi.yaml"}}}
    assert api["TracingEnabled"] is True
    [settings] = api["MethodSettings"]
    assert settings["ThrottlingRateLimit"] == {"Ref": "ThrottlingRateLimit"}
    assert settings["ThrottlingBurstLimit"] == {"Ref": "ThrottlingBurstLimit"}
    assert settings["DataTraceEnabled"] is False  # bodies carry secrets
    assert api["AccessLogSetting"]["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}
    assert api["AccessLogSetting"]["Format"].startswith("{") and '"requestId"' in api["AccessLogSetting"]["Format"]


def test_outputs_name_the_api_table_and_functions():
    outputs = transformed()["Outputs"]
    assert {"ApiUrl", "ApiId", "Stage", "KeysTableName"} <= set(outputs)
    assert {f + "Arn" for f in FUNCTIONS} <= set(outputs)


def test_samconfig_asks_before_changing_anything():
    text = (INFRA / "samconfig.toml").read_text()
    assert re.search(r"^confirm_changeset = true$", text, re.M)
    assert re.search(r'^capabilities = "CAPABILITY_IAM"$', text, re.M)
    assert re.search(r"^resolve_s3 = true$", text, re.M)


def test_the_sweep_reports_failed_runs_and_keys_without_secret(template):
    sweep = template["Resources"]["SweepOrphanSecretsFunction"]
    config = sweep["Properties"]["EventInvokeConfig"]
    assert config["DestinationConfig"]["OnFailure"] == {"Type": "SQS", "Destination": {"Fn::GetAtt": ["SweepFailedRuns", "Arn"]}}
    skips = {s["id"]: s["comment"] for s in sweep["Metadata"]["checkov"]["skip"]}
    assert "EventBridge" in skips["CKV_AWS_116"] and "API Gateway only" not in skips["CKV_AWS_116"]
    alarms = {r["Properties"]["MetricName"]: r["Properties"] for r in template["Resources"].values()
              if r["Type"] == "AWS::CloudWatch::Alarm"}
    # the metric the sweep's EMF line emits (SweepOrphanSecretsHandler), with the same dimension
    assert alarms["KeysWithoutSecret"]["Namespace"] == "Keyward"
    assert alarms["KeysWithoutSecret"]["Dimensions"] == [{"Name": "Function", "Value": "SweepOrphanSecrets"}]
    assert alarms["ApproximateNumberOfMessagesVisible"]["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["SweepFailedRuns", "QueueName"]}
