"""One credential, one rate key: AWS WAF's per-integration rule (template.yaml, IntegrationsWebAcl)
keys on the Authorization header after its text transformations; every spelling of one credential
that the key authorizer accepts must give the same key, and two credentials never the same one.

The spellings, and whether the authorizer accepts each, are in authorization-spellings.json, which
the authorizer's own unit test (BasicCredentialsTest) checks against BasicCredentials.parse."""
import json
import re
from pathlib import Path

import pytest

from templates import load

SPELLINGS = json.loads((Path(__file__).parent / "authorization-spellings.json").read_text())["credentials"]


def waf_transform(kind, text):
    """A text transformation as AWS WAF documents it (WAF Developer Guide, "Text transformation options")."""
    if kind == "NONE":
        return text
    if kind == "LOWERCASE":
        # "Convert uppercase letters (A-Z) to lowercase (a-z)."
        return re.sub("[A-Z]", lambda m: m.group().lower(), text)
    if kind == "COMPRESS_WHITE_SPACE":
        # \f, \t, \n, \r, \v and the non-breaking space become a space; runs of spaces become one
        return re.sub(" {2,}", " ", re.sub("[\f\t\n\r\v\u00a0]", " ", text))
    raise AssertionError(f"transformation {kind} is not modelled here: describe it before using it in the template")


def apply(transformations, text):
    for transformation in sorted(transformations, key=lambda t: t["Priority"]):
        text = waf_transform(transformation["Type"], text)
    return text


@pytest.fixture(scope="module")
def rate_rule():
    [rule] = load()["Resources"]["IntegrationsWebAcl"]["Properties"]["Rules"]
    return rule["Statement"]["RateBasedStatement"]


def rate_key(rate_rule, header):
    """The rule's aggregation key for a request with this Authorization header, or None when the
    scope-down statement leaves the request out of the rule."""
    scope = rate_rule["ScopeDownStatement"]["ByteMatchStatement"]
    assert scope["FieldToMatch"] == {"SingleHeader": {"Name": "authorization"}}
    assert scope["PositionalConstraint"] == "STARTS_WITH"
    if not apply(scope["TextTransformations"], header).startswith(scope["SearchString"]):
        return None
    key = []
    for custom in rate_rule["CustomKeys"]:
        assert list(custom) == ["Header"] and custom["Header"]["Name"] == "authorization", custom
        key.append(apply(custom["Header"]["TextTransformations"], header))
    return tuple(key)


def test_every_accepted_spelling_of_one_credential_counts_once(rate_rule):
    for credential in SPELLINGS:
        accepted = [s["header"] for s in credential["spellings"] if s["accepted"]]
        assert accepted, credential["pair"]
        keys = {rate_key(rate_rule, header) for header in accepted}
        assert None not in keys, f"{credential['pair']}: an accepted spelling is not counted at all"
        assert len(keys) == 1, f"{credential['pair']}: {len(keys)} rate keys for one credential"


def test_two_credentials_never_share_a_rate_key(rate_rule):
    owners = {}
    for credential in SPELLINGS:
        for spelling in credential["spellings"]:
            if spelling["accepted"]:
                key = rate_key(rate_rule, spelling["header"])
                assert owners.setdefault(key, credential["pair"]) == credential["pair"], (
                    f"{credential['pair']} and {owners[key]} would share one budget")


def test_the_spellings_cover_what_rfc_7235_would_allow_and_what_base64_decoders_forgive():
    """The list is worth checking against: each credential is refused in other scheme cases, with
    other whitespace, unpadded and with non-canonical final characters, which a lenient
    authorizer would take; and one pair of credentials differs only in the case of a letter."""
    first = SPELLINGS[0]
    refused = [s["header"] for s in first["spellings"] if not s["accepted"]]
    assert any(h.startswith("basic ") for h in refused) and any(h.startswith("Basic  ") for h in refused)
    assert any(not h.endswith("=") for h in refused if h.startswith("Basic ") and " " not in h[6:])
    tokens = [c["spellings"][0]["header"] for c in SPELLINGS]
    assert len({t.lower() for t in tokens}) < len(tokens), "two tokens differ only in case"
