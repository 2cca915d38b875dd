#!/usr/bin/env python3
"""An independent reader of SACoche transfer bundles, written from FORMAT.md alone (not from Transfert's
code), so that tests can check what Transfert imports and writes against what the files say.

    sacoche_reader.py read CSV ZIP                      -> JSON: CSV fields, and per base its tables and rows
    sacoche_reader.py compare-sqlite CSV ZIP INNER DB   -> exit 0 when every table of INNER equals the SQLite DB
    sacoche_reader.py compare-mariadb CSV ZIP INNER DB SOCKET
    sacoche_reader.py compare-bundles CSV1 ZIP1 CSV2 ZIP2 -> same CSV fields (ids and file names aside), same rows
    sacoche_reader.py compare-schema-sqlite CSV ZIP INNER DB
    sacoche_reader.py compare-schema-mariadb CSV ZIP INNER DB SOCKET
                                                        -> exit 0 when each table declares what its CREATE TABLE does:
                                                           columns, types, NOT NULL, defaults, keys, enum values

Values are compared as text: NULL is None, a number its digits (MySQL stores `3` in a varchar as '3').
"""
import io
import json
import re
import sqlite3
import subprocess
import sys
import zipfile

ESCAPES = {'0': '\0', 'b': '\b', 'n': '\n', 'r': '\r', 't': '\t', 'Z': '\x1a'}


def tokens(text):
    """MySQL tokens: ('s', value) strings, ('w', word), ('n', number), ('p', punctuation)."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in ' \t\r\n':
            i += 1
        elif c in '"\'':
            quote, i, out = c, i + 1, []
            while True:
                if i >= n:
                    raise ValueError('unclosed string')
                d = text[i]
                if d == '\\':
                    e = text[i + 1]
                    out.append('\\' + e if e in '%_' else ESCAPES.get(e, e))
                    i += 2
                elif d == quote:
                    if i + 1 < n and text[i + 1] == quote:
                        out.append(quote)
                        i += 2
                    else:
                        i += 1
                        break
                else:
                    out.append(d)
                    i += 1
            yield ('s', ''.join(out))
        elif c == '`':
            j = text.index('`', i + 1)
            yield ('w', text[i + 1:j])
            i = j + 1
        elif c.isdigit():
            m = re.match(r'\d+(\.\d+)?', text[i:])
            yield ('n', m.group(0))
            i += len(m.group(0))
        elif c.isalnum() or c == '_' or ord(c) > 127:
            m = re.match(r'[\w$]+', text[i:])
            yield ('w', m.group(0))
            i += len(m.group(0))
        else:
            yield ('p', c)
            i += 1


def statements(text):
    current = []
    for token in tokens(text):
        if token == ('p', ';'):
            yield current
            current = []
        else:
            current.append(token)
    assert not current, 'text after the last statement'


def columns_of_create(toks):
    """Column names of a CREATE TABLE, in order (lines that are not keys)."""
    names, depth, start = [], 0, True
    for kind, value in toks[3:]:
        if (kind, value) == ('p', '('):
            depth += 1
            if depth == 1:
                start = True
                continue
        elif (kind, value) == ('p', ')'):
            depth -= 1
        elif (kind, value) == ('p', ',') and depth == 1:
            start = True
            continue
        if depth == 1 and start:
            start = False
            if kind == 'w' and value.upper() not in ('PRIMARY', 'KEY', 'UNIQUE', 'FULLTEXT', 'INDEX', 'CONSTRAINT'):
                names.append(value)
    return names


def read_base(data):
    """{table: {'columns': [...], 'rows': [[text or None]]}} of one inner ZIP's bytes."""
    tables = {}
    with zipfile.ZipFile(io.BytesIO(data)) as inner:
        def natural(name):
            return [int(part) if part.isdigit() else part for part in re.split(r'(\d+)', name)]
        for name in sorted(inner.namelist(), key=natural):
            assert name.startswith('dump_sacoche_') and name.endswith('.sql'), name
            text = inner.read(name).decode('utf-8')
            for toks in statements(text):
                head = [v.upper() for k, v in toks[:2]]
                if head == ['CREATE', 'TABLE']:
                    tables[toks[2][1]] = {'columns': columns_of_create(toks), 'rows': []}
                elif head == ['INSERT', 'INTO']:
                    table = tables[toks[2][1]]
                    assert toks[3] == ('w', 'VALUES'), toks[3]
                    row, negative = None, False
                    for kind, value in toks[4:]:
                        if (kind, value) == ('p', '('):
                            row = []
                        elif (kind, value) == ('p', ')'):
                            assert len(row) == len(table['columns']), (name, row)
                            table['rows'].append(row)
                        elif (kind, value) == ('p', '-'):
                            negative = True
                        elif kind in 'sn':
                            row.append(('-' if negative else '') + value)
                            negative = False
                        elif kind == 'w' and value.upper() == 'NULL':
                            row.append(None)
                else:
                    assert head in (['DROP', 'TABLE'], ['ALTER', 'TABLE']), head
    return tables


