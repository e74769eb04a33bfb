"""What the template and the API definition promise, beyond what cfn-lint and checkov check."""
import json
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
    # A GSI read is eventually consistent: nothing that decides whether a key works reads one.
    # The only index is the sparse one the sweep reads to find expired keys (it re-reads each).
    [index] = properties["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "ExpiringKeys"
    assert index["KeySchema"] == [{"AttributeName": "expiring", "KeyType": "HASH"},
                                  {"AttributeName": "keyExpiresAt", "KeyType": "RANGE"}]
    assert index["Projection"] == {"ProjectionType": "KEYS_ONLY"}


def test_the_authorizer_reads_the_route_scopes_parameter(template):
    import json
    parameter = template["Parameters"]["RouteScopes"]
    routes = json.loads(parameter["Default"])
    assert routes == {"*": ["GET /whoami"], "whoami:read": ["GET /accounts/{accountId}/whoami"]}
    authorizer = template["Resources"]["AuthorizerFunction"]["Properties"]
    assert authorizer["Environment"]["Variables"]["ROUTE_SCOPES"] == {"Ref": "RouteScopes"}


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
        "WhoAmIFunction": ["GET /whoami", "GET /accounts/{accountId}/whoami"],
        "GetSettingsFunction": ["GET /accounts/{accountId}/settings"],
        "UpdateSettingsFunction": ["PATCH /accounts/{accountId}/settings"],
        "ReportLeakedSecretsFunction": ["POST /secret-scanning/reports"],
        "GetKeyUsageFunction": ["GET /accounts/{accountId}/keys/{keyId}/usage"],
        "CreateWebhookFunction": ["POST /accounts/{accountId}/webhooks"],
        "ListWebhooksFunction": ["GET /accounts/{accountId}/webhooks"],
        "GetWebhookFunction": ["GET /accounts/{accountId}/webhooks/{webhookId}"],
        "DeleteWebhookFunction": ["DELETE /accounts/{accountId}/webhooks/{webhookId}"],
        "RotateWebhookSecretFunction": ["POST /accounts/{accountId}/webhooks/{webhookId}/rotate-secret"],
        "TestWebhookFunction": ["POST /accounts/{accountId}/webhooks/{webhookId}/test"],
    }


def test_every_operation_requires_iam_and_validation(api):
    assert api["security"] == [{"sigv4": []}]
    assert api["components"]["securitySchemes"]["sigv4"]["x-amazon-apigateway-authtype"] == "awsSigv4"
    validator = api["x-amazon-apigateway-request-validator"]
    assert api["x-amazon-apigateway-request-validators"][validator] == {
        "validateRequestBody": True, "validateRequestParameters": True}
    for path, method, operation in operations(api):
        if path in ("/whoami", "/accounts/{accountId}/whoami", "/secret-scanning/reports"):
            continue  # Client ID and Secret, or the scanner's signature: see the tests below
        assert "security" not in operation, f"{method} {path} overrides the IAM requirement"
        assert operation.get("x-amazon-apigateway-request-validator", validator) == validator


def test_whoami_is_behind_the_key_authorizer_without_caching(api):
    assert api["paths"]["/whoami"]["get"]["security"] == [{"clientCredentials": []}]
    assert api["paths"]["/accounts/{accountId}/whoami"]["get"]["security"] == [{"clientCredentials": []}]
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
                # AWS WAF's per-integration 429 is the same problem, but it can only say application/json
                allowed = [["application/problem+json"], ["application/problem+json", "application/json"]] \
                    if status == "429" and operation.get("security") == [{"clientCredentials": []}] \
                    else [["application/problem+json"]]
                assert list(response["content"]) in allowed, f"{method} {path} {status}"
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
    for settings in api["MethodSettings"]:
        assert settings["DataTraceEnabled"] is False  # bodies carry secrets
        assert settings["MetricsEnabled"] is True and settings["LoggingLevel"] == "ERROR"
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


def test_admin_and_integration_routes_have_separate_throttles(template, api):
    """Every SigV4 route (the admins', all under /accounts) has the admin limits; everything else,
    the routes behind the Lambda authorizer (/accounts/{accountId}/whoami among them), the stage
    default with the integration limits."""
    settings = {(m["ResourcePath"], m["HttpMethod"]): m for m in template["Resources"]["KeywardApi"]["Properties"]["MethodSettings"]}
    default = settings.pop(("/*", "*"))
    assert (default["ThrottlingRateLimit"], default["ThrottlingBurstLimit"]) == (
        {"Ref": "IntegrationRateLimit"}, {"Ref": "IntegrationBurstLimit"})
    admin_routes = {("/" + path.replace("/", "~1"), method.upper()) for path, method, operation in operations(api)
                    if operation.get("security", api["security"]) == [{"sigv4": []}]}
    assert admin_routes and set(settings) == admin_routes
    for route, setting in settings.items():
        assert (setting["ThrottlingRateLimit"], setting["ThrottlingBurstLimit"]) == (
            {"Ref": "AdminRateLimit"}, {"Ref": "AdminBurstLimit"}), route
    for path, method, operation in operations(api):
        if not path.startswith("/accounts/"):
            assert operation.get("security", api["security"]) != [{"sigv4": []}], f"{method} {path}: an admin route outside /accounts"


