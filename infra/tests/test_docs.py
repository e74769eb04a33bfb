"""The docs say what the spec and the build say: docs/api.md's error table is generated from
infra/openapi.yaml and docs/deploy.md's table of what each function may do from
tests/function_access.py (`make docs` rewrites both), and every version the docs name is the one
in /versions, which .ci/run checks.

    python tests/test_docs.py --write    (from infra/; what `make docs` runs)
"""
import re
import sys
from pathlib import Path

import yaml

import function_access

INFRA = Path(__file__).resolve().parent.parent
ROOT = INFRA.parent
README = ROOT / "README.md"
# the error table's home
API_DOC = ROOT / "docs" / "api.md"
DEPLOY = ROOT / "docs" / "deploy.md"
BEGIN = "<!-- error table: generated from infra/openapi.yaml by `make docs` -->"
END = "<!-- end of error table -->"


def spec():
    return yaml.safe_load((INFRA / "openapi.yaml").read_text())


def catalog():
    """[(code, status, means)] in the spec's order."""
    code = spec()["components"]["schemas"]["Problem"]["properties"]["code"]
    return [(e["code"], str(e["status"]), e["means"]) for e in code["x-keyward-errors"]]


def error_table():
    lines = [BEGIN, "| status | code | meaning |", "| --- | --- | --- |"]
    lines += [f"| {status} | `{code}` | {means} |" for code, status, means in catalog()]
    lines.append(END)
    return "\n".join(lines)


def readme_table(text, begin=BEGIN, end_marker=END):
    start, end = text.find(begin), text.find(end_marker)
    if start < 0 or end < 0:
        return None
    return text[start:end + len(end_marker)]


def test_deploy_guide_access_table_is_the_one_generated_from_the_access_list():
    """function_access.py is what test_policies.py evaluates the template against."""
    table = readme_table(DEPLOY.read_text(), function_access.BEGIN, function_access.END)
    assert table is not None, f"docs/deploy.md lacks the table's markers:\n{function_access.BEGIN}\n{function_access.END}"
    assert table == function_access.table(), \
        "docs/deploy.md's table of what each function may do is stale: run `make docs` (it rewrites it from infra/tests/function_access.py)"


def test_cursor_patterns_are_the_generated_ones():
    """cursor_pattern.py spells out what core's Cursors takes (CursorPatternTest checks it against Cursors)."""
    import cursor_pattern
    paths = spec()["paths"]
    for path, expected in (("/accounts/{accountId}/keys", cursor_pattern.KEY_CURSOR),
                           ("/accounts/{accountId}/audit", cursor_pattern.AUDIT_CURSOR)):
        [cursor] = [p for p in paths[path]["get"]["parameters"] if p.get("name") == "cursor"]
        assert cursor["schema"]["pattern"] == expected, f"{path}: paste tests/cursor_pattern.py's pattern into openapi.yaml"


def versions():
    """/versions as {name: value}."""
    pairs = {}
    for line in (ROOT / "versions").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, value = line.split("=", 1)
            pairs[name.strip()] = value.strip()
    return pairs


def test_error_catalog_lists_every_code_of_the_enum_once():
    code = spec()["components"]["schemas"]["Problem"]["properties"]["code"]
    listed = [c for c, _, _ in catalog()]
    assert len(listed) == len(set(listed)), "a code is listed twice in x-keyward-errors"
    missing = sorted(set(code["enum"]) - set(listed))
    extra = sorted(set(listed) - set(code["enum"]))
    assert not missing, f"add to x-keyward-errors in infra/openapi.yaml (with status and meaning): {missing}"
    assert not extra, f"add to the Problem code enum in infra/openapi.yaml: {extra}"


def test_gateway_responses_use_the_catalog_status():
    statuses = {c: s for c, s, _ in catalog()}
    for name, response in spec()["x-amazon-apigateway-gateway-responses"].items():
        for template in response.get("responseTemplates", {}).values():
            code = re.search(r'"code":"([a-z_]+)"', template).group(1)
            assert code in statuses, f"{name} answers {code}, which x-keyward-errors does not list"
            if "statusCode" in response:
                assert str(response["statusCode"]) == statuses[code], f"{name}: {code} is {statuses[code]} in x-keyward-errors"


def test_every_documented_status_of_a_route_has_its_codes():
    documented = {s for _, s, _ in catalog()}
    for path, operations in spec()["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue  # the path's shared parameters
            for status in operation.get("responses", {}):
                if status.startswith(("4", "5")):
                    assert status in documented, f"{method.upper()} {path} answers {status}, for which no code is listed"


def test_api_doc_error_table_is_the_one_generated_from_the_spec():
    table = readme_table(API_DOC.read_text())
    assert table is not None, f"docs/api.md lacks the error table's markers:\n{BEGIN}\n{END}"
    assert table == error_table(), "docs/api.md's error table is stale: run `make docs` (it rewrites it from infra/openapi.yaml)"


def test_readme_stays_short():
    lines = README.read_text().count("\n")
    assert lines <= 200, f"README.md has {lines} lines: the design belongs in docs/design.md"


def test_docs_name_the_versions_in_the_versions_file():
    wanted = versions()
    patterns = {
        "java": r"(?<!SDK for )Java (\d+)\+?",
        "maven": r"Maven (\d+(?:\.\d+)*)\+?",
        "python": r"Python (\d+\.\d+)\+?",
        "node": r"Node(?:\.js)? (\d+)\+?",
    }
    docs = [README, *sorted((ROOT / "docs").glob("*.md"))]
    seen = set()
    for doc in docs:
        text = doc.read_text()
        for name, pattern in patterns.items():
            for found in re.findall(pattern, text):
                seen.add(name)
                assert found == wanted[name], f"{doc.relative_to(ROOT)} says {name} {found}; /versions says {wanted[name]}"
    assert seen == set(patterns), f"the docs never name {sorted(set(patterns) - seen)}"


def test_lambda_runtime_is_the_one_in_the_versions_file():
    template = (INFRA / "template.yaml").read_text()
    runtimes = set(re.findall(r"Runtime:\s*(\S+)", template))
    assert runtimes == {versions()["lambda_runtime"]}, f"template.yaml runs {runtimes}"
    assert versions()["lambda_runtime"] in (ROOT / "docs" / "deploy.md").read_text(), "docs/deploy.md names the runtime"


def test_release_the_build_compiles_for_is_the_java_version():
    pom = (ROOT / "pom.xml").read_text()
    assert f"<maven.compiler.release>{versions()['java']}</maven.compiler.release>" in pom


def test_python_in_the_integration_guide_compiles():
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "integrations.md").read_text(), re.S)
    assert blocks, "docs/integrations.md shows Python"
    for block in blocks:
        compile(block, "docs/integrations.md", "exec")


def write():
    text = API_DOC.read_text()
    table = readme_table(text)
    if table is None:
        raise SystemExit(f"docs/api.md lacks the markers {BEGIN!r} ... {END!r}")
    API_DOC.write_text(text.replace(table, error_table()))
    print("docs/api.md: error table rewritten from infra/openapi.yaml")
    text = DEPLOY.read_text()
    table = readme_table(text, function_access.BEGIN, function_access.END)
    if table is None:
        raise SystemExit(f"docs/deploy.md lacks the markers {function_access.BEGIN!r} ... {function_access.END!r}")
    DEPLOY.write_text(text.replace(table, function_access.table()))
    print("docs/deploy.md: table of what each function may do rewritten from infra/tests/function_access.py")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    else:
        print(error_table())