COLUMN = re.compile(r"^  (\w+) (\w+(?:\((?:'[^']*'|[^)'])*\))?(?: unsigned)?)(.*?),?$")
KEY = re.compile(r"^  (PRIMARY KEY|UNIQUE KEY \w+|KEY \w+|FULLTEXT KEY \w+) \(([\w,]+)\),?$")


def declared_schemas(data):
    """{table: {'columns': [(name, type, not_null, default)], 'keys': {(kind, columns)}}} from the CREATE TABLEs."""
    result = {}
    with zipfile.ZipFile(io.BytesIO(data)) as inner:
        for name in inner.namelist():
            text = inner.read(name).decode('utf-8')
            m = re.search(r'CREATE TABLE (\w+) \((.*?)\n\) ', text, re.S)
            if not m:
                continue
            columns, keys = [], set()
            for line in m.group(2).split('\n')[1:]:
                k = KEY.match(line)
                if k:
                    kind = k.group(1).split(' ')[0]
                    keys.add(('PRIMARY' if kind == 'PRIMARY' else 'UNIQUE' if kind == 'UNIQUE' else 'KEY', tuple(k.group(2).split(','))))
                    continue
                c = COLUMN.match(line)
                assert c, line
                rest = c.group(3)
                d = re.search(r"DEFAULT ('(?:[^']|'')*'|NULL|\S+)", rest)
                default = None if not d or d.group(1) == 'NULL' else d.group(1).strip("'").replace("''", "'")
                columns.append((c.group(1), c.group(2), 'NOT NULL' in rest, default))
            result[m.group(1)] = {'columns': columns, 'keys': keys}
    return result


def schema_problems(declared, actual):
    problems = []
    for table, want in declared.items():
        got = actual.get(table)
        if got is None:
            problems.append(f'{table}: missing')
            continue
        for (w, g) in zip(want['columns'], got['columns']):
            if w != g:
                problems.append(f'{table}: column {w} declared, {g} found')
        if len(want['columns']) != len(got['columns']):
            problems.append(f'{table}: {len(want["columns"])} columns declared, {len(got["columns"])} found')
        if want['keys'] != got['keys']:
            problems.append(f'{table}: keys {sorted(want["keys"])} declared, {sorted(got["keys"])} found')
    for table in actual:
        if table not in declared:
            problems.append(f'{table}: not declared by the dump')
    return problems


def sqlite_schemas(path, declared):
    """The same description read from SQLite: types from the enum CHECKs and integer range CHECKs."""
    db = sqlite3.connect(path)
    result = {}
    for (table, sql) in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
        columns = []
        for (cid, name, decl, notnull, default, pk) in db.execute(f'PRAGMA table_info("{table}")'):
            want = dict((c[0], c) for c in declared.get(table, {'columns': []})['columns']).get(name)
            mysql_type = want[1] if want else decl
            # The type must be enforced: an enum's values or an integer's range in a CHECK on the column.
            line = next((l for l in sql.split('\n') if l.strip().startswith(f'"{name}" ')), '')
            if mysql_type.startswith('enum('):
                values = re.findall(r"'((?:[^']|'')*)'", mysql_type)
                check = re.search(r'IN \((.*?)\)\)', line)
                found = re.findall(r"'((?:[^']|'')*)'", check.group(1)) if check else []
                if set(values) - set(found):
                    mysql_type = f'{decl} without the enum values {values}'
            elif 'int(' in mysql_type:
                bits = {'tinyint': 8, 'smallint': 16, 'mediumint': 24, 'int': 32}[mysql_type.split('(')[0]]
                low, high = (0, 2 ** bits - 1) if 'unsigned' in mysql_type else (-2 ** (bits - 1), 2 ** (bits - 1) - 1)
                if f'BETWEEN {low} AND {high}' not in line:
                    mysql_type = f'{decl} without the range {low}..{high}'
            if default is not None and default.startswith("'"):
                default = default[1:-1].replace("''", "'")
            columns.append((name, mysql_type, bool(notnull), default))
        keys = set()
        pk = [r[1] for r in sorted(db.execute(f'PRAGMA table_info("{table}")'), key=lambda r: r[5]) if r[5] > 0]
        if pk:
            keys.add(('PRIMARY', tuple(pk)))
        for (seq, index, unique, origin, partial) in db.execute(f'PRAGMA index_list("{table}")'):
            if origin == 'pk':
                continue
            cols = tuple(r[2] for r in db.execute(f'PRAGMA index_info("{index}")'))
            keys.add(('UNIQUE' if unique else 'KEY', cols))
        result[table] = {'columns': columns, 'keys': keys}
    return result