def test_throttled_answers_are_problem_json_with_retry_after(api):
    throttled = api["x-amazon-apigateway-gateway-responses"]["THROTTLED"]
    assert throttled["statusCode"] == 429
    assert throttled["responseParameters"]["gatewayresponse.header.Retry-After"] == "'1'"
    assert '"code":"throttled"' in throttled["responseTemplates"]["application/json"]


def test_alarms_watch_metrics_the_functions_publish(template):
    """Each alarm on Keyward's namespace names a metric dev.keyward.telemetry.Metrics emits."""
    source = (ROOT / "functions/src/main/java/dev/keyward/telemetry/Metrics.java").read_text()
    namespace = template["Globals"]["Function"]["Environment"]["Variables"]["METRICS_NAMESPACE"]
    alarms = {k: v["Properties"] for k, v in template["Resources"].items() if v["Type"] == "AWS::CloudWatch::Alarm"}
    watched = {}
    for name, alarm in alarms.items():
        metrics = [m["MetricStat"]["Metric"] for m in alarm.get("Metrics", []) if "MetricStat" in m] or [alarm]
        for metric in metrics:
            watched.setdefault(name, []).append(metric["MetricName"])
            if metric["Namespace"] == namespace:
                assert f'"{metric["MetricName"]}"' in source, f"{name}: nothing publishes {metric['MetricName']}"
            elif metric["Namespace"] not in ("AWS/ApiGateway", "AWS/SQS"):
                raise AssertionError(f"{name}: namespace {metric['Namespace']}")
        assert alarm["AlarmActions"] == {"Fn::If": ["HasAlarmTopic", [{"Ref": "AlarmTopicArn"}], {"Ref": "AWS::NoValue"}]}
    assert watched == {
        "ApiServerErrorRateAlarm": ["5XXError"],
        "DependencyErrorsAlarm": ["DependencyErrors"],
        "SweepFailuresAlarm": ["SweepFailures", "SweepRuns"],
        "SweepFailedAlarm": ["ApproximateNumberOfMessagesVisible"],
        "PublishFailedAlarm": ["ApproximateNumberOfMessagesVisible"],
        "KeysWithoutSecretAlarm": ["KeysWithoutSecret"],
        "WebhookDeliveriesParkedAlarm": ["ApproximateNumberOfMessagesVisible"],
    }


def test_each_integration_has_its_own_request_budget_before_the_authorizer_runs(template):
    """AWS WAF counts requests per Authorization: Basic header (one Client ID and Secret) on the
    API's stage and answers 429 to that integration alone; SigV4 admin requests are not counted."""
    acl = template["Resources"]["IntegrationsWebAcl"]
    assert acl["Condition"] == "LimitEachIntegration"
    properties = acl["Properties"]
    assert properties["Scope"] == "REGIONAL" and properties["DefaultAction"] == {"Allow": {}}
    [rule] = properties["Rules"]
    rate = rule["Statement"]["RateBasedStatement"]
    assert rate["Limit"] == {"Ref": "PerIntegrationRequestsPerMinute"} and rate["EvaluationWindowSec"] == 60
    assert rate["AggregateKeyType"] == "CUSTOM_KEYS"
    assert [k["Header"]["Name"] for k in rate["CustomKeys"]] == ["authorization"]
    scope = rate["ScopeDownStatement"]["ByteMatchStatement"]
    assert (scope["FieldToMatch"], scope["PositionalConstraint"], scope["SearchString"]) == (
        {"SingleHeader": {"Name": "authorization"}}, "STARTS_WITH", "basic ")
    assert scope["TextTransformations"] == [{"Priority": 0, "Type": "LOWERCASE"}]
    response = rule["Action"]["Block"]["CustomResponse"]
    assert response["ResponseCode"] == 429
    assert {"Name": "Retry-After", "Value": "60"} in response["ResponseHeaders"]
    body = properties["CustomResponseBodies"][response["CustomResponseBodyKey"]]
    problem = json.loads(body["Content"])
    assert problem["status"] == 429 and problem["code"] == "integration_throttled" and problem["type"] == "about:blank"
    association = template["Resources"]["IntegrationsWebAclAssociation"]
    assert association["Condition"] == "LimitEachIntegration"
    assert association["Properties"]["ResourceArn"]["Fn::Sub"].endswith("::/restapis/${KeywardApi}/stages/${KeywardApi.Stage}")
    assert template["Conditions"]["LimitEachIntegration"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "PerIntegrationRequestsPerMinute"}, 0]}]}


