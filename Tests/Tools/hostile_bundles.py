#!/usr/bin/env python3
"""Writes a corpus of hostile bundles — both formats — for the reliability suite.

    hostile_bundles.py TRANSFERT_PREFIX SACOCHE_PREFIX OUT_DIR

TRANSFERT_PREFIX names a valid Transfert bundle (PREFIX.csv, PREFIX.zip), SACOCHE_PREFIX a valid SACoche
one. Each case is a CSV and a ZIP in OUT_DIR, derived from them by one attack; OUT_DIR/cases.json lists
them: name, format, what the attack is, the files, and the words the refusal must contain. Where an
attack changes a dump on purpose, the manifest's sizes and SHA-256 are brought up to date, so that the
refusal comes from the check under test and not from an earlier one.
"""
import hashlib
import io
import json
import os
import shutil
import stat
import struct
import sys
import zipfile
import zlib

cases = []


def read_zip(path):
    with zipfile.ZipFile(path) as z:
        return [(info, z.read(info.filename)) for info in z.infolist()]


def write_zip(path, entries):
    """entries: (name, bytes) or (ZipInfo, bytes)."""
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if isinstance(name, zipfile.ZipInfo):
                z.writestr(name, data)
            else:
                z.writestr(name, data)


def add(name, fmt, attack, csv_bytes, zip_writer, expect):
    base = os.path.join(OUT, name)
    with open(base + '.csv', 'wb') as f:
        f.write(csv_bytes)
    zip_writer(base + '.zip')
    cases.append({'name': name, 'format': fmt, 'attack': attack, 'csv': base + '.csv', 'zip': base + '.zip',
                  'expect': expect if isinstance(expect, list) else [expect], 'stages': ['verify', 'import']})


def patch(path, old, new):
    data = open(path, 'rb').read()
    assert old in data and len(old) == len(new), (old, new)
    open(path, 'wb').write(data.replace(old, new))


# ---------------------------------------------------------------- Transfert bundles

