import Foundation
import Testing

/// Adds a table `affinity_probe` (id INTEGER PRIMARY KEY, i INTEGER, r REAL, n NUMERIC, t TEXT, b BLOB,
/// d DATETIME, a without a type: every SQLite affinity) to the first establishment of a bundle, with rows
/// given as JSON (`[[[kind, value], …7 columns], …]`, kinds `null`, `int`, `real`, `text`, `blob` in
/// hexadecimal), written by Python: the dump, the manifest's schema, the table's content digest computed
/// over the values *as written* (Docs/archive-format.md §4), every size and SHA-256 and the CSV's SHA256.
/// Every checksum agrees: only a reader that knows what SQLite stores can tell a converted value.
/// Prints the line of the first row and the table's digest.
///
/// `python3 -c SCRIPT ZIP_IN ZIP_OUT CSV_IN CSV_OUT ROWS [COLUMNS]` (COLUMNS: `[[name, declared type], …]`
/// after `id`, for engines that refuse a NUMERIC column); prints `{"line": N}`, the line of the first row.
let affinityProbeScript = """
    import sys, json, hashlib, zipfile, csv, struct
    zsrc, zdst, csrc, cdst, rows_json = sys.argv[1:6]
    rows = json.loads(rows_json)
    columns = [('id', 'INTEGER'), ('i', 'INTEGER'), ('r', 'REAL'), ('n', 'NUMERIC'), ('t', 'TEXT'), ('b', 'BLOB'), ('d', 'DATETIME'), ('a', '')]
    if len(sys.argv) > 6: columns = [('id', 'INTEGER')] + [tuple(c) for c in json.loads(sys.argv[6])]
    def affinity(declared):
        u = declared.upper()
        if 'INT' in u: return 'INTEGER'
        if 'CHAR' in u or 'CLOB' in u or 'TEXT' in u: return 'TEXT'
        if u == '' or 'BLOB' in u: return 'BLOB'
        if 'REAL' in u or 'FLOA' in u or 'DOUB' in u: return 'REAL'
        return 'NUMERIC'
    def literal(kind, value):
        if kind == 'null': return 'NULL'
        if kind == 'int': return str(int(value))
        if kind == 'real': return repr(float(value))
        if kind == 'text': return "'" + value.replace("'", "''") + "'"
        if kind == 'blob': return "X'" + value + "'"
        raise SystemExit('kind ' + kind)
    def text_value(b):
        return b'\\x03' + struct.pack('>Q', len(b)) + b
    def digest_value(kind, value):
        if kind == 'null': return b'\\x00'
        if kind == 'int': return b'\\x01' + struct.pack('>q', int(value))
        if kind == 'real':
            v = float(value)
            return b'\\x02' + (b'\\x00' * 8 if v == 0 else struct.pack('>d', v))
        if kind == 'text': return text_value(value.encode())
        if kind == 'blob':
            b = bytes.fromhex(value)
            return b'\\x04' + struct.pack('>Q', len(b)) + b
    full = [[['int', n + 1]] + row for n, row in enumerate(rows)]
    h = hashlib.sha256()
    for name, _ in columns: h.update(text_value(name.encode()))
    h.update(b'\\x1e')
    for row in full:
        for kind, value in row: h.update(digest_value(kind, value))
        h.update(b'\\x1d')
    create = 'CREATE TABLE "affinity_probe" (\\n' + ',\\n'.join('  "%s"%s%s' % (n, (' ' + t) if t else '', ' PRIMARY KEY' if n == 'id' else '') for n, t in columns) + '\\n);\\n'
    insert = 'INSERT INTO "affinity_probe" (' + ', '.join('"%s"' % n for n, _ in columns) + ') VALUES\\n' + ',\\n'.join('(' + ','.join(literal(k, v) for k, v in row) + ')' for row in full) + ';\\n'
    zin = zipfile.ZipFile(zsrc)
    manifest = json.loads(zin.read('manifest.json'))
    entries = [[i.filename, zin.read(i.filename), i.compress_type, i.date_time] for i in zin.infolist() if i.filename != 'manifest.json']
    est = manifest['establishments'][0]
    first = est['entries'][0]['path']
    e = next(x for x in entries if x[0] == first)
    marker = b'PRAGMA defer_foreign_keys = ON;\\n'
    assert marker in e[1]
    position = e[1].index(marker) + len(marker)
    out = {'line': e[1][:position].count(b'\\n') + 1 + create.count('\\n') + 1, 'digest': h.hexdigest()}
    e[1] = e[1][:position] + create.encode() + insert.encode() + e[1][position:]
    for x in est['entries']:
        if x['path'] == first:
            x['size'] = len(e[1]); x['sha256'] = hashlib.sha256(e[1]).hexdigest()
    dump = b''.join(next(y for y in entries if y[0] == x['path'])[1] for x in est['entries'])
    est['dump_bytes'] = len(dump)
    est['dump_sha256'] = hashlib.sha256(dump).hexdigest()
    est['tables'].insert(0, {'rows': len(full), 'sha256': h.hexdigest(), 'table': 'affinity_probe'})
    est['schema']['tables'].insert(0, {'name': 'affinity_probe', 'constraints': [], 'indexes': [], 'columns': [
        {'name': n, 'declared_type': t, 'type': affinity(t), 'constraints': [{'kind': 'primary_key'}] if n == 'id' else []} for n, t in columns]})
    with zipfile.ZipFile(zdst, 'w') as zout:
        for name, data, ctype, dt in entries + [['manifest.json', json.dumps(manifest).encode(), zipfile.ZIP_DEFLATED, (2026, 1, 1, 0, 0, 0)]]:
            info = zipfile.ZipInfo(name, dt); info.compress_type = ctype; info.external_attr = 0o600 << 16
            zout.writestr(info, data)
    with open(csrc, newline='', encoding='utf-8') as f: table = list(csv.reader(f, delimiter=';'))
    header = table[0]
    for row in table[1:]:
        if row[header.index('Nom_fichier')] == est['nom_fichier']: row[header.index('SHA256')] = est['dump_sha256']
    with open(cdst, 'w', newline='', encoding='utf-8') as f: csv.writer(f, delimiter=';').writerows(table)
    print(json.dumps(out))
    """
