"""What `sam local start-api` and `sam local invoke` would serve from the built template.

Run by `make test-infra` after `sam build`, with the SAM CLI's own Python (.venv-sam): it reads
.aws-sam/build/template.yaml the way those commands do (they need Docker only to run the
functions), and fails unless every operation of openapi.yaml is a local route to its function,
/whoami goes through the Lambda authorizer, and every function's built code holds the jar.
"""
import logging
import re
import sys
from pathlib import Path

import yaml
from samcli.lib.providers.api_provider import ApiProvider
from samcli.lib.providers.sam_function_provider import SamFunctionProvider
from samcli.lib.providers.sam_stack_provider import SamLocalStackProvider

INFRA = Path(__file__).resolve().parent.parent
BUILT = INFRA / ".aws-sam" / "build"


def main():
    # SAM warns that it skips the sigv4 (AWS_IAM) authorizer locally: docs/local.md says so
    logging.getLogger("samcli").setLevel(logging.ERROR)
    # as the sam local commands do: the built template, relative paths from its directory
    stacks, _ = SamLocalStackProvider.get_stacks(str(BUILT / "template.yaml"))
    routes = {(method, route.path): route for route in ApiProvider(stacks, cwd=str(BUILT)).api.routes for method in route.methods}
    api = yaml.safe_load((INFRA / "openapi.yaml").read_text())
    expected = {}
    for path, item in api["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "x-amazon-apigateway-integration" in operation:
                uri = str(operation["x-amazon-apigateway-integration"]["uri"])
                expected[(method.upper(), path)] = re.search(r"\$\{(\w+Function)\.Arn\}", uri).group(1)
    problems = []
    for key, function in sorted(expected.items()):
        route = routes.get(key)
        if route is None or route.function_name != function:
            problems.append(f"{key}: local route to {route and route.function_name}, expected {function}")
    whoami = routes.get(("GET", "/whoami"))
    if whoami is None or whoami.authorizer_name is None:
        problems.append("GET /whoami is not behind the Lambda authorizer locally")
    functions = list(SamFunctionProvider(stacks).get_all())
    for function in functions:
        jar = BUILT / function.codeuri / "lib" / "keyward-functions.jar"
        if not jar.is_file():
            problems.append(f"{function.name}: no {jar}")
    if problems:
        sys.exit("\n".join(problems))
    print(f"sam local: {len(expected)} routes and {len(functions)} functions from the built template")


if __name__ == "__main__":
    main()