def transfert_cases(prefix):
    csv = open(prefix + '.csv', 'rb').read()
    entries = read_zip(prefix + '.zip')
    manifest = json.loads(dict((i.filename, d) for i, d in entries)['manifest.json'])
    first = manifest['establishments'][0]
    chunk = first['entries'][0]['path']
    names = [i.filename for i, _ in entries]

    def with_extra(extra_name, data=b'x', info=None):
        def writer(path):
            write_zip(path, [(i.filename, d) for i, d in entries] + [(info or extra_name, data)])
        return writer

    def replaced(mapping):
        def writer(path):
            write_zip(path, [(mapping.get(i.filename, (i.filename, d))[0], mapping.get(i.filename, (i.filename, d))[1]) for i, d in entries])
        return writer

    def with_dump(text, name):
        """The first chunk replaced by `text`; manifest and CSV brought up to date."""
        data = text.encode('utf-8') if isinstance(text, str) else text
        m = json.loads(json.dumps(manifest))
        e = m['establishments'][0]
        sha = hashlib.sha256(data).hexdigest()
        e['entries'] = [{'path': chunk, 'size': len(data), 'sha256': sha}]
        e['dump_bytes'], e['dump_sha256'] = len(data), sha
        body = [(i.filename, data if i.filename == chunk else d) for i, d in entries if i.filename != 'manifest.json']
        body.append(('manifest.json', json.dumps(m).encode()))
        new_csv = csv.replace(first['dump_sha256'].encode(), sha.encode())
        return new_csv, lambda path: write_zip(path, body)

    traversal = [
        ('t-dotdot', '../../evil.txt', "climbs out of its directory with '..'"),
        ('t-absolute', '/tmp/evil.txt', 'is an absolute path'),
        ('t-backslash', 'base_1\\..\\..\\evil.txt', 'contains a backslash'),
        ('t-drive', 'C:/evil.txt', 'is an absolute path'),
        ('t-control', 'base_1/evil\x07.txt', ['contains a control character', 'not in its manifest']),
        ('t-dot-component', 'base_1/./evil.txt', "has an empty or '.' path component"),
    ]
    for name, entry, expect in traversal:
        add(name, 'transfert', f'entry named {entry!r}', csv, with_extra(entry), expect)

    # A NUL inside a name: Python's zipfile cuts names at NUL, so the bytes are patched afterwards.
    def nul(path):
        with_extra('base_1/evilXtxt')(path)
        data = open(path, 'rb').read().replace(b'base_1/evilXtxt', b'base_1/evil\x00txt')
        open(path, 'wb').write(data)
    add('t-nul', 'transfert', 'a NUL byte in an entry name', csv, nul, ['control character', 'NUL', 'not a readable ZIP'])

    link = zipfile.ZipInfo('base_1/files/link')
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    add('t-symlink', 'transfert', 'a symbolic link entry', csv, with_extra('base_1/files/link', b'/etc/passwd', link), 'is a symbolic link')

    add('t-duplicate', 'transfert', 'the same entry name twice', csv, with_extra(chunk, b'DROP TABLE x;'), 'appears 2 times in the ZIP')
    nfd = first['entries'][0]['path'].replace('base_1', 'base_1')  # ASCII: use a file with an accent instead
    accented = [n for n in names if 'é' in n and n.startswith(first['nom_fichier'] + '/')]
    if accented:
        import unicodedata
        other = unicodedata.normalize('NFD', accented[0])
        add('t-unicode-twin', 'transfert', 'two names equal after Unicode normalisation', csv, with_extra(other, b'twin'),
            'the same name in two Unicode forms')
    add('t-case-twin', 'transfert', 'two names equal but for case', csv, with_extra(chunk.upper(), b'twin'), 'not in its manifest')

    # Zip bombs: a high ratio, and sizes that lie.
    def bomb(path):
        write_zip(path, [(i.filename, d) for i, d in entries] + [('base_1/files/zeros.bin', b'\0' * (64 * 1024 * 1024))])
    add('t-bomb-ratio', 'transfert', '64 MiB of zeros deflated to 64 KiB', csv, bomb, 'possible zip bomb')

    def lying_size(path, where):
        replaced({})(path)
        data = bytearray(open(path, 'rb').read())
        target = chunk.encode()
        size = [d for i, d in entries if i.filename == chunk][0]
        real = struct.pack('<I', len(size))
        fake = struct.pack('<I', 100)
        # Patch the uncompressed size in the central directory (and the local header).
        start = 0
        while True:
            index = data.find(b'PK\x01\x02', start)
            if index < 0:
                break
            name_length = struct.unpack('<H', data[index + 28:index + 30])[0]
            if data[index + 46:index + 46 + name_length] == target and where in ('central', 'both'):
                data[index + 24:index + 28] = fake
            start = index + 4
        index = data.find(b'PK\x03\x04' + b'')
        while index >= 0:
            name_length = struct.unpack('<H', data[index + 26:index + 28])[0]
            if data[index + 30:index + 30 + name_length] == target and where in ('local', 'both'):
                data[index + 22:index + 26] = fake
            index = data.find(b'PK\x03\x04', index + 4)
        open(path, 'wb').write(bytes(data))
    add('t-size-lies-central', 'transfert', 'the central directory declares 100 bytes for a 100 KiB entry', csv,
        lambda p: lying_size(p, 'central'), ['inflates beyond its declared', 'damaged', 'cannot be inflated', 'manifest says'])
    add('t-size-lies-both', 'transfert', 'both headers declare 100 bytes', csv,
        lambda p: lying_size(p, 'both'), ['inflates beyond its declared', 'damaged', 'cannot be inflated', 'manifest says'])

    def zip64_lie(path):
        """A last entry whose central-directory record carries a ZIP64 field claiming 1 TiB, for 1,000 bytes."""
        write_zip(path, [(i.filename, d) for i, d in entries] + [('base_1/files/huge.bin', b'x' * 1000)])
        data = bytearray(open(path, 'rb').read())
        record = data.rfind(b'PK\x01\x02')
        eocd = data.rfind(b'PK\x05\x06')
        name_length, extra_length, comment_length = struct.unpack('<HHH', data[record + 28:record + 34])
        data[record + 20:record + 28] = b'\xff' * 8  # compressed and uncompressed sizes: see ZIP64
        data[record + 30:record + 32] = struct.pack('<H', extra_length + 20)
        insert_at = record + 46 + name_length + extra_length
        zip64 = struct.pack('<HHQQ', 0x0001, 16, 1 << 40, 600)
        data[insert_at:insert_at] = zip64
        eocd += len(zip64)
        size = struct.unpack('<I', data[eocd + 12:eocd + 16])[0]
        data[eocd + 12:eocd + 16] = struct.pack('<I', size + len(zip64))
        open(path, 'wb').write(bytes(data))
    add('t-zip64-lies', 'transfert', 'a ZIP64 record declaring 1 TiB for a 1,000-byte entry', csv, zip64_lie,
        ['beyond the 16 GiB limit', 'not a readable ZIP'])

    nested = io.BytesIO()
    with zipfile.ZipFile(nested, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('inner.sql', b'\0' * (8 * 1024 * 1024))
    add('t-nested-zip', 'transfert', 'a ZIP inside the ZIP, named to climb out of the hosting', csv, with_extra('base_1/files/../../nested.zip', nested.getvalue()),
        ["climbs out of its directory with '..'"])
    add('t-unreferenced', 'transfert', 'an entry the manifest does not list', csv, with_extra('base_1/extra.sql', b'ATTACH DATABASE x AS y;'),
        'not in its manifest')

    def truncated(path):
        replaced({})(path)
        data = open(path, 'rb').read()
        open(path, 'wb').write(data[:len(data) // 2])
    add('t-truncated', 'transfert', 'the ZIP cut in half', csv, truncated, 'not a readable ZIP')

    def bad_crc(path):
        replaced({})(path)
        data = bytearray(open(path, 'rb').read())
        # Flip a byte in the middle of the first chunk's compressed data.
        index = data.find(b'PK\x03\x04')
        name_length, extra_length = struct.unpack('<HH', data[index + 26:index + 30])
        offset = index + 30 + name_length + extra_length + 200
        data[offset] ^= 0x55
        open(path, 'wb').write(bytes(data))
    add('t-crc', 'transfert', 'one byte of compressed data changed', csv, bad_crc, ['its CRC-32 does not match', 'cannot be inflated'])

    altered = [d for i, d in entries if i.filename == chunk][0].replace(b'INSERT INTO', b'INSERT INTO', 1)
    altered = altered[:-20] + b'-- altered by hand\n'
    add('t-sha', 'transfert', 'a chunk changed, the manifest not', csv, replaced({chunk: (chunk, altered)}),
        ['does not match its SHA-256', 'manifest says', 'the bundle was altered'])

    # manifest.json
    add('t-manifest-json', 'transfert', 'manifest.json is not JSON', csv, replaced({'manifest.json': ('manifest.json', b'{"format": "transfert-bundle",')}),
        'manifest.json is invalid')
    add('t-manifest-types', 'transfert', 'manifest.json with a wrong type', csv,
        replaced({'manifest.json': ('manifest.json', json.dumps(dict(manifest, establishments='many')).encode())}), 'manifest.json is invalid')
    add('t-manifest-version', 'transfert', 'a newer archive format', csv,
        replaced({'manifest.json': ('manifest.json', json.dumps(dict(manifest, format_version=99)).encode())}), 'archive format 99')
    deep = b'{"format": "transfert-bundle", "format_version": 2, "x": ' + b'[' * 100000 + b']' * 100000 + b'}'
    add('t-manifest-deep', 'transfert', 'manifest.json nested 100,000 deep', csv, replaced({'manifest.json': ('manifest.json', deep)}),
        'manifest.json is invalid')
    def huge_manifest(path):
        body = [(i.filename, d) for i, d in entries if i.filename != 'manifest.json']
        with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
            for n, d in body:
                z.writestr(n, d)
            with z.open('manifest.json', 'w', force_zip64=True) as f:
                f.write(b'{"format": "transfert-bundle", "format_version": 2, "pad": "')
                block = b' ' * (1024 * 1024)
                for _ in range(300):
                    f.write(block)
                f.write(b'"}')
    add('t-manifest-huge', 'transfert', 'a 300 MiB manifest.json', csv, huge_manifest, ['manifest.json is invalid (it is too large)', 'possible zip bomb'])
    add('t-no-manifest-no-zip', 'transfert', 'no manifest.json and no inner ZIP', csv,
        replaced({'manifest.json': ('readme.txt', b'hello')}), 'no manifest.json')

    # Dumps with SQL outside the format.
    statements = [
        ('t-sql-attach', "ATTACH DATABASE '/tmp/evil.db' AS evil;", ['ATTACH']),
        ('t-sql-pragma', 'PRAGMA writable_schema = ON;', ['PRAGMA']),
        ('t-sql-drop', 'DROP TABLE users;', ['DROP', 'a dump may only hold']),
        ('t-sql-undeclared', 'INSERT INTO "secrets" ("x") VALUES (1);', ['secrets']),
        ('t-sql-update', 'UPDATE users SET login = 1;', ['UPDATE', 'a dump may only hold']),
        ('t-sql-function', """INSERT INTO "parameters" ("name", "value") VALUES ('x', load_extension('evil'));""", ['load_extension', 'not a literal', 'literal']),
    ]
    original = [d for i, d in entries if i.filename == chunk][0].decode('utf-8')
    for name, statement, expect in statements:
        text = original.replace('COMMIT;', statement + '\nCOMMIT;', 1)
        new_csv, writer = with_dump(text, name)
        add(name, 'transfert', f'the dump says {statement}', new_csv, writer, expect)
    smuggled = original.replace('COMMIT;', "-- ; ATTACH DATABASE 'x' AS y;\nCOMMIT;", 1)
    new_csv, writer = with_dump(smuggled.replace('BEGIN', "/* ; DROP TABLE users; */ BEGIN", 1), 't-sql-comment')
    add('t-sql-comment', 'transfert', 'statements inside comments', new_csv, writer, ['comment', 'a dump may only hold', 'differs', 'rows'])
    new_csv, writer = with_dump(original.encode('utf-8').replace(b'INSERT', b'\xff\xfeINSERT', 1), 't-sql-utf8')
    add('t-sql-utf8', 'transfert', 'bytes that are not UTF-8 in a dump', new_csv, writer, ['UTF-8', 'unexpected character', 'not'])
    # A 65 MiB statement on one line, of data that does not compress (so no ratio check stops it first).
    import base64, random
    rng = random.Random(65)
    blob = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(3 * 1024 * 1024))).decode()
    long_value = (blob * 23)[:65 * 1024 * 1024]
    text = original.replace('COMMIT;', "INSERT INTO \"parameters\" (\"name\", \"value\") VALUES ('long', '" + long_value + "');\nCOMMIT;", 1)
    new_csv, writer = with_dump(text, 't-long-line')
    add('t-long-line', 'transfert', 'a 65 MiB statement without a line break', new_csv, writer, 'a statement is longer than 64 MiB')
    new_csv, writer = with_dump(original.replace('COMMIT;', '', 1), 't-sql-truncated')
    add('t-sql-truncated', 'transfert', 'a dump without its COMMIT', new_csv, writer, ['COMMIT', 'truncated'])

    # The CSV: Nom_fichier outside, ids out of range, GUIDs that are not.
    lines = csv.decode('utf-8').split('\r\n') if b'\r\n' in csv else csv.decode('utf-8').split('\n')
    header, row = lines[0].split(';'), lines[1].split(';')
    def csv_with(column, value):
        fields = list(row)
        fields[header.index(column)] = value
        return ('\n'.join([lines[0], ';'.join(fields)]) + '\n').encode('utf-8')
    for name, column, value, expect in [
        ('t-csv-outside', 'Nom_fichier', '../../etc', 'is not in the ZIP'),
        ('t-csv-id-zero', 'Id_Import', '0', 'must be a positive integer'),
        ('t-csv-id-negative', 'Id_Import', '-5', 'must be a positive integer'),
        ('t-csv-id-huge', 'Id_Import', '99999999999999999999', 'must be a positive integer'),
        ('t-csv-guid', 'GUID', 'not-a-guid', ['GUID']),
        ('t-csv-sql', 'Dénomination', "x'); DROP TABLE structure; --", ['Dénomination', 'differs', 'manifest']),
    ]:
        add(name, 'transfert', f'{column} = {value!r}', csv_with(column, value), replaced({}), expect)
        if column in ('Id_Import', 'GUID'):
            cases[-1]['stages'] = ['import'] # the rules of the target: verify does not know them


# ---------------------------------------------------------------- ZIP structure (the reader's own checks)

class RawZip:
    """A ZIP's bytes with its central records located, to patch a field in both headers."""

    def __init__(self, data):
        self.data = bytearray(data)
        self.eocd = self.data.rfind(b'PK\x05\x06')
        count, size, offset = struct.unpack('<HII', self.data[self.eocd + 10:self.eocd + 20])
        self.records = []
        position = offset
        for _ in range(count):
            name_length, extra_length, comment_length = struct.unpack('<HHH', self.data[position + 28:position + 34])
            name = bytes(self.data[position + 46:position + 46 + name_length])
            local = struct.unpack('<I', self.data[position + 42:position + 46])[0]
            self.records.append({'central': position, 'local': local, 'name': name})
            position += 46 + name_length + extra_length + comment_length

    def record(self, name):
        return [r for r in self.records if r['name'] == name.encode()][0]

    def set_both(self, name, central_at, local_at, fmt, value):
        """Patches a field at `central_at` in the central record and `local_at` in the local header."""
        r = self.record(name)
        packed = struct.pack(fmt, value)
        self.data[r['central'] + central_at:r['central'] + central_at + len(packed)] = packed
        if local_at is not None:
            self.data[r['local'] + local_at:r['local'] + local_at + len(packed)] = packed

    def local_data(self, name):
        r = self.record(name)
        name_length, extra_length = struct.unpack('<HH', self.data[r['local'] + 26:r['local'] + 30])
        return r['local'] + 30 + name_length + extra_length


def raw_local_header(name, crc, compressed, uncompressed, method=0, flags=0):
    return struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, flags, method, 0, 0x21, crc, compressed, uncompressed, len(name), 0) + name


