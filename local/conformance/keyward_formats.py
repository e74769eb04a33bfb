"""The string formats infra/openapi.yaml names that JSON Schema cannot spell out.

schemathesis loads this module (SCHEMATHESIS_HOOKS) so that the data it generates as valid is
valid: a key name with a visible character, cursors the API could have handed out. Data it
generates as invalid still comes from the schema's own constraints.
"""
import base64
import string
import uuid

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


schemathesis.openapi.format("key-name", key_names())


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