def mariadb_schemas(database, socket):
    def query(sql):
        out = subprocess.run(['mariadb', '--no-defaults', '--batch', '--skip-column-names', '--socket=' + socket, '--user=root',
                              '--default-character-set=utf8mb4', '-e', sql], capture_output=True, check=True).stdout.decode('utf-8')
        return [line.split('\t') for line in out.splitlines()]
    result = {}
    for table, name, ctype, nullable, default in query(
            f"SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT FROM information_schema.COLUMNS "
            f"WHERE TABLE_SCHEMA = '{database}' ORDER BY TABLE_NAME, ORDINAL_POSITION"):
        if default == 'NULL':
            default = None
        elif default.startswith("'"):
            default = default[1:-1].replace("''", "'")
        result.setdefault(table, {'columns': [], 'keys': set()})['columns'].append((name, ctype, nullable == 'NO', default))
    groups = {}
    for table, index, non_unique, column in query(
            f"SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS "
            f"WHERE TABLE_SCHEMA = '{database}' ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"):
        kind = 'PRIMARY' if index == 'PRIMARY' else 'KEY' if non_unique == '1' else 'UNIQUE'
        groups.setdefault((table, index, kind), []).append(column)
    for (table, index, kind), columns in groups.items():
        result[table]['keys'].add((kind, tuple(columns)))
    return result


def read_bundle(csv_path, zip_path):
    raw = open(csv_path, 'rb').read()
    assert not raw.startswith(b'\xef\xbb\xbf'), 'BOM'
    lines = raw.decode('utf-8').split('\r\n')
    assert lines[-1] == '', 'no CRLF after the last line'
    rows = [line.split(';') for line in lines[:-1]]
    bases = {}
    with zipfile.ZipFile(zip_path) as outer:
        for name in outer.namelist():
            bases[name] = read_base(outer.read(name))
    return {'header': rows[0], 'rows': rows[1:], 'bases': bases}


def text(value):
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode('utf-8')
    return str(value)


def differences(tables, fetch):
    problems = []
    for table, content in tables.items():
        actual = fetch(table, content['columns'])
        want = sorted(content['rows'], key=json.dumps)
        got = sorted(actual, key=json.dumps)
        if want != got:
            extra = [r for r in got if r not in want][:3]
            missing = [r for r in want if r not in got][:3]
            problems.append(f'{table}: {len(got)} rows in the database, {len(want)} in the dump; missing {missing}, unexpected {extra}')
    return problems


def main(argv):
    command = argv[1]
    if command == 'read':
        json.dump(read_bundle(argv[2], argv[3]), sys.stdout, ensure_ascii=False)
        return 0
    if command in ('compare-sqlite', 'compare-mariadb'):
        bundle = read_bundle(argv[2], argv[3])
        tables = bundle['bases'][argv[4]]
        if command == 'compare-sqlite':
            db = sqlite3.connect(argv[5])
            def fetch(table, columns):
                sql = 'SELECT ' + ', '.join('"%s"' % c for c in columns) + ' FROM "%s"' % table
                return [[text(v) for v in row] for row in db.execute(sql)]
        else:
            def fetch(table, columns):
                # Each value as hexadecimal (NULL apart): no client escaping or XML line-end folding in between.
                sql = 'SELECT ' + ', '.join("IF(`%s` IS NULL, 'N', CONCAT('V', HEX(CAST(`%s` AS CHAR))))" % (c, c) for c in columns) + ' FROM `%s`' % table
                out = subprocess.run(['mariadb', '--no-defaults', '--batch', '--skip-column-names', '--socket=' + argv[6], '--user=root',
                                      argv[5], '-e', sql], capture_output=True, check=True).stdout.decode('ascii')
                return [[None if f == 'N' else bytes.fromhex(f[1:]).decode('utf-8') for f in line.split('\t')]
                        for line in out.splitlines()]
        problems = differences(tables, fetch)
        for p in problems:
            print(p)
        return 1 if problems else 0
    if command in ('compare-schema-sqlite', 'compare-schema-mariadb'):
        with zipfile.ZipFile(argv[3]) as outer:
            declared = declared_schemas(outer.read(argv[4]))
        actual = sqlite_schemas(argv[5], declared) if command == 'compare-schema-sqlite' else mariadb_schemas(argv[5], argv[6])
        problems = schema_problems(declared, actual)
        for p in problems:
            print(p)
        return 1 if problems else 0
    if command == 'compare-bundles':
        a, b = read_bundle(argv[2], argv[3]), read_bundle(argv[4], argv[5])
        problems = []
        if a['header'] != b['header']:
            problems.append('headers differ')
        key = lambda r: r[4]
        rows_a, rows_b = sorted(a['rows'], key=key), sorted(b['rows'], key=key)
        if len(rows_a) != len(rows_b):
            problems.append(f'{len(rows_a)} CSV rows against {len(rows_b)}')
        for ra, rb in zip(rows_a, rows_b):
            # Id_Export (0) and Nom_fichier (10) name the server's ids and files; Id_Import (1) is blank.
            if [ra[i] for i in range(2, 10)] != [rb[i] for i in range(2, 10)]:
                problems.append(f'CSV fields differ: {ra} / {rb}')
            ta, tb = a['bases'][ra[10]], b['bases'][rb[10]]
            if sorted(ta) != sorted(tb):
                problems.append(f'{ra[4]}: tables {sorted(ta)} / {sorted(tb)}')
            for table in ta:
                if table in tb and (ta[table]['columns'] != tb[table]['columns']
                                    or sorted(ta[table]['rows'], key=json.dumps) != sorted(tb[table]['rows'], key=json.dumps)):
                    problems.append(f'{ra[4]}: table {table} differs')
        for p in problems:
            print(p)
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
