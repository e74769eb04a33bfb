"""The pattern of the list cursors in infra/openapi.yaml: exactly the strings core's Cursors takes.

A cursor is base64url (padded or not) of "1:" and an id: "key_" or "evt_" and a ULID. Java's
decoder ignores the unused low bits of the last character, and the ULID check takes Crockford's
alphabet in either case with I, L and O as aliases (U excluded), the first character 0 to 7 (or
an alias of 0 or 1). The pattern spells that out character by character of the base64 text, so a
request the spec calls valid is one the API takes. local/.../CursorPatternTest checks the
pattern against Cursors itself.

    python tests/cursor_pattern.py    (from infra/; prints both patterns)
"""
import base64
import string

B64 = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
REST = {ord(c) for c in string.digits + string.ascii_letters if c not in "Uu"}
FIRST = {ord(c) for c in "01234567ILOilo"}


def char_class(values):
    """A character class of the base64 digits with these values, ranges merged ("-" first)."""
    chars = sorted({B64[v] for v in values}, key=lambda c: (c != "-", c == "_", ord(c)))
    if len(chars) == 1:
        return chars[0]
    parts, run = [], []
    for c in chars:
        if run and c.isalnum() and run[-1].isalnum() and ord(c) == ord(run[-1]) + 1:
            run.append(c)
            continue
        if run:
            parts.append(run)
        run = [c]
    parts.append(run)
    return "[" + "".join(r[0] if len(r) == 1 else (r[0] + r[-1] if len(r) == 2 else f"{r[0]}-{r[-1]}") for r in parts) + "]"


def _alternation(branches):
    """(?:a|b) for several branches, the branch itself for one."""
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _by_suffix(options):
    """{character value: suffix} as an alternation of character classes sharing a suffix."""
    grouped = {}
    for value, suffix in options.items():
        grouped.setdefault(suffix, []).append(value)
    return _alternation([char_class(values) + suffix for suffix, values in grouped.items()])


def triple(first, second, third):
    """Four base64 characters of three bytes drawn from these sets."""
    def after_second(high4):  # third and fourth characters, given the second byte's high 4 bits
        options = {}
        for high2 in range(4):
            low6 = [b & 63 for b in third if b >> 6 == high2]
            seconds = [(b & 15) << 2 | high2 for b in second if b >> 4 == high4]
            if low6 and seconds:
                for value in seconds:
                    options[value] = char_class(low6)
        return _by_suffix(options) if options else None

    def after_first(high6):  # second to fourth characters, given the first byte's high 6 bits
        options = {}
        for low2 in {b & 3 for b in first if b >> 2 == high6}:
            for high4 in range(16):
                rest = after_second(high4)
                if rest is not None:
                    options[low2 << 4 | high4] = rest
        return _by_suffix(options)

    return _by_suffix({high6: after_first(high6) for high6 in sorted({b >> 2 for b in first})})


def pair(first, second):
    """Three base64 characters of two bytes drawn from these sets (the last one's low 2 bits unused)."""
    def after_first(high6):
        options = {}
        for low2 in {b & 3 for b in first if b >> 2 == high6}:
            for high4 in range(16):
                thirds = [(b & 15) << 2 | unused for b in second if b >> 4 == high4 for unused in range(4)]
                if thirds:
                    options[low2 << 4 | high4] = char_class(thirds)
        return _by_suffix(options)

    return _by_suffix({high6: after_first(high6) for high6 in sorted({b >> 2 for b in first})})


def pattern(prefix):
    """The cursors over ids starting with prefix ("key_" or "evt_")."""
    head = "1:" + prefix
    assert len(head) == 6  # whole base64 units: the ULID starts a unit of its own
    fixed = base64.urlsafe_b64encode(head.encode("ascii")).decode("ascii")
    # 26 ULID characters: 8 units of three bytes (the first with the ULID's first character), then two bytes
    return ("^" + fixed + triple(FIRST, REST, REST) + "(?:" + triple(REST, REST, REST) + "){7}"
            + pair(REST, REST) + "=?$")


KEY_CURSOR = pattern("key_")
AUDIT_CURSOR = pattern("evt_")

if __name__ == "__main__":
    print(KEY_CURSOR)
    print(AUDIT_CURSOR)
