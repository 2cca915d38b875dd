import Foundation
import Testing

/// Damages copies of a bundle with Python's zipfile and csv modules, so the damage is made by tools
/// independent of Transfert.
///
/// `python3 -c SCRIPT MODE ZIP_IN ZIP_OUT CSV_IN CSV_OUT ARGS…`; prints a JSON object. The CSV is copied
/// as it is, except by `inject`.
/// - `rawflip ENTRY`: inverts one byte in the middle of ENTRY's compressed data (CRC and inflate break);
/// - `flip ENTRY`: rewrites ENTRY with one letter's case changed (a consistent ZIP, a wrong SHA-256);
/// - `drop ENTRY`, `add ENTRY TEXT`: removes or adds an entry;
/// - `version N`: rewrites manifest.json with "format_version": N;
/// - `inject ENTRY STATEMENT`: inserts STATEMENT on its own line after `BEGIN TRANSACTION;` and updates
///   the entry's size and sha256, the dump's dump_bytes and dump_sha256 in manifest.json and the CSV's
///   SHA256 column: every checksum agrees, only a parser can tell. Answers `line` (STATEMENT's line in
///   ENTRY), `old_dump_sha256` and `new_dump_sha256`.
private let surgeryScript = """
    import sys, json, hashlib, zipfile, csv, shutil
    mode, zsrc, zdst, csrc, cdst = sys.argv[1:6]
    args = sys.argv[6:]
    out, new_sha = {}, {}
    if mode == 'rawflip':
        data = bytearray(open(zsrc, 'rb').read())
        info = zipfile.ZipFile(zsrc).getinfo(args[0])
        off = info.header_offset
        start = off + 30 + int.from_bytes(data[off+26:off+28], 'little') + int.from_bytes(data[off+28:off+30], 'little')
        assert info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size > 64
        data[start + info.compress_size // 2] ^= 0xFF
        open(zdst, 'wb').write(bytes(data))
        shutil.copyfile(csrc, cdst)
        print(json.dumps({'compressed_size': info.compress_size}))
        sys.exit(0)
    zin = zipfile.ZipFile(zsrc)
    manifest_bytes = zin.read('manifest.json')
    manifest = json.loads(manifest_bytes)
    entries = [[i.filename, zin.read(i.filename), i.compress_type, i.date_time] for i in zin.infolist() if i.filename != 'manifest.json']
    def entry(name):
        return next(e for e in entries if e[0] == name)
    if mode == 'flip':
        e = entry(args[0])
        data = bytearray(e[1])
        i = len(data) // 2
        while not chr(data[i]).isalpha():
            i += 1
        data[i] ^= 0x20
        e[1] = bytes(data)
    elif mode == 'drop':
        entries = [e for e in entries if e[0] != args[0]]
    elif mode == 'add':
        entries.append([args[0], args[1].encode(), zipfile.ZIP_DEFLATED, (2026, 1, 1, 0, 0, 0)])
    elif mode == 'version':
        manifest['format_version'] = int(args[0])
        manifest_bytes = json.dumps(manifest).encode()
    elif mode == 'inject':
        e = entry(args[0])
        marker = b'BEGIN TRANSACTION;\\n'
        assert marker in e[1]
        position = e[1].index(marker) + len(marker)
        out['line'] = e[1][:position].count(b'\\n') + 1
        e[1] = e[1][:position] + args[1].encode() + b'\\n' + e[1][position:]
        for est in manifest['establishments']:
            paths = [x['path'] for x in est['entries']]
            if args[0] not in paths:
                continue
            for x in est['entries']:
                if x['path'] == args[0]:
                    x['size'] = len(e[1])
                    x['sha256'] = hashlib.sha256(e[1]).hexdigest()
            dump = b''.join(entry(p)[1] for p in paths)
            out['old_dump_sha256'] = est['dump_sha256']
            est['dump_bytes'] = len(dump)
            est['dump_sha256'] = hashlib.sha256(dump).hexdigest()
            out['new_dump_sha256'] = est['dump_sha256']
            new_sha[est['nom_fichier']] = est['dump_sha256']
        manifest_bytes = json.dumps(manifest).encode()
    else:
        raise SystemExit('unknown mode ' + mode)
    with zipfile.ZipFile(zdst, 'w') as zout:
        for name, data, ctype, dt in entries + [['manifest.json', manifest_bytes, zipfile.ZIP_DEFLATED, (2026, 1, 1, 0, 0, 0)]]:
            info = zipfile.ZipInfo(name, dt)
            info.compress_type = ctype
            info.external_attr = 0o600 << 16
            zout.writestr(info, data)
    with open(csrc, newline='', encoding='utf-8') as f:
        rows = list(csv.reader(f, delimiter=';'))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index('Nom_fichier')] in new_sha:
            row[header.index('SHA256')] = new_sha[row[header.index('Nom_fichier')]]
    with open(cdst, 'w', newline='', encoding='utf-8') as f:
        csv.writer(f, delimiter=';').writerows(rows)
    print(json.dumps(out))
    """

/// Writes a damaged copy of the bundle `csv` + `zip` into `directory` (created if needed), under the
/// same file names, and returns the copy's paths and the script's JSON answer.
func bundleSurgery(
    _ mode: String, csv: String, zip: String, into directory: String, _ arguments: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> (csv: String, zip: String, answer: [String: Any]) {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let csvCopy = "\(directory)/\((csv as NSString).lastPathComponent)"
    let zipCopy = "\(directory)/\((zip as NSString).lastPathComponent)"
    let python = try #require(which("python3"), "python3 must be installed", sourceLocation: sourceLocation)
    let result = try run(python, ["-c", surgeryScript, mode, zip, zipCopy, csv, csvCopy] + arguments)
    try #require(
        result.status == 0, "bundle surgery \(mode) failed:\n\(result.transcript)", sourceLocation: sourceLocation)
    return (csvCopy, zipCopy, try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:])
}
