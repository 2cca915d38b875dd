import Foundation
import Testing

/// ZIP surgery with Python's zipfile, so damage is made by an independent tool.
///
/// `python3 -c SCRIPT MODE SOURCE DESTINATION ARGS…`; prints a JSON object.
/// - `rawflip ENTRY`: inverts one byte in the middle of ENTRY's compressed data (CRC and inflate break);
/// - `flip ENTRY`: rewrites ENTRY with one letter's case changed (a consistent ZIP, a wrong SHA-256);
/// - `drop ENTRY`, `add ENTRY TEXT`: removes or adds an entry;
/// - `version N`: rewrites manifest.json with "format_version": N;
/// - `inject ENTRY STATEMENT`: inserts STATEMENT after BEGIN TRANSACTION and updates the entry's size and
///   sha256 and the dump's dump_bytes and dump_sha256 in manifest.json: only a parser can tell.
private let zipSurgery = """
    import sys, json, hashlib, zipfile
    mode, src, dst = sys.argv[1:4]
    args = sys.argv[4:]
    out = {}
    if mode == 'rawflip':
        data = bytearray(open(src, 'rb').read())
        info = zipfile.ZipFile(src).getinfo(args[0])
        off = info.header_offset
        start = off + 30 + int.from_bytes(data[off+26:off+28], 'little') + int.from_bytes(data[off+28:off+30], 'little')
        assert info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size > 64
        data[start + info.compress_size // 2] ^= 0xFF
        open(dst, 'wb').write(bytes(data))
        print(json.dumps({'compressed_size': info.compress_size}))
        sys.exit(0)
    zin = zipfile.ZipFile(src)
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
        out['line'] = e[1][:e[1].index(marker)].count(b'\\n') + 2
        e[1] = e[1].replace(marker, marker + args[1].encode() + b'\\n', 1)
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
        manifest_bytes = json.dumps(manifest).encode()
    else:
        raise SystemExit('unknown mode ' + mode)
    with zipfile.ZipFile(dst, 'w') as zout:
        for name, data, ctype, dt in entries + [['manifest.json', manifest_bytes, zipfile.ZIP_DEFLATED, (2026, 1, 1, 0, 0, 0)]]:
            info = zipfile.ZipInfo(name, dt)
            info.compress_type = ctype
            info.external_attr = 0o600 << 16
            zout.writestr(info, data)
    print(json.dumps(out))
    """

@Suite("transfert verify, inspect and structure remove")
struct VerifyTests {
    /// An exported bundle, in the workspace that exported it.
    struct Bundle {
        let workspace: Workspace
        let csv: String
        let zip: String

        /// A copy of the CSV and the ZIP in a folder of their own, with the same file names.
        func copy(to directory: String) throws -> (csv: String, zip: String) {
            try FileManager.default.createDirectory(atPath: workspace.path(directory), withIntermediateDirectories: true)
            let csvCopy = workspace.path("\(directory)/\((csv as NSString).lastPathComponent)")
            let zipCopy = workspace.path("\(directory)/\((zip as NSString).lastPathComponent)")
            try FileManager.default.copyItem(atPath: csv, toPath: csvCopy)
            try FileManager.default.copyItem(atPath: zip, toPath: zipCopy)
            return (csvCopy, zipCopy)
        }

        /// A copy whose ZIP was rewritten by `zipSurgery`; returns its JSON answer too.
        func surgery(_ directory: String, _ mode: String, _ arguments: [String] = [],
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> (csv: String, zip: String, answer: [String: Any]) {
            let (csvCopy, zipCopy) = try copy(to: directory)
            try FileManager.default.removeItem(atPath: zipCopy)
            let python = try #require(which("python3"), "python3 must be installed", sourceLocation: sourceLocation)
            let result = try run(python, ["-c", zipSurgery, mode, zip, zipCopy] + arguments)
            try #require(result.status == 0, "zip surgery \(mode) failed:\n\(result.transcript)", sourceLocation: sourceLocation)
            let answer = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
            return (csvCopy, zipCopy, answer)
        }

        func verify(_ csv: String, _ zip: String, _ options: [String] = []) throws -> ProcessResult {
            try workspace.transfert(["verify"] + options + [csv, zip])
        }
    }