def raw_central_header(name, crc, compressed, uncompressed, offset, method=0, flags=0, extra=b''):
    return struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 0x031e, 20, flags, method, 0, 0x21, crc, compressed, uncompressed,
                       len(name), len(extra), 0, 0, 0, (0o100644 << 16), offset) + name + extra


def rebuild(data, records, extra_central=b'', comment=b'', zip64=None):
    """`data` up to its central directory + the given central records (+ `extra_central`), then the end records."""
    raw = RawZip(data)
    start = struct.unpack('<I', raw.data[raw.eocd + 16:raw.eocd + 20])[0]
    body = bytes(raw.data[:start])
    central = b''.join(bytes(raw.data[r['central']:(raw.records[i + 1]['central'] if i + 1 < len(raw.records) else raw.eocd)])
                       for i, r in enumerate(raw.records) if r['name'] in records) + extra_central
    count = sum(1 for r in raw.records if r['name'] in records) + extra_central.count(b'PK\x01\x02')
    out = body + central
    if zip64 is not None:
        record_offset = len(out)
        out += struct.pack('<IQHHIIQQQQ', 0x06064b50, 44, 45, 45, 0, 0, zip64['count'], zip64['count'], zip64['size'], zip64['offset'])
        out += struct.pack('<IIQI', 0x07064b50, 0, record_offset, 1)
        return out + struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, len(comment)) + comment
    return out + struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, count, count, len(central), start, len(comment)) + comment