def test_the_sweep_reports_failed_runs_and_keys_without_secret(template):
    sweep = template["Resources"]["SweepOrphanSecretsFunction"]
    config = sweep["Properties"]["EventInvokeConfig"]
    assert config["DestinationConfig"]["OnFailure"] == {"Type": "SQS", "Destination": {"Fn::GetAtt": ["SweepFailedRuns", "Arn"]}}
    skips = {s["id"]: s["comment"] for s in sweep["Metadata"]["checkov"]["skip"]}
    assert "EventBridge" in skips["CKV_AWS_116"] and "API Gateway only" not in skips["CKV_AWS_116"]
    alarms = template["Resources"]
    # the metric the secret_missing lines carry (dev.keyward.telemetry.Metrics), without dimensions
    assert alarms["KeysWithoutSecretAlarm"]["Properties"]["Namespace"] == {"Fn::Sub": "Keyward/${AWS::StackName}"}
    assert "Dimensions" not in alarms["KeysWithoutSecretAlarm"]["Properties"]
    failed = alarms["SweepFailedAlarm"]["Properties"]
    assert failed["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert failed["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["SweepFailedRuns", "QueueName"]}


def test_webhook_deliveries_retry_for_a_day_then_park_with_an_alarm(template):
    """Ten receives of a delivery, spaced by the delivery function's backoff, then the parked queue
    (kept 14 days) and its alarm; the delivery queue keeps a message longer than the retries last."""
    resources = template["Resources"]
    queue = resources["WebhookDeliveries"]["Properties"]
    assert queue["RedrivePolicy"] == {"deadLetterTargetArn": {"Fn::GetAtt": ["WebhookDeliveriesParked", "Arn"]},
                                      "maxReceiveCount": 10}
    assert queue["MessageRetentionPeriod"] > 28 * 3600
    assert queue["VisibilityTimeout"] >= 6 * resources["DeliverWebhooksFunction"]["Properties"]["Timeout"]
    assert resources["WebhookDeliveriesParked"]["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
    parked = resources["WebhookDeliveriesParkedAlarm"]["Properties"]
    assert (parked["MetricName"], parked["Threshold"], parked["ComparisonOperator"]) == (
        "ApproximateNumberOfMessagesVisible", 0, "GreaterThanThreshold")
    assert parked["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["WebhookDeliveriesParked", "QueueName"]}
    mapping = resources["WebhookDeliveriesMapping"]["Properties"]
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert "Events" not in resources["DeliverWebhooksFunction"]["Properties"]


def test_unpublished_events_are_parked_in_a_queue_that_raises_an_alarm(template):
    resources = template["Resources"]
    assert resources["KeywardEventBus"]["Type"] == "AWS::Events::EventBus"
    alarm = resources["PublishFailedAlarm"]["Properties"]
    assert alarm["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["PublishFailedEvents", "QueueName"]}
    stream = resources["PublishEventsStream"]["Properties"]
    assert stream["EventSourceArn"] == {"Fn::GetAtt": ["KeysTable", "StreamArn"]}
    assert stream["BisectBatchOnFunctionError"] is True
    assert resources["PublishEventsFunction"]["Properties"]["Environment"]["Variables"]["KEYWARD_EVENT_BUS"] == {
        "Ref": "KeywardEventBus"}


def test_the_publisher_is_woken_only_by_new_items_that_carry_an_event(template):
    stream = template["Resources"]["PublishEventsStream"]["Properties"]
    assert json.loads(stream["FilterCriteria"]["Filters"][0]["Pattern"]) == {
        "eventName": ["INSERT"], "dynamodb": {"NewImage": {"event": {"S": [{"exists": True}]}}}}
    assert stream["DestinationConfig"]["OnFailure"]["Destination"] == {"Fn::GetAtt": ["PublishFailedEvents", "Arn"]}
    assert stream["FunctionName"] == {"Ref": "PublishEventsFunction.Alias"}
    assert template["Resources"]["KeysTable"]["Properties"]["StreamSpecification"] == {"StreamViewType": "NEW_IMAGE"}