    /// init + two small sample establishments + export of both.
    func exportedBundle(seed: Int = 5, students: Int = 20) throws -> Bundle {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "2", "--students", String(students), "--seed", String(seed)])
        try workspace.succeed(["export", "--all", "--out", workspace.path("out")])
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out"))
        let csv = try #require(names.first { $0.hasPrefix("bases_dump_") && $0.hasSuffix(".csv") })
        let zip = try #require(names.first { $0.hasPrefix("bases_dump_") && $0.hasSuffix(".zip") })
        return Bundle(workspace: workspace, csv: workspace.path("out/\(csv)"), zip: workspace.path("out/\(zip)"))
    }

    /// Expects `verify` to refuse (exit 2) with `message` in its output.
    func expectNotVerified(_ result: ProcessResult, _ messages: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 2, "verify must exit 2:\n\(result.transcript)", sourceLocation: sourceLocation)
        #expect(result.stdout.contains("Verdict: NOT VERIFIED"), "\(result.transcript)", sourceLocation: sourceLocation)
        for message in messages {
            #expect(result.stdout.contains(message), "expected '\(message)' in:\n\(result.transcript)", sourceLocation: sourceLocation)
        }
    }

    func expectVerified(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 0, "verify must exit 0:\n\(result.transcript)", sourceLocation: sourceLocation)
        #expect(result.stdout.contains("Verdict: VERIFIED"), "\(result.transcript)", sourceLocation: sourceLocation)
    }

    // MARK: verify

    @Test func cleanBundleVerifiesAtEveryLevel() throws {
        let bundle = try exportedBundle()
        let plain = try bundle.verify(bundle.csv, bundle.zip)
        expectVerified(plain)
        #expect(plain.stdout.contains("Verdict: VERIFIED (default): 2 establishments OK."), "\(plain.stdout)")
        #expect(plain.stdout.contains("CSV read as UTF-8, separator ';'."))
        let deep = try bundle.verify(bundle.csv, bundle.zip, ["--deep"])
        expectVerified(deep)
        #expect(deep.stdout.contains("Verdict: VERIFIED (deep): 2 establishments OK."), "\(deep.stdout)")
        let scratch = bundle.workspace.path("scratch")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let full = try bundle.verify(bundle.csv, bundle.zip, ["--deep", "--against-source", "--scratch", scratch])
        expectVerified(full)
        #expect(full.stdout.contains("Verdict: VERIFIED (deep, against source): 2 establishments OK."), "\(full.stdout)")
        #expect(full.stdout.contains("compared with the live establishment 1"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty, "scratch databases are removed")
        #expect(!full.stdout.contains("Problems"))
    }

    @Test func jsonReportSaysVerifiedOrNot() throws {
        let bundle = try exportedBundle()
        let good = try bundle.verify(bundle.csv, bundle.zip, ["--deep", "--json"])
        #expect(good.status == 0, "\(good.transcript)")
        let report = try #require(try bundle.workspace.json(good) as? [String: Any])
        #expect(report["verified"] as? Bool == true)
        #expect(report["deep"] as? Bool == true)
        #expect(report["against_source"] as? Bool == false)
        #expect(report["csv_encoding"] as? String == "UTF-8")
        let establishments = try #require(report["establishments"] as? [[String: Any]])
        #expect(establishments.map { $0["status"] as? String } == ["ok", "ok"])
        #expect(establishments.map { $0["nom_fichier"] as? String } == ["base_1", "base_2"])
        #expect((report["bundle_problems"] as? [Any])?.isEmpty == true)

        let damaged = try bundle.surgery("flipped", "flip", ["base_2/000001.sql"])
        let bad = try bundle.verify(damaged.csv, damaged.zip, ["--json"])
        #expect(bad.status == 2, "\(bad.transcript)")
        let badReport = try #require(try bundle.workspace.json(bad) as? [String: Any])
        #expect(badReport["verified"] as? Bool == false)
        let statuses = try #require(badReport["establishments"] as? [[String: Any]]).map { $0["status"] as? String }
        #expect(statuses == ["ok", "failed"])
    }

    @Test func flippedByteInADumpFailsItsSHA256() throws {
        let bundle = try exportedBundle()
        let damaged = try bundle.surgery("flipped", "flip", ["base_1/000001.sql"])
        // Python's own check passes: the CRC is consistent, only the manifest's SHA-256 can tell.
        let test = try run(try #require(which("python3")), ["-c", "import zipfile,sys; assert zipfile.ZipFile(sys.argv[1]).testzip() is None", damaged.zip])
        #expect(test.status == 0, "\(test.transcript)")
        for options in [[], ["--deep"]] {
            let result = try bundle.verify(damaged.csv, damaged.zip, options)
            expectNotVerified(result, "base_1 (id 1): entry base_1/000001.sql does not match its SHA-256 in the manifest")
            #expect(!result.stdout.contains("refused"), "damage is reported as damage, not as a hostile dump: \(result.stdout)")
            #expect(!result.stdout.contains("base_2 (id 2):"), "the other establishment is OK")
        }
    }

    @Test func flippedCompressedByteFailsTheCRCOrInflate() throws {
        let bundle = try exportedBundle()
        let damaged = try bundle.surgery("rawflip", "rawflip", ["base_2/000001.sql"])
        let result = try bundle.verify(damaged.csv, damaged.zip)
        expectNotVerified(result, "base_2 (id 2): entry base_2/000001.sql is damaged: ")
        let text = result.stdout
        // Which check trips first depends on where the flipped bit lands in the deflate stream.
        let reasons = ["its CRC-32 does not match", "cannot be inflated", "where the ZIP declares", "inflates beyond its declared"]
        #expect(reasons.contains { text.contains($0) }, "\(text)")
        let deep = try bundle.verify(damaged.csv, damaged.zip, ["--deep"])
        expectNotVerified(deep, "entry base_2/000001.sql is damaged: ")
    }

    @Test func truncatedZipIsNotReadable() throws {
        let bundle = try exportedBundle()
        let (csv, zip) = try bundle.copy(to: "truncated")
        let data = try Data(contentsOf: URL(fileURLWithPath: zip))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: zip))
        let result = try bundle.verify(csv, zip)
        expectNotVerified(result, "is not a readable ZIP (truncated or damaged)")
        let deep = try bundle.verify(csv, zip, ["--deep", "--json"])
        #expect(deep.status == 2)
        #expect(try bundle.workspace.json(deep) is [String: Any], "--json still prints a report")
    }

    @Test func missingDumpEntryIsNamed() throws {
        let bundle = try exportedBundle()
        let damaged = try bundle.surgery("missing", "drop", ["base_2/000001.sql"])
        let result = try bundle.verify(damaged.csv, damaged.zip)
        expectNotVerified(result, "base_2 (id 2): entry base_2/000001.sql is missing from the ZIP")
        expectNotVerified(try bundle.verify(damaged.csv, damaged.zip, ["--deep"]), "entry base_2/000001.sql is missing from the ZIP")
    }

    @Test func missingUploadedFileIsNamed() throws {
        let bundle = try exportedBundle()
        let listing = try run(try #require(which("python3")), ["-c", "import zipfile,sys; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", bundle.zip])
        let file = try #require(listing.stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix("base_1/files/") })
        let damaged = try bundle.surgery("missing-file", "drop", [file])
        expectNotVerified(try bundle.verify(damaged.csv, damaged.zip), "entry \(file) is missing from the ZIP")
    }

    @Test func extraEntryIsUnreferenced() throws {
        let bundle = try exportedBundle()
        let damaged = try bundle.surgery("extra", "add", ["base_1/000099.sql", "DELETE FROM grades;"])
        expectNotVerified(try bundle.verify(damaged.csv, damaged.zip),
                          "entry base_1/000099.sql is in the ZIP but not in its manifest: the bundle was altered (unreferenced entry)")
    }

    @Test func rowRemovedFromTheCSVIsReportedNotChecked() throws {
        let bundle = try exportedBundle()
        let (csv, zip) = try bundle.copy(to: "edited")
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.filter { $0.contains(";base_2;") }.count == 1)
        try lines.filter { !$0.contains(";base_2;") }.joined(separator: "\r\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let result = try bundle.verify(csv, zip, ["--deep"])
        expectVerified(result)
        #expect(result.stdout.contains("not in the CSV (dropped by the operator)"), "\(result.stdout)")
        #expect(result.stdout.contains("1 establishment OK; 1 in the ZIP but not in the CSV (not checked)."), "\(result.stdout)")
        let json = try #require(try bundle.workspace.json(try bundle.verify(csv, zip, ["--json"])) as? [String: Any])
        let statuses = try #require(json["establishments"] as? [[String: Any]]).map { "\($0["nom_fichier"] ?? "")=\($0["status"] ?? "")" }
        #expect(statuses == ["base_1=ok", "base_2=not_in_csv"])
        #expect(json["verified"] as? Bool == true)
    }

    @Test func entryClimbingOutIsRefusedAndNothingIsInflated() throws {
        let bundle = try exportedBundle()
        // Start from a bundle whose dump is also damaged: if anything were inflated, its SHA-256 would show.
        let flipped = try bundle.surgery("flipped", "flip", ["base_1/000001.sql"])
        let evilBundle = Bundle(workspace: bundle.workspace, csv: flipped.csv, zip: flipped.zip)
        let evil = try evilBundle.surgery("evil", "add", ["../evil.sql", "ATTACH DATABASE '/tmp/evil.db' AS evil;"])
        let scratch = bundle.workspace.path("scratch")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let result = try bundle.verify(evil.csv, evil.zip, ["--deep", "--scratch", scratch])
        expectNotVerified(result, "entry '../evil.sql' climbs out of its directory with '..': the archive is refused as unsafe")
        #expect(!result.stdout.contains("SHA-256"), "no entry was inflated: \(result.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty, "no scratch database was created")
        #expect(!FileManager.default.fileExists(atPath: bundle.workspace.path("evil.sql")))
        let json = try #require(try bundle.workspace.json(try bundle.verify(evil.csv, evil.zip, ["--json"])) as? [String: Any])
        #expect((json["establishments"] as? [Any])?.isEmpty == true, "no establishment was checked")
        #expect(json["verified"] as? Bool == false)

        let inspect = try bundle.workspace.transfert(["inspect", evil.zip])
        #expect(inspect.status != 0)
        #expect(inspect.stderr.contains("is refused as unsafe"), "\(inspect.transcript)")
    }

    @Test func newerFormatAsksForAnUpgrade() throws {
        let bundle = try exportedBundle()
        let newer = try bundle.surgery("newer", "version", ["2"])
        let result = try bundle.verify(newer.csv, newer.zip)
        expectNotVerified(result, "uses archive format 2, newer than the format 1", "upgrade Transfert on this server")
        let inspect = try bundle.workspace.transfert(["inspect", newer.zip])
        #expect(inspect.status != 0)
        #expect(inspect.stderr.contains("upgrade Transfert"), "\(inspect.transcript)")
    }

    @Test func sourceChangedAfterExportNamesTheTable() throws {
        let bundle = try exportedBundle()
        #expect(try bundle.workspace.sqlite("hosting/bases/base_1.sqlite", "SELECT COUNT(*) FROM grades WHERE id = 5") == "1")
        _ = try bundle.workspace.sqlite("hosting/bases/base_1.sqlite", "UPDATE grades SET score = 'X' WHERE id = 5")
        // The bundle itself is still sound.
        expectVerified(try bundle.verify(bundle.csv, bundle.zip, ["--deep"]))
        let result = try bundle.verify(bundle.csv, bundle.zip, ["--against-source"])
        expectNotVerified(result, "base_1 (id 1): changed since the export: table grades differs between the live database (id 1) and the bundle")
        #expect(!result.stdout.contains("base_2 (id 2):"), "establishment 2 did not change")
    }

    @Test func uploadChangedAfterExportIsNamed() throws {
        let bundle = try exportedBundle()
        let files = bundle.workspace.path("hosting/files/2")
        try Data("nouveau".utf8).write(to: URL(fileURLWithPath: files).appendingPathComponent("ajout.txt"))
        let result = try bundle.verify(bundle.csv, bundle.zip, ["--against-source"])
        expectNotVerified(result, "base_2 (id 2): changed since the export: file ajout.txt is in the live files (id 2) but not in the bundle")
    }

    @Test func injectedAttachIsRefusedByTheDeepParser() throws {
        let bundle = try exportedBundle()
        let injected = try bundle.surgery("injected", "inject", ["base_1/000001.sql", "ATTACH DATABASE 'x' AS y;"])
        let old = try #require(injected.answer["old_dump_sha256"] as? String)
        let new = try #require(injected.answer["new_dump_sha256"] as? String)
        let line = try #require(injected.answer["line"] as? Int)
        let csvText = try String(contentsOfFile: injected.csv, encoding: .utf8)
        #expect(csvText.contains(old))
        try csvText.replacingOccurrences(of: old, with: new).write(toFile: injected.csv, atomically: true, encoding: .utf8)

        // Every checksum is consistent: the default level cannot tell.
        expectVerified(try bundle.verify(injected.csv, injected.zip))
        let result = try bundle.verify(injected.csv, injected.zip, ["--deep"])
        expectNotVerified(result, "base_1 (id 1): refused: base_1/000001.sql line \(line), column 1: ATTACH is not allowed")
        #expect(!result.stdout.contains("base_2 (id 2):"), "the other dump is fine")
        #expect(!FileManager.default.fileExists(atPath: bundle.workspace.path("x")), "the ATTACH was never executed")
    }

    // MARK: inspect

    @Test func inspectShowsTheSourceGUIDsAndRowCounts() throws {
        let bundle = try exportedBundle()
        let here = try bundle.workspace.succeed(["inspect", bundle.csv, bundle.zip])
        #expect(here.stdout.contains("serveur-a, https://a.example.org/sacoche/"), "\(here.stdout)")
        #expect(here.stdout.contains("(this server)"), "\(here.stdout)")
        #expect(here.stdout.contains("Transfert "), "\(here.stdout)")
        #expect(here.stdout.contains("archive format 1"))
        #expect(here.stdout.contains("(2 rows, UTF-8)"), "\(here.stdout)")
        let structures = try #require(try bundle.workspace.json(try bundle.workspace.succeed(["structure", "list", "--json"])) as? [[String: Any]])
        #expect(structures.count == 2)
        for structure in structures {
            let guid = try #require(structure["guid"] as? String)
            #expect(here.stdout.contains(guid), "GUID \(guid) in:\n\(here.stdout)")
        }
        for id in [1, 2] {
            let database = "hosting/bases/base_\(id).sqlite"
            for table in ["grades", "users"] {
                let count = try bundle.workspace.sqlite(database, "SELECT COUNT(*) FROM \(table)")
                #expect(here.stdout.contains("\(table) \(count)"), "base_\(id): \(table) \(count) in:\n\(here.stdout)")
            }
            #expect(here.stdout.contains("base_\(id) — "))
        }

        // From another hosting, the same bundle comes from "another server"; the CSV beside the ZIP is found.
        try bundle.workspace.initHosting("other", name: "serveur-b", baseURL: "https://b.example.org/sacoche/")
        let there = try bundle.workspace.succeed(["inspect", bundle.zip], hosting: "other")
        #expect(there.stdout.contains("serveur-a, https://a.example.org/sacoche/"), "the source, not this server: \(there.stdout)")
        #expect(there.stdout.contains("(another server)"), "\(there.stdout)")
        #expect(there.stdout.contains("(2 rows, UTF-8)"), "the companion CSV is read: \(there.stdout)")

        let json = try #require(try bundle.workspace.json(try bundle.workspace.succeed(["inspect", "--json", bundle.zip], hosting: "other")) as? [String: Any])
        #expect(json["is_this_server"] as? Bool == false)
        let manifest = try #require(json["manifest"] as? [String: Any])
        #expect((manifest["source"] as? [String: Any])?["server_name"] as? String == "serveur-a")
    }

    // MARK: structure remove

    @Test func removeWithAVerifiedBundleDeletesAndJournals() throws {
        let bundle = try exportedBundle()
        let show = try #require(try bundle.workspace.json(try bundle.workspace.succeed(["structure", "show", "1", "--json"])) as? [String: Any])
        let guid = try #require(show["guid"] as? String)
        #expect(FileManager.default.fileExists(atPath: bundle.workspace.path("hosting/files/1")))
        let result = try bundle.workspace.succeed(["structure", "remove", "--ids", "1", "--verified-by", bundle.csv, bundle.zip])
        #expect(result.stdout.contains("Removed establishment 1"), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: bundle.workspace.path("hosting/bases/base_1.sqlite")))
        #expect(!FileManager.default.fileExists(atPath: bundle.workspace.path("hosting/files/1")))
        #expect(FileManager.default.fileExists(atPath: bundle.workspace.path("hosting/bases/base_2.sqlite")), "only the one asked for")
        #expect(FileManager.default.fileExists(atPath: bundle.workspace.path("hosting/files/2")))
        let list = try #require(try bundle.workspace.json(try bundle.workspace.succeed(["structure", "list", "--json"])) as? [[String: Any]])
        #expect(list.map { $0["base_id"] as? Int } == [2])

        let journal = try #require(try bundle.workspace.json(try bundle.workspace.succeed(["journal", "--json"])) as? [[String: Any]])
        let removed = try #require(journal.first { $0["event"] as? String == "removed" }, "\(journal)")
        #expect(removed["base_id"] as? Int == 1)
        #expect(removed["guid"] as? String == guid)
        #expect((removed["bundle"] as? String).map { bundle.zip.hasSuffix($0 + ".zip") } == true, "\(removed)")
        #expect((try bundle.workspace.succeed(["journal", "--guid", guid])).stdout.contains("removed"))
    }

    @Test func removeIsRefusedWhenTheSourceChangedAfterExport() throws {
        let bundle = try exportedBundle()
        _ = try bundle.workspace.sqlite("hosting/bases/base_1.sqlite", "UPDATE grades SET score = 'X' WHERE id = 5")
        let result = try bundle.workspace.transfert(["structure", "remove", "--ids", "1", "--verified-by", bundle.csv, bundle.zip])
        #expect(result.status != 0, "\(result.transcript)")
        #expect(result.stderr.contains("nothing was removed"), "\(result.transcript)")
        #expect(result.stderr.contains("table grades"), "\(result.transcript)")
        try expectNothingRemoved(bundle.workspace, ids: [1, 2])
    }

    @Test func removeIsRefusedForAnIdNotInTheBundle() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "2", "--students", "20", "--seed", "5"])
        try workspace.succeed(["export", "--ids", "1", "--out", workspace.path("out")])
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out")).sorted()
        let csv = try #require(names.first { $0.hasSuffix(".csv") }), zip = try #require(names.first { $0.hasSuffix(".zip") })
        let result = try workspace.transfert(["structure", "remove", "--ids", "1,2", "--verified-by", workspace.path("out/\(csv)"), workspace.path("out/\(zip)")])
        #expect(result.status != 0, "\(result.transcript)")
        #expect(result.stderr.contains("nothing was removed"), "\(result.transcript)")
        #expect(result.stderr.contains("establishment 2 ("), "\(result.transcript)")
        #expect(result.stderr.contains("is not in this bundle"), "\(result.transcript)")
        try expectNothingRemoved(workspace, ids: [1, 2])

        let unknown = try workspace.transfert(["structure", "remove", "--ids", "9", "--verified-by", workspace.path("out/\(csv)"), workspace.path("out/\(zip)")])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no establishment has id 9"), "\(unknown.transcript)")
    }

    @Test func removeIsRefusedWhenTheCSVDroppedTheEstablishment() throws {
        let bundle = try exportedBundle()
        let (csv, zip) = try bundle.copy(to: "edited")
        let lines = try String(contentsOfFile: csv, encoding: .utf8).components(separatedBy: "\r\n")
        try lines.filter { !$0.contains(";base_1;") }.joined(separator: "\r\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let result = try bundle.workspace.transfert(["structure", "remove", "--ids", "1", "--verified-by", csv, zip])
        #expect(result.status != 0, "\(result.transcript)")
        #expect(result.stderr.contains("not in the CSV"), "\(result.transcript)")
        try expectNothingRemoved(bundle.workspace, ids: [1, 2])
    }

    @Test func forceRefusesWithoutATerminal() throws {
        let bundle = try exportedBundle()
        let result = try bundle.workspace.transfert(["structure", "remove", "--ids", "1", "--force"], input: "1\n")
        #expect(result.status != 0, "\(result.transcript)")
        #expect(result.stderr.contains("standard input is not one"), "\(result.transcript)")
        try expectNothingRemoved(bundle.workspace, ids: [1, 2])

        let neither = try bundle.workspace.transfert(["structure", "remove", "--ids", "1"])
        #expect(neither.status != 0)
        #expect(neither.stderr.contains("--verified-by CSV ZIP"), "\(neither.transcript)")
        try expectNothingRemoved(bundle.workspace, ids: [1, 2])
    }

    func expectNothingRemoved(_ workspace: Workspace, ids: [Int], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for id in ids {
            #expect(FileManager.default.fileExists(atPath: workspace.path("hosting/bases/base_\(id).sqlite")), "base_\(id) kept", sourceLocation: sourceLocation)
            #expect(FileManager.default.fileExists(atPath: workspace.path("hosting/files/\(id)")), "files/\(id) kept", sourceLocation: sourceLocation)
        }
        let list = try #require(try workspace.json(try workspace.succeed(["structure", "list", "--json"])) as? [[String: Any]])
        #expect(list.count == ids.count, sourceLocation: sourceLocation)
        let journal = try #require(try workspace.json(try workspace.succeed(["journal", "--json"])) as? [[String: Any]])
        #expect(!journal.contains { $0["event"] as? String == "removed" }, "no removal journaled", sourceLocation: sourceLocation)
    }
}
