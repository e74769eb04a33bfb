"""The deployed admin console (AdminConsole "true"): optional, confined to one account per admin
by the same routes as account-admin-access.yaml, and fed the configuration its sign-in reads."""
import fnmatch
import os
import re
import subprocess
from pathlib import Path

import pytest

from templates import INFRA, ROOT, condition_values, load, resolve_conditions
from test_policies import ACCOUNT, API, REGION, ROUTES, simulate

CONSOLE = ROOT / "local" / "src" / "main" / "resources" / "console"
TAG = "${!aws:PrincipalTag/accountId}"


@pytest.fixture(scope="module")
def template():
    return load()


def console_resources(template):
    return {name: r for name, r in template["Resources"].items() if name.startswith("Console")}


def role_statements(template):
    [policy] = template["Resources"]["ConsoleAdminRole"]["Properties"]["Policies"]
    return policy["PolicyDocument"]["Statement"]


def concrete(text, account_tag_as):
    for name, value in {"AWS::Partition": "aws", "AWS::Region": REGION, "AWS::AccountId": ACCOUNT,
                        "KeywardApi": API, "Stage": "prod"}.items():
        text = text.replace("${" + name + "}", value)
    return text.replace(TAG, account_tag_as)


def test_the_console_is_optional_and_off_by_default(template):
    assert template["Parameters"]["AdminConsole"]["Default"] == "false"
    assert template["Conditions"]["WithAdminConsole"] == {"Fn::Equals": [{"Ref": "AdminConsole"}, "true"]}
    resources = console_resources(template)
    assert len(resources) >= 10
    for name, resource in resources.items():
        assert resource.get("Condition") == "WithAdminConsole", name
    for name, output in template["Outputs"].items():
        if name.startswith("Console"):
            assert output.get("Condition") == "WithAdminConsole", name
    others = [n for n, r in template["Resources"].items() if r.get("Condition") == "WithAdminConsole" and n not in resources]
    assert others == [], "console resources are named Console*"


def test_the_console_role_has_the_admin_policys_owner_routes_with_the_account_from_the_session_tag(template):
    """The console's admins are their account's owners (account-admin-access.yaml, AdminRole owner)."""
    admin_template = load(INFRA / "account-admin-access.yaml")
    [admin] = admin_template["Resources"].values()
    conditions = condition_values(admin_template, {"AdminRole": "owner", "KeywardAccountId": "acme", "ApiId": API})
    grants = resolve_conditions(admin["Properties"]["PolicyDocument"]["Statement"], conditions)
    assert len(grants) > 1 and {grant["Action"] for grant in grants} == {"execute-api:Invoke"}
    expected = [r["Fn::Sub"].replace("${ApiId}", "${KeywardApi}").replace("${KeywardAccountId}", TAG)
                for grant in grants for r in grant["Resource"]]
    [allow] = [s for s in role_statements(template) if s["Effect"] == "Allow"]
    assert allow["Action"] == "execute-api:Invoke"
    assert sorted(r["Fn::Sub"] for r in allow["Resource"]) == sorted(expected)


def evaluated(template):
    """The role's policy as IAM reads it once the stack exists: the tag stays a policy variable."""
    statements = []
    for statement in role_statements(template):
        resource = statement["Resource"]
        if isinstance(resource, list):
            resource = [concrete(r["Fn::Sub"], "${aws:PrincipalTag/accountId}") for r in resource]
        statements.append(dict(statement, Resource=resource))
    return {"Version": "2012-10-17", "Statement": statements}


@pytest.mark.parametrize("tag", ["acme", "*", "acme/*", "a?me", None])
def test_an_admin_reaches_exactly_the_routes_of_the_account_in_the_tag(template, tag):
    policy = evaluated(template)
    key = "key_01JD8X3QH7ZK2M4N6P8R0T2V4W"
    own = [f"POST/accounts/acme/keys", "GET/accounts/acme/keys", f"GET/accounts/acme/keys/{key}",
           f"PATCH/accounts/acme/keys/{key}", f"DELETE/accounts/acme/keys/{key}",
           f"POST/accounts/acme/keys/{key}/rotate", f"GET/accounts/acme/keys/{key}/usage", "GET/accounts/acme/audit",
           "GET/accounts/acme/settings", "PATCH/accounts/acme/settings"]
    others = ["GET/accounts/globex/keys", "GET/accounts/acme-evil/keys", "GET/whoami", "GET/x/accounts/acme/keys",
              "DELETE/accounts/acme/keys", "GET/accounts/acme/audit/x", f"DELETE/accounts/globex/keys/{key}"]
    context = {} if tag is None else {"aws:PrincipalTag/accountId": tag}
    routes = own + others
    decisions = simulate([{"policies": [policy], "action": "execute-api:Invoke", "resource": f"{ROUTES}/{route}",
                           "context": context} for route in routes])
    allowed = {route for route, decision in zip(routes, decisions) if decision == "Allowed"}
    assert allowed == (set(own) if tag == "acme" else set()), f"tag {tag!r}"