def zip_structure_cases(prefix):
    csv = open(prefix + '.csv', 'rb').read()
    original = open(prefix + '.zip', 'rb').read()
    entries = read_zip(prefix + '.zip')
    manifest = json.loads(dict((i.filename, d) for i, d in entries)['manifest.json'])
    chunk = manifest['establishments'][0]['entries'][0]['path']
    names = [i.filename.encode() for i, _ in entries]

    def writer(make):
        def write(path):
            open(path, 'wb').write(bytes(make()))
        return write

    def header_in_comment():
        # A last entry whose local header sits inside the end record's comment, its 1 MB of data running
        # past the end of the file: a reader that trusts the sizes waits for bytes that never come. The
        # entry is listed in the manifest (size and SHA-256 of 1 MB of zeros), so that it is read.
        name = b'base_1/files/tail.bin'
        m = json.loads(json.dumps(manifest))
        m['establishments'][0]['files'].append({'path': name.decode(), 'sha256': hashlib.sha256(b'\0' * 1_000_000).hexdigest(), 'size': 1_000_000})
        listed = io.BytesIO()
        write_zip(listed, [(i.filename, json.dumps(m).encode() if i.filename == 'manifest.json' else d) for i, d in entries])
        base = listed.getvalue()
        raw = RawZip(base)
        start = struct.unpack('<I', raw.data[raw.eocd + 16:raw.eocd + 20])[0]
        crc = zlib.crc32(b'\0' * 1_000_000)
        new_central = raw_central_header(name, crc, 1_000_000, 1_000_000, 0, method=8)
        comment_at = raw.eocd + len(new_central) + 22
        new_central = raw_central_header(name, crc, 1_000_000, 1_000_000, comment_at, method=8)
        return rebuild(base, names, new_central, comment=raw_local_header(name, crc, 1_000_000, 1_000_000, method=8))
    add('z-header-in-comment', 'transfert', "an entry's local header inside the end record's comment, its data running past the end of the file",
        csv, writer(header_in_comment), ['outside the entries\' part of the file'])

    def flagged(bit):
        def make():
            raw = RawZip(original)
            r = raw.record(chunk)
            flags = struct.unpack('<H', raw.data[r['central'] + 8:r['central'] + 10])[0] | bit
            raw.set_both(chunk, 8, 6, '<H', flags)
            return raw.data
        return make
    add('z-encrypted', 'transfert', 'a dump entry flagged as encrypted (general-purpose bit 0)', csv, writer(flagged(0x0001)), 'flagged as encrypted')
    add('z-strong-encryption', 'transfert', 'a dump entry flagged with strong encryption (bit 6)', csv, writer(flagged(0x0040)), 'flagged as encrypted')

    def method(number):
        def make():
            raw = RawZip(original)
            raw.set_both(chunk, 10, 8, '<H', number)
            return raw.data
        return make
    add('z-method', 'transfert', 'a dump entry compressed with method 12 (bzip2)', csv, writer(method(12)), 'compressed with method 12')

    def same_record():
        # A second central record pointing at the first chunk's local header, under another name.
        raw = RawZip(original)
        r = raw.record(chunk)
        end = raw.records[raw.records.index(r) + 1]['central'] if raw.records.index(r) + 1 < len(raw.records) else raw.eocd
        copy = bytearray(raw.data[r['central']:end])
        name_length = struct.unpack('<H', copy[28:30])[0]
        other = b'base_1/files/twin.sq'[:name_length].ljust(name_length, b'x')
        copy[46:46 + name_length] = other
        return rebuild(original, names, bytes(copy))
    add('z-overlap-same-record', 'transfert', 'two central records pointing into one local record', csv, writer(same_record),
        ['names another entry', 'overlap'])

    def nested():
        # A stored entry whose data holds a whole second entry (header and data), listed on its own too:
        # two entries share bytes.
        inner_name = b'base_1/files/inner.txt'
        inner_data = b'inner data\n' * 100
        crc = zlib.crc32(inner_data)
        inner_record = raw_local_header(inner_name, crc, len(inner_data), len(inner_data)) + inner_data
        outer_name = b'base_1/files/outer.bin'
        raw = RawZip(original)
        start = struct.unpack('<I', raw.data[raw.eocd + 16:raw.eocd + 20])[0]
        outer_crc = zlib.crc32(inner_record)
        body = bytes(raw.data[:start]) + raw_local_header(outer_name, outer_crc, len(inner_record), len(inner_record))
        inner_offset = len(body)
        body += inner_record
        centrals = raw_central_header(outer_name, outer_crc, len(inner_record), len(inner_record), start) \
            + raw_central_header(inner_name, crc, len(inner_data), len(inner_data), inner_offset)
        old_central = bytes(raw.data[start:raw.eocd])
        central = old_central + centrals
        count = len(raw.records) + 2
        return body + central + struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, count, count, len(central), len(body), 0)
    add('z-overlap-nested', 'transfert', "an entry whose stored data holds another entry's whole record", csv, writer(nested), 'overlap')

    def lying_sizes():
        # 64 MiB of zeros deflate to 64 KiB; both headers declare 1 MiB of compressed data (the rest is
        # padding the inflater never needs), so the declared ratio is a harmless 64.
        data = b'\0' * (64 * 1024 * 1024)
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        deflated = compressor.compress(data) + compressor.flush()
        padded = deflated + os.urandom(1024 * 1024 - len(deflated))
        name = b'base_1/files/padded.bin'
        crc = zlib.crc32(data)
        # Listed in the manifest, with its true size and SHA-256, so that verify and import read it.
        m = json.loads(json.dumps(manifest))
        m['establishments'][0]['files'].append({'path': name.decode(), 'sha256': hashlib.sha256(data).hexdigest(), 'size': len(data)})
        listed = io.BytesIO()
        write_zip(listed, [(i.filename, json.dumps(m).encode() if i.filename == 'manifest.json' else d) for i, d in entries])
        raw = RawZip(listed.getvalue())
        start = struct.unpack('<I', raw.data[raw.eocd + 16:raw.eocd + 20])[0]
        body = bytes(raw.data[:start]) + raw_local_header(name, crc, len(padded), len(data), method=8) + padded
        central = bytes(raw.data[start:raw.eocd]) + raw_central_header(name, crc, len(padded), len(data), start, method=8)
        count = len(raw.records) + 1
        return body + central + struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, count, count, len(central), len(body), 0)
    add('z-sizes-lie-both', 'transfert', 'both headers declare 1 MiB compressed for 64 KiB of deflate (64 MiB of zeros): a harmless-looking ratio',
        csv, writer(lying_sizes), ['compressed bytes read so far', 'before its declared compressed size'])

    def total_bomb():
        # 256 entries of 8 MiB of zeros, each under the per-entry ratio check (10 MiB): 2 GiB from ~2 MiB.
        data = b'\0' * (8 * 1024 * 1024)
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        deflated = compressor.compress(data) + compressor.flush()
        crc = zlib.crc32(data)
        raw = RawZip(original)
        start = struct.unpack('<I', raw.data[raw.eocd + 16:raw.eocd + 20])[0]
        body = bytearray(raw.data[:start])
        central = bytearray(raw.data[start:raw.eocd])
        for index in range(256):
            name = b'base_1/files/zeros-%03d.bin' % index
            central += raw_central_header(name, crc, len(deflated), len(data), len(body), method=8)
            body += raw_local_header(name, crc, len(deflated), len(data), method=8) + deflated
        count = len(raw.records) + 256
        return bytes(body) + bytes(central) + struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, count, count, len(central), len(body), 0)
    add('z-total-bomb', 'transfert', '256 entries of 8 MiB of zeros, each under the per-entry limit: 2 GiB from 2 MiB', csv, writer(total_bomb),
        'bytes in all, more than the')

    def past_eof():
        raw = RawZip(original)
        raw.set_both(chunk, 20, 18, '<I', 0x7FFFFFFF)
        return raw.data
    add('z-data-past-eof', 'transfert', "a dump entry's compressed size (both headers) running 2 GiB past the end of the file", csv, writer(past_eof),
        "past the end of the entries' part of the file")

    def zip64_offset():
        # The first chunk's central record sends its offset to a ZIP64 field holding 2^64 - 16.
        raw = RawZip(original)
        r = raw.record(chunk)
        end = raw.records[raw.records.index(r) + 1]['central'] if raw.records.index(r) + 1 < len(raw.records) else raw.eocd
        record = bytearray(raw.data[r['central']:end])
        name_length, extra_length, comment_length = struct.unpack('<HHH', record[28:34])
        record[42:46] = b'\xff\xff\xff\xff'
        extra = struct.pack('<HHQ', 1, 8, (1 << 64) - 16)
        record = record[:46 + name_length] + extra + record[46 + name_length:]
        record[30:32] = struct.pack('<H', extra_length + len(extra))
        return rebuild(original, [n for n in names if n != chunk.encode()], bytes(record))
    add('z-zip64-offset-overflow', 'transfert', 'a ZIP64 field giving an entry the offset 2^64 - 16', csv, writer(zip64_offset),
        'declares its local header at offset 18446744073709551600')

    def zip64_count():
        raw = RawZip(original)
        start = struct.unpack('<I', raw.data[raw.eocd + 16:raw.eocd + 20])[0]
        return rebuild(original, names, zip64={'count': (1 << 64) - 1, 'size': raw.eocd - start, 'offset': start})
    add('z-zip64-count-overflow', 'transfert', 'a ZIP64 end record declaring 2^64 - 1 entries', csv, writer(zip64_count),
        'declares 18446744073709551615 entries')
