"""The string formats infra/openapi.yaml names that JSON Schema cannot spell out.

schemathesis loads this module (SCHEMATHESIS_HOOKS) so that the data it generates as valid is
valid: a key name with a visible character, cursors the API could have handed out, an expiry
within the range the API takes. Data it
generates as invalid still comes from the schema's own constraints.
"""
import base64
import ipaddress
import string
import uuid
from datetime import datetime, timedelta, timezone

import schemathesis
from hypothesis import strategies as st

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

# Visible characters: ASCII, Latin letters with accents, Greek, Cyrillic, CJK, a few emoji. Only
# blocks that Java 17's Unicode 13 already has: the API refuses code points it sees as unassigned.
VISIBLE = st.one_of(
    st.sampled_from(string.ascii_letters + string.digits + string.punctuation),
    st.characters(min_codepoint=0x00C0, max_codepoint=0x024F, categories=["L"]),
    st.characters(min_codepoint=0x0391, max_codepoint=0x03C9, categories=["L"]),
    st.characters(min_codepoint=0x0410, max_codepoint=0x044F),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FEF),
    st.sampled_from("\U0001F511\U0001F4E6\u2705\u20AC\u00A9"),
)
SPACE = st.sampled_from(" \u00a0\u3000")


@st.composite
def key_names(draw):
    """1 to 100 characters once trimmed, at least one visible, no control or format characters."""
    first = draw(VISIBLE)
    rest = draw(st.lists(st.one_of(VISIBLE, st.just(" ")), max_size=98))
    name = first + "".join(rest)
    return draw(SPACE) * draw(st.integers(0, 2)) + name


def _ulid(draw):
    # the first character is 0-7: 48 bits of milliseconds
    return draw(st.sampled_from("01234567")) + "".join(draw(st.lists(st.sampled_from(CROCKFORD), min_size=25, max_size=25)))


def _cursor(prefix):
    @st.composite
    def cursors(draw):
        raw = "1:" + prefix + _ulid(draw)
        return base64.urlsafe_b64encode(raw.encode("ascii")).decode("ascii").rstrip("=")
    return cursors()


@st.composite
def key_expiries(draw):
    """RFC 3339 in UTC, between five minutes and two years from now (the API takes 60 s to 3 years)."""
    ahead = draw(st.integers(min_value=300, max_value=2 * 365 * 86400))
    at = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=ahead)
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


@st.composite
def webhook_urls(draw):
    """An https URL with a host name and a path, as an admin registers (SpecConformanceIT looks no
    name up: every host counts as public there)."""
    label = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=20)
    host = ".".join(draw(st.lists(label, min_size=1, max_size=3)) + [draw(st.sampled_from(["com", "io", "example"]))])
    port = draw(st.sampled_from(["", ":8443"]))
    path = draw(st.text(alphabet=string.ascii_letters + string.digits + "-._~/", max_size=200))
    query = draw(st.sampled_from(["", "?team=7"]))
    return f"https://{host}{port}/{path}{query}"


@st.composite
def cidrs(draw):
    """An IPv4 or IPv6 range as the API reads it: no bits set after its prefix."""
    if draw(st.booleans()):
        address, bits = ipaddress.IPv4Address(draw(st.integers(0, 2**32 - 1))), 32
    else:
        address, bits = ipaddress.IPv6Address(draw(st.integers(0, 2**128 - 1))), 128
    prefix = draw(st.integers(0, bits))
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


schemathesis.openapi.format("webhook-url", webhook_urls())
schemathesis.openapi.format("cidr", cidrs())
schemathesis.openapi.format("key-name", key_names())
schemathesis.openapi.format("key-expiry", key_expiries())


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    """One Idempotency-Key per logical request, as the spec asks of clients. Generated keys repeat
    across cases with other bodies, which the API rightly refuses (422 idempotency_key_reused);
    a well-formed generated key is replaced by a fresh one, a malformed one is sent as it is."""
    key = (case.headers or {}).get("Idempotency-Key")
    if key is not None and 1 <= len(key) <= 255 and all(0x20 <= ord(c) <= 0x7E for c in key) and key.strip():
        case.headers["Idempotency-Key"] = str(uuid.uuid4())


schemathesis.openapi.format("key-cursor", _cursor("key_"))
schemathesis.openapi.format("audit-cursor", _cursor("evt_"))