def test_only_signed_in_admins_of_this_identity_pool_assume_the_role(template):
    pool = template["Resources"]["ConsoleIdentityPool"]["Properties"]
    assert pool["AllowUnauthenticatedIdentities"] is False
    assert pool["AllowClassicFlow"] is False
    [trust] = template["Resources"]["ConsoleAdminRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Federated": "cognito-identity.amazonaws.com"}
    assert set(trust["Action"]) == {"sts:AssumeRoleWithWebIdentity", "sts:TagSession"}
    assert trust["Condition"]["StringEquals"] == {"cognito-identity.amazonaws.com:aud": {"Ref": "ConsoleIdentityPool"}}
    assert trust["Condition"]["ForAnyValue:StringLike"] == {"cognito-identity.amazonaws.com:amr": "authenticated"}
    roles = template["Resources"]["ConsoleIdentityPoolRoles"]["Properties"]["Roles"]
    assert roles == {"authenticated": {"Fn::GetAtt": ["ConsoleAdminRole", "Arn"]}}
    tags = template["Resources"]["ConsoleIdentityPoolPrincipalTags"]["Properties"]
    assert tags["PrincipalTags"] == {"accountId": "custom:accountId"} and tags["UseDefaults"] is False


def test_admins_are_created_by_the_operator_and_cannot_change_their_account(template):
    pool = template["Resources"]["ConsoleUserPool"]["Properties"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert pool["MfaConfiguration"] == "ON"
    client = template["Resources"]["ConsoleUserPoolClient"]["Properties"]
    assert client["GenerateSecret"] is False
    assert client["AllowedOAuthFlows"] == ["code"]
    assert "custom:accountId" not in client["WriteAttributes"]
    assert "custom:accountId" in client["ReadAttributes"]


def test_cloudfront_serves_the_files_privately_and_passes_only_accounts_to_the_stage(template):
    config = template["Resources"]["ConsoleDistribution"]["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    assert origins["api"]["OriginPath"] == {"Fn::Sub": "/${Stage}"}
    assert origins["api"]["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert "OriginAccessControlId" in origins["console"]
    [api] = config["CacheBehaviors"]
    assert api["PathPattern"] == "/accounts/*" and api["TargetOriginId"] == "api"
    headers = template["Resources"]["ConsoleApiCachePolicy"]["Properties"]["CachePolicyConfig"]
    assert set(headers["ParametersInCacheKeyAndForwardedToOrigin"]["HeadersConfig"]["Headers"]) >= {"Authorization", "X-Amz-Date", "X-Amz-Security-Token"}
    bucket = template["Resources"]["ConsoleBucket"]["Properties"]["PublicAccessBlockConfiguration"]
    assert all(bucket.values())
    csp = template["Resources"]["ConsoleResponseHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    assert "frame-ancestors 'none'" in csp and "script-src" not in csp and "default-src 'self'" in csp
    # the sign-in's hosts, and nothing else, besides the page's own origin
    domain = template["Resources"]["ConsoleUserPoolDomain"]["Properties"]["Domain"]["Fn::Sub"]
    assert f"https://{domain}.auth.${{AWS::Region}}.amazoncognito.com" in csp


def test_deploy_console_writes_the_configuration_auth_js_reads():
    read = set(re.findall(r"config\.(?!json)(\w+)", (CONSOLE / "auth.js").read_text() + (CONSOLE / "session.js").read_text()))
    script = (INFRA / "deploy-console.sh").read_text()
    written = set(re.findall(r'^\s*"(\w+)": ', script, re.M))
    assert read == written, f"auth.js reads {sorted(read)}, deploy-console.sh writes {sorted(written)}"
    outputs = set(re.findall(r"\$\(output (\w+)\)", script))
    assert outputs <= set(load()["Outputs"]), f"deploy-console.sh reads outputs the stack lacks: {outputs - set(load()['Outputs'])}"


def uploads(tmp_path):
    """Runs deploy-console.sh with a stand-in `aws` that records its calls; returns the s3 ones."""
    calls = tmp_path / "calls"
    fake = tmp_path / "bin" / "aws"
    fake.parent.mkdir()
    fake.write_text("#!/usr/bin/env bash\n"
                    "printf '%s\\0' \"$@\" >>\"$CALLS\"; printf '\\n' >>\"$CALLS\"\n"
                    "if [[ $1 == cloudformation ]]; then echo \"value-of-$*\" | sed -E \"s/.*OutputKey=='([A-Za-z]+)'.*/\\1/\"; fi\n")
    fake.chmod(0o755)
    env = dict(os.environ, PATH=f"{fake.parent}:{os.environ['PATH']}", CALLS=str(calls), AWS_REGION="eu-west-1")
    subprocess.run(["bash", str(INFRA / "deploy-console.sh"), "keyward"], env=env, check=True, capture_output=True)
    lines = [line.strip("\0").split("\0") for line in calls.read_text().splitlines() if line]
    return [args[1:] for args in lines if args[0] == "s3"]


def synced_by(args, name):
    """Whether `aws s3 sync` with these filters takes the file: the last filter that matches decides."""
    taken = True
    for flag, pattern in zip(args, args[1:]):
        if flag in ("--exclude", "--include") and fnmatch.fnmatch(name, pattern):
            taken = flag == "--include"
    return taken


def test_deploy_console_uploads_every_file_once_and_the_scripts_as_javascript(tmp_path):
    commands = uploads(tmp_path)
    for file in sorted(CONSOLE.iterdir()):
        carriers = []
        for args in commands:
            if args[0] == "cp" and any(Path(a).name == file.name for a in args if not a.startswith("s3://")):
                carriers.append(args)
            elif args[0] == "sync" and synced_by(args, file.name):
                carriers.append(args)
        assert len(carriers) == 1, f"{file.name} is uploaded by {carriers}"
        if file.suffix == ".js":
            # a module script of any other type does not run, and the bucket's guess depends on the machine
            [args] = carriers
            assert "--content-type" in args, f"{file.name} gets whatever type the uploading machine guesses"
            assert args[args.index("--content-type") + 1].startswith("text/javascript"), file.name