# ---------------------------------------------------------------- Transfert manifests: integers and names

def manifest_value_cases(prefix):
    """manifest.json values no export writes: integers that are negative, fractional, beyond 64 bits or
    whose sums overflow (row counts, sizes: every total a command makes), and names that are not the
    format's (`..` in the establishment's folder, a chunk or an upload; the CSV's Nom_fichier matching)."""
    csv = open(prefix + '.csv', 'rb').read()
    entries = read_zip(prefix + '.zip')
    manifest = json.loads(dict((i.filename, d) for i, d in entries)['manifest.json'])
    folder = manifest['establishments'][0]['nom_fichier']
    int64_max = 2 ** 63 - 1

    def with_manifest(edit, csv_bytes=csv):
        m = json.loads(json.dumps(manifest))
        edit(m['establishments'][0])
        body = [(i.filename, d) for i, d in entries if i.filename != 'manifest.json'] + [('manifest.json', json.dumps(m).encode())]
        return csv_bytes, lambda path: write_zip(path, body)

    def renamed_csv(name):
        return csv.replace((';' + folder + ';').encode(), (';' + name + ';').encode())

    def setter(key, value):
        def edit(e):
            e[key] = value
        return edit

    def tables(*rows):
        def edit(e):
            for table, value in zip(e['tables'], rows):
                table['rows'] = value
        return edit

    def files(*sizes):
        def edit(e):
            e['files'] = [{'path': f'{folder}/files/f{n}.bin', 'size': size, 'sha256': ''} for n, size in enumerate(sizes)]
        return edit

    def first(key, field, value):
        def edit(e):
            e[key][0][field] = value
        return edit

    integer_cases = [
        ('m-rows-sum-overflow', 'row counts of Int64.max and 1', tables(int64_max, 1), 'add up to more than'),
        ('m-rows-negative', 'a row count of -1', tables(-1), 'cannot be negative'),
        ('m-rows-beyond-int64', 'a row count of 2^63', tables(2 ** 63), 'is an integer between'),
        ('m-rows-fraction', 'a row count of 1.5', tables(1.5), 'is an integer between'),
        ('m-files-sum-overflow', 'two uploads of Int64.max bytes', files(int64_max, int64_max), 'add up to more than'),
        ('m-content-overflow', 'dump_bytes of Int64.max beside an upload', lambda e: (setter('dump_bytes', int64_max)(e), files(10)(e)), 'add up to more than'),
        ('m-size-negative', 'a chunk of -12 bytes', first('entries', 'size', -12), 'cannot be negative'),
        ('m-base-id-negative', 'base_id -1 (folder base_-1)', lambda e: (setter('base_id', -1)(e), setter('nom_fichier', 'base_-1')(e)), 'positive integer'),
    ]
    for name, attack, edit, expect in integer_cases:
        new_csv, writer = with_manifest(edit)
        add(name, 'transfert', attack, new_csv, writer, expect)

    for name, attack, edit, new_csv, expect in [
        ('m-folder-dotdot', "nom_fichier '..' (and the CSV's)", setter('nom_fichier', '..'), renamed_csv('..'), 'nom_fichier'),
        ('m-folder-climbs', f"nom_fichier '{folder}/..' (and the CSV's)", setter('nom_fichier', folder + '/..'), renamed_csv(folder + '/..'), 'nom_fichier'),
        ('m-folder-dots', f"nom_fichier '{folder}..' (and the CSV's)", setter('nom_fichier', folder + '..'), renamed_csv(folder + '..'), 'nom_fichier'),
        ('m-upload-dotdot', f"an upload named '{folder}/files/../../evil.txt'", first('files', 'path', f'{folder}/files/../../evil.txt'), csv, "'.' or '..'"),
        ('m-chunk-dotdot', f"a chunk named '{folder}/../{folder}/000001.sql'", first('entries', 'path', f'{folder}/../{folder}/000001.sql'), csv, 'dump chunk is named'),
    ]:
        _, writer = with_manifest(edit)
        add(name, 'transfert', attack, new_csv, writer, expect)


