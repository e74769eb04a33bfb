"""Every mutant PIT made of the classes that decide whether a request gets in or what a key may do
must be killed: run after PIT's core execution (make test-mutation), it reads that run's report and
fails, naming each survivor, when one lived or was never reached by a test.

    python functions/pit_access_decisions.py [functions/target/pit-reports/core/mutations.xml]
"""
import sys
import xml.etree.ElementTree as ET

# credential parsing, the verifier, the client record's secret and rotation state, route scopes,
# scopes, expiry, the networks a key may be used from, the account's key policy and report signatures
ACCESS_DECISIONS = (
    "dev.keyward.core.KeyPolicy",
    "dev.keyward.core.BasicCredentials",
    "dev.keyward.core.Credentials",
    "dev.keyward.core.KeyVerifier",
    "dev.keyward.core.ClientRecord",
    "dev.keyward.core.RouteScopes",
    "dev.keyward.core.Scopes",
    "dev.keyward.core.Expiries",
    "dev.keyward.core.Cidr",
    "dev.keyward.core.Networks",
    "dev.keyward.core.ReportSignatures",
)
# what PIT itself counts as detected
DETECTED = {"KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR"}


def deciding(name):
    return any(name == cls or name.startswith(cls + "$") for cls in ACCESS_DECISIONS)


def main(report):
    mutations = [m for m in ET.parse(report).getroot() if deciding(m.findtext("mutatedClass"))]
    missed = [m for m in mutations if m.get("status") not in DETECTED]
    for m in missed:
        print(f"{m.get('status')}: {m.findtext('mutatedClass')}.{m.findtext('mutatedMethod')} line "
              f"{m.findtext('lineNumber')}: {m.findtext('description')}", file=sys.stderr)
    print(f"access decisions: {len(mutations) - len(missed)} of {len(mutations)} mutants killed")
    if not mutations:
        sys.exit("no mutants of the access-deciding classes in the report: is PIT's target list right?")
    if missed:
        sys.exit(f"{len(missed)} mutants of the access-deciding classes were not killed")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "functions/target/pit-reports/core/mutations.xml")
