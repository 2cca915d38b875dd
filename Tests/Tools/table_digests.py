#!/usr/bin/env python3
"""Per-table content digests of a SQLite database, computed independently of Transfert (Python's sqlite3 and
hashlib only), by the rule of Docs/archive-format.md §4: the column names, then each row in digest order
(primary-key order, else every column), each value tagged, as SHA-256.

    python3 Tests/Tools/table_digests.py DATABASE.sqlite      # prints {"table": {"rows": N, "sha256": "…"}, …}

The end-to-end tests compare a database with the same database after a trip through other engines: the digests
must be equal table by table.
"""

import hashlib
import json
import sqlite3
import struct
import sys


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def tagged_text(data: bytes) -> bytes:
    return b"\x03" + struct.pack(">Q", len(data)) + data


def value_bytes(kind: str, value) -> bytes:
    if kind == "null":
        return b"\x00"
    if kind == "integer":
        return b"\x01" + struct.pack(">q", value)
    if kind == "real":
        # Negative zero is digested as zero (§4): SQL compares them equal.
        return b"\x02" + struct.pack(">d", 0.0 if value == 0 else value)
    if kind == "text":
        return tagged_text(value)
    if kind == "blob":
        return b"\x04" + struct.pack(">Q", len(value)) + value
    raise ValueError(f"unknown SQLite storage class {kind}")


def table_digest(db: sqlite3.Connection, table: str) -> tuple[int, str]:
    columns = db.execute(f"PRAGMA table_info({quote(table)})").fetchall()   # cid, name, type, notnull, default, pk
    names = [c[1].decode() if isinstance(c[1], bytes) else c[1] for c in columns]
    keys = [n for _, n in sorted((c[5], names[i]) for i, c in enumerate(columns) if c[5] > 0)]
    order = ", ".join(quote(n) for n in (keys or names))
    select = ", ".join(f"{quote(n)}, typeof({quote(n)})" for n in names)
    digest = hashlib.sha256()
    for n in names:
        digest.update(tagged_text(n.encode()))
    digest.update(b"\x1e")
    rows = 0
    for row in db.execute(f"SELECT {select} FROM {quote(table)} ORDER BY {order}"):
        for i in range(0, len(row), 2):
            kind = row[i + 1].decode() if isinstance(row[i + 1], bytes) else row[i + 1]
            digest.update(value_bytes(kind, row[i]))
        digest.update(b"\x1d")
        rows += 1
    return rows, digest.hexdigest()


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: table_digests.py DATABASE.sqlite")
    db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    db.text_factory = bytes  # text digested as stored, byte for byte
    tables = [r[0].decode() for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")]
    out = {}
    for table in tables:
        rows, sha = table_digest(db, table)
        out[table] = {"rows": rows, "sha256": sha}
    print(json.dumps(out, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