# ---------------------------------------------------------------- SACoche bundles

def sacoche_cases(prefix):
    csv = open(prefix + '.csv', 'rb').read()
    entries = read_zip(prefix + '.zip')
    first_line = csv.decode('utf-8').split('\r\n')[1].split(';')
    inner_name = first_line[10]
    inner = dict((i.filename, d) for i, d in entries)[inner_name]
    inner_entries = read_zip(io.BytesIO(inner))

    def outer_with(inner_bytes=None, extra=()):
        def writer(path):
            body = [(i.filename, inner_bytes if (inner_bytes is not None and i.filename == inner_name) else d) for i, d in entries]
            write_zip(path, body + list(extra))
        return writer

    def inner_with(mutate):
        out = io.BytesIO()
        mutate_entries = mutate([(i.filename, d) for i, d in inner_entries])
        with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
            for n, d in mutate_entries:
                z.writestr(n, d)
        return out.getvalue()

    add('s-inner-traversal', 'sacoche', "an inner entry named '../evil.sql'", csv,
        outer_with(inner_with(lambda e: e + [('../evil.sql', b'DROP DATABASE x;')])), "climbs out of its directory with '..'")
    add('s-inner-absolute', 'sacoche', "an inner entry named '/etc/cron.d/evil'", csv,
        outer_with(inner_with(lambda e: e + [('/etc/cron.d/evil', b'x')])), 'is an absolute path')
    add('s-inner-bomb', 'sacoche', 'an inner entry of 64 MiB of zeros', csv,
        outer_with(inner_with(lambda e: e + [('dump_sacoche_zeros_0000.sql', b'\0' * (64 * 1024 * 1024))])), 'possible zip bomb')
    add('s-inner-not-zip', 'sacoche', 'an inner "ZIP" that is not one', csv, outer_with(b'this is not a zip' * 10), 'is not a readable ZIP')
    add('s-inner-truncated', 'sacoche', 'an inner ZIP cut in half', csv, outer_with(inner[:len(inner) // 2]), 'is not a readable ZIP')
    link = zipfile.ZipInfo('dump_sacoche_link_0000.sql')
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    def inner_link():
        out = io.BytesIO()
        with zipfile.ZipFile(out, 'w') as z:
            for i, d in inner_entries:
                z.writestr(i.filename, d)
            z.writestr(link, b'/etc/passwd')
        return out.getvalue()
    add('s-inner-symlink', 'sacoche', 'a symbolic link inside an inner ZIP', csv, outer_with(inner_link()), 'is a symbolic link')
    def inner_encrypted():
        raw = RawZip(inner)
        name = inner_entries[0][0].filename
        flags = struct.unpack('<H', raw.data[raw.record(name)['central'] + 8:raw.record(name)['central'] + 10])[0]
        raw.set_both(name, 8, 6, '<H', flags | 0x0001)
        return bytes(raw.data)
    add('s-inner-encrypted', 'sacoche', 'an inner ZIP whose first dump is flagged as encrypted', csv, outer_with(inner_encrypted()),
        'flagged as encrypted')
    add('s-inner-nested', 'sacoche', 'a ZIP inside an inner ZIP', csv,
        outer_with(inner_with(lambda e: e + [('evil.zip', inner)])), 'is not a dump')
    add('s-inner-empty', 'sacoche', 'an inner ZIP with no dump', csv, outer_with(inner_with(lambda e: [])), 'not a SACoche base')
    add('s-outer-other', 'sacoche', 'an outer entry that is not a base', csv, outer_with(extra=[('../readme.txt', b'x')]),
        "climbs out of its directory with '..'")
    add('s-missing-inner', 'sacoche', 'a CSV line whose inner ZIP is not there', csv.replace(inner_name.encode(), b'dump_SACoche_99_2017-10-02_14-05-37_1.zip'),
        outer_with(), 'the ZIP has no dump_SACoche_99')
    add('s-csv-outside', 'sacoche', 'a Nom_fichier that points outside', csv.replace(inner_name.encode(), b'../../../etc/passwd.zip'),
        outer_with(), ["is not a SACoche base's ZIP name", 'the ZIP has no'])

    def sql(name, text):
        def mutate(e):
            return [(n, text.encode('utf-8') if n == name and isinstance(text, str) else (text if n == name else d)) for n, d in e]
        return mutate
    parametre = dict((i.filename, d) for i, d in inner_entries)['dump_sacoche_parametre_0000.sql'].decode('utf-8')
    for name, text, expect in [
        ('s-sql-drop-database', parametre + 'DROP DATABASE sac_base_1;\r\n', 'only DROP TABLE IF EXISTS is allowed'),
        ('s-sql-set', 'SET NAMES latin1;\r\n' + parametre, "'SET' is not a statement SACoche writes"),
        ('s-sql-comment', parametre.replace('ALTER TABLE', '/*!40000 ALTER TABLE', 1), "a comment ('/*')"),
        ('s-sql-other-table', parametre + 'INSERT INTO sacoche_user VALUES (1);\r\n', 'in the file of table sacoche_parametre'),
        ('s-sql-smuggled-string', parametre.replace('("version_base"', '("x\'); DROP TABLE sacoche_user; --","y"),\r\n("version_base"', 1), None),
        ('s-sql-truncated', parametre[:-40], ['never closed', 'has no', 'unfinished', 'truncated']),
        # A file whose last byte is the backslash of an open string: the lexer once stood on it forever.
        ('s-sql-trailing-backslash', parametre + 'INSERT INTO sacoche_parametre VALUES ("x","\\', 'never closed'),
        ('s-sql-values', parametre.replace('("calcul_limite",5)', '("calcul_limite",5,6)', 1), 'has more values than the table'),
    ]:
        if expect is None:
            # A statement inside a string literal is a value: carried as it is, never run.
            add(name, 'sacoche', 'SQL inside a string value', csv, outer_with(inner_with(sql('dump_sacoche_parametre_0000.sql', text))), [])
            cases[-1]['accepted'] = True
            continue
        add(name, 'sacoche', f'{name[6:]} in a dump', csv, outer_with(inner_with(sql('dump_sacoche_parametre_0000.sql', text))), expect)
    add('s-sql-utf8', 'sacoche', 'bytes that are not UTF-8 in a value', csv,
        outer_with(inner_with(sql('dump_sacoche_parametre_0000.sql', parametre.encode('utf-8').replace(b'"geometrique"', b'"geom\xe9trique"', 1)))),
        'is not valid UTF-8')


if __name__ == '__main__':
    transfert_prefix, sacoche_prefix, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(OUT, exist_ok=True)
    transfert_cases(transfert_prefix)
    zip_structure_cases(transfert_prefix)
    manifest_value_cases(transfert_prefix)
    sacoche_cases(sacoche_prefix)
    json.dump(cases, open(os.path.join(OUT, 'cases.json'), 'w'), ensure_ascii=False, indent=1)
    print(len(cases))
