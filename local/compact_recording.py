"""Tidies moto's request recording before `make run PERSIST=1` replays it.

The emulator (local/emulator.py) appends each request that can change something, one JSON object
a line; moto's own recorder, which wrote older recordings, appended reads too. This
- keeps only the requests that change something (a read changes nothing on replay, so dropping
  it keeps the replay short), and recovers entries that concurrent requests wrote onto one line
  or that a killed emulator cut short;
- pins each secret's ARN: moto ends a new secret's ARN with 6 random letters, so a replayed
  CreateSecret would get another ARN than the one the keys table holds. moto takes the letters
  from a `_custom_id_` tag when the request has one, so the recorded request gets that tag with
  the letters its ARN had, as found in a later request that names the ARN.
"""
import base64
import json
import os
import re
import sys

READ_PREFIXES = ("Get", "Describe", "List", "Query", "Scan", "BatchGet")
CUSTOM_ID = "_custom_id_"


def entries(text):
    decoder = json.JSONDecoder()
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return
        try:
            entry, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            # an entry cut short (the emulator was killed mid-write): skip to the next line
            newline = text.find("\n", position)
            if newline < 0:
                return
            position = newline + 1
            continue
        if isinstance(entry, dict):
            yield entry


def is_read(entry):
    return target(entry).rsplit(".", 1)[-1].startswith(READ_PREFIXES)


def body_of(entry):
    body = entry.get("body") or ""
    if entry.get("body_encoded"):
        return base64.b64decode(body).decode("utf-8", "replace")
    return body


def set_body(entry, text):
    if entry.get("body_encoded"):
        entry["body"] = base64.b64encode(text.encode("utf-8")).decode("ascii")
    else:
        entry["body"] = text
    # the body's length changed: let the replay compute it (moto does not check signatures)
    entry["headers"] = {k: v for k, v in entry["headers"].items() if k.lower() != "content-length"}


def target(entry):
    headers = entry.get("headers") or {}
    return next((v for k, v in headers.items() if k.lower() == "x-amz-target"), "")


def pin_secret_arns(kept):
    for index, entry in enumerate(kept):
        if target(entry) != "secretsmanager.CreateSecret":
            continue
        try:
            request = json.loads(body_of(entry))
        except ValueError:
            continue
        tags = request.get("Tags") or []
        if any(tag.get("Key") == CUSTOM_ID for tag in tags):
            continue
        arn = re.compile(r"arn:[\w-]+:secretsmanager:[\w-]+:\d+:secret:" + re.escape(request.get("Name", ""))
                         + r"-([A-Za-z]{6})\b")
        for later in kept[index + 1:]:
            found = arn.search(body_of(later))
            if found:
                request["Tags"] = tags + [{"Key": CUSTOM_ID, "Value": found.group(1)}]
                set_body(entry, json.dumps(request))
                break


def main(path):
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as file:
        text = file.read()
    kept = [entry for entry in entries(text) if not is_read(entry)]
    pin_secret_arns(kept)
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as file:
        for entry in kept:
            file.write(json.dumps(entry))
            file.write("\n")
    os.replace(temporary, path)


if __name__ == "__main__":
    main(sys.argv[1])
