#!/usr/bin/env python3
"""An independent implementation of the table content digest, written from Docs/archive-format.md §4
only (standard library, no code shared with the Swift implementation).

    python3 content_digest.py digest-vectors.json            # prints each vector's digest as JSON
    python3 content_digest.py --check digest-vectors.json    # exit 1 if a committed digest differs
    python3 content_digest.py --write digest-vectors.json    # (re)computes and stores every digest

A vector is {"name", "columns": [...], "rows": [[value, ...], ...]} where a value is one of
{"null": true}, {"integer": "<decimal>"}, {"real": "<Python float literal>"}, {"text": "<string>"},
{"blob": "<hexadecimal>"}. Integers and reals are strings so that JSON readers keep every bit.
"""
import hashlib, json, math, struct, sys

ROW_END, COLUMNS_END = b"\x1d", b"\x1e"


def text(value: str) -> bytes:
    data = value.encode("utf-8")
    return b"\x03" + struct.pack(">Q", len(data)) + data


def encode(value: dict) -> bytes:
    if value.get("null"):
        return b"\x00"
    if "integer" in value:
        return b"\x01" + struct.pack(">q", int(value["integer"]))
    if "real" in value:
        number = float(value["real"])
        if number == 0.0:  # §4: negative zero is written as zero
            number = 0.0
        return b"\x02" + struct.pack(">d", number)
    if "text" in value:
        return text(value["text"])
    if "blob" in value:
        data = bytes.fromhex(value["blob"])
        return b"\x04" + struct.pack(">Q", len(data)) + data
    raise ValueError(f"unknown value {value!r}")


def digest(vector: dict) -> str:
    sha = hashlib.sha256()
    for column in vector["columns"]:
        sha.update(text(column))
    sha.update(COLUMNS_END)
    for row in vector["rows"]:
        for value in row:
            sha.update(encode(value))
        sha.update(ROW_END)
    return sha.hexdigest()


def main(argv):
    mode = argv[1] if argv[1].startswith("--") else None
    path = argv[-1]
    with open(path, encoding="utf-8") as handle:
        vectors = json.load(handle)
    computed = {v["name"]: {"rows": len(v["rows"]), "sha256": digest(v)} for v in vectors}
    if mode == "--write":
        for v in vectors:
            v["expected"] = computed[v["name"]]
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(vectors, handle, indent=1, ensure_ascii=False)
            handle.write("\n")
        return 0
    if mode == "--check":
        wrong = [v["name"] for v in vectors if v.get("expected") != computed[v["name"]]]
        for name in wrong:
            print(f"{name}: committed {next(v['expected'] for v in vectors if v['name'] == name)}, computed {computed[name]}")
        return 1 if wrong else 0
    print(json.dumps(computed, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
