"""Reading Keyward's templates the way CloudFormation and SAM will."""
import copy
import os
from pathlib import Path

from cfnlint.decode import decode
from samtranslator.translator.transform import transform

INFRA = Path(__file__).resolve().parent.parent
ROOT = INFRA.parent
TEMPLATE = INFRA / "template.yaml"
OPENAPI = INFRA / "openapi.yaml"
REGION = "us-east-1"

FUNCTIONS = {
    "CreateKeyFunction": "dev.keyward.handler.CreateKeyHandler::handleRequest",
    "ListKeysFunction": "dev.keyward.handler.ListKeysHandler::handleRequest",
    "GetKeyFunction": "dev.keyward.handler.GetKeyHandler::handleRequest",
    "DeleteKeyFunction": "dev.keyward.handler.DeleteKeyHandler::handleRequest",
    "SweepOrphanSecretsFunction": "dev.keyward.handler.HousekeepingHandler::handleRequest",
    "PublishEventsFunction": "dev.keyward.handler.PublishEventsHandler::handleRequest",
    "RenameKeyFunction": "dev.keyward.handler.UpdateKeyHandler::handleRequest",
    "RotateKeyFunction": "dev.keyward.handler.RotateKeyHandler::handleRequest",
    "ListAuditFunction": "dev.keyward.handler.ListAuditHandler::handleRequest",
    "GetSettingsFunction": "dev.keyward.handler.GetSettingsHandler::handleRequest",
    "UpdateSettingsFunction": "dev.keyward.handler.UpdateSettingsHandler::handleRequest",
    "AuthorizerFunction": "dev.keyward.handler.AuthorizerHandler::handleRequest",
    "WhoAmIFunction": "dev.keyward.handler.WhoAmIHandler::handleRequest",
    "GetKeyUsageFunction": "dev.keyward.handler.GetKeyUsageHandler::handleRequest",
    "ReportLeakedSecretsFunction": "dev.keyward.handler.ReportLeakedSecretsHandler::handleRequest",
    "CreateWebhookFunction": "dev.keyward.handler.CreateWebhookHandler::handleRequest",
    "ListWebhooksFunction": "dev.keyward.handler.ListWebhooksHandler::handleRequest",
    "GetWebhookFunction": "dev.keyward.handler.GetWebhookHandler::handleRequest",
    "DeleteWebhookFunction": "dev.keyward.handler.DeleteWebhookHandler::handleRequest",
    "RotateWebhookSecretFunction": "dev.keyward.handler.RotateWebhookSecretHandler::handleRequest",
    "TestWebhookFunction": "dev.keyward.handler.TestWebhookHandler::handleRequest",
    "DeliverWebhooksFunction": "dev.keyward.handler.DeliverWebhooksHandler::handleRequest",
}


def load(path=TEMPLATE):
    """The YAML as CloudFormation reads it: short-form tags (!Sub, !If) become Fn:: maps."""
    template, errors = decode(str(path))
    if errors:
        raise AssertionError(f"{path} does not parse: {errors}")
    return template


class _NoManagedPolicies:
    """The translator asks for managed policy ARNs by name only when a template names one."""

    def load(self):
        return {}


def transformed(path=TEMPLATE, parameters=None):
    """The template after the SAM transform: plain CloudFormation, as `sam deploy` submits it.

    The local CodeUri becomes an S3 location, as `sam package` would make it.
    """
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    template = copy.deepcopy(load(path))
    template.get("Globals", {}).get("Function", {})["CodeUri"] = "s3://keyward-artifacts/keyward-functions.jar"
    return transform(template, dict(parameters or {}), _NoManagedPolicies())


def resolve_conditions(value, conditions):
    """Picks each Fn::If branch by the given condition values and drops AWS::NoValue."""
    if isinstance(value, dict):
        if set(value) == {"Fn::If"}:
            name, when_true, when_false = value["Fn::If"]
            return resolve_conditions(when_true if conditions[name] else when_false, conditions)
        return {k: resolve_conditions(v, conditions) for k, v in value.items()}
    if isinstance(value, list):
        items = [resolve_conditions(v, conditions) for v in value]
        return [v for v in items if v != {"Ref": "AWS::NoValue"}]
    return value


def condition_values(template, parameters):
    """Each of the template's Conditions, true or false, as CloudFormation decides it for these
    parameter values (the others at their defaults)."""
    declared = template.get("Parameters", {})

    def ref(name):
        if name in parameters:
            value = parameters[name]
        elif "Default" in declared[name]:
            value = declared[name]["Default"]
        else:
            raise KeyError(f"parameter {name} has no value and no default")
        if declared[name]["Type"] == "CommaDelimitedList" and isinstance(value, str):
            value = value.split(",")
        return value

    def value(node):
        if isinstance(node, list):
            return [value(item) for item in node]
        if not isinstance(node, dict):
            return node
        [(function, argument)] = node.items()
        if function == "Ref":
            return ref(argument)
        if function == "Condition":
            return condition(argument)
        if function == "Fn::Equals":
            left, right = value(argument)
            return left == right
        if function == "Fn::Not":
            [operand] = value(argument)
            return not operand
        if function == "Fn::And":
            return all(value(argument))
        if function == "Fn::Or":
            return any(value(argument))
        if function == "Fn::Join":
            separator, items = argument
            return separator.join(value(items))
        raise NotImplementedError(function)

    def condition(name):
        return value(template["Conditions"][name])

    return {name: condition(name) for name in template.get("Conditions", {})}
