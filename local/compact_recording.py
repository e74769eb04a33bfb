"""Tidies moto's request recording before `make run PERSIST=1` replays it.

moto's recorder appends every request it serves, reads included, one JSON object a line. This
keeps only the requests that change something (a read changes nothing on replay, so dropping it
keeps the replay short) and recovers entries that concurrent requests wrote onto one line.
"""
import json
import os
import sys

READ_PREFIXES = ("Get", "Describe", "List", "Query", "Scan", "BatchGet")


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
    headers = entry.get("headers") or {}
    target = next((v for k, v in headers.items() if k.lower() == "x-amz-target"), "")
    operation = target.rsplit(".", 1)[-1]
    return operation.startswith(READ_PREFIXES)


def main(path):
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as file:
        text = file.read()
    kept = [entry for entry in entries(text) if not is_read(entry)]
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as file:
        for entry in kept:
            file.write(json.dumps(entry))
            file.write("\n")
    os.replace(temporary, path)


if __name__ == "__main__":
    main(sys.argv[1])
