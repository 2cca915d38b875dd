import Foundation
import Testing

@Suite("transfert export")
struct ExportTests {
    /// A hosting with a sample establishment and a hand-made one whose name needs CSV quoting.
    func preparedWorkspace(students: Int = 30) throws -> Workspace {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "2", "--students", String(students), "--seed", "3"])
        try workspace.succeed([
            "structure", "add", "--uai", "0250010A", "--denomination", "Collège \"Le Château\" ; annexe",
            "--localisation", "L'Haÿ-les-Roses", "--contact-nom", "Lefèvre", "--contact-prenom", "Agnès",
            "--contact-courriel", "agnes.lefevre@ac-besancon.fr", "--date", "2019-09-02",
        ])
        return workspace
    }

    func exportedFiles(_ workspace: Workspace, in directory: String = "out") throws -> (csv: String, zip: String) {
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path(directory))
        let csv = try #require(names.first { $0.hasPrefix("bases_dump_") && $0.hasSuffix(".csv") })
        let zip = try #require(names.first { $0.hasPrefix("bases_dump_") && $0.hasSuffix(".zip") })
        #expect(csv.dropLast(4) == zip.dropLast(4), "both files share their name")
        return (workspace.path("\(directory)/\(csv)"), workspace.path("\(directory)/\(zip)"))
    }

    @Test func csvHeaderBytesCRLFAndQuoting() throws {
        let workspace = try preparedWorkspace()
        try workspace.succeed(["export", "--all", "--out", workspace.path("out")])
        let (csv, _) = try exportedFiles(workspace)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: csv))
        let header =
            "Id_Export;Id_Import;Id_Zone;Localisation;Dénomination;UAI;Contact_Nom;Contact_Prénom;Contact_Courriel;Date_Inscription;Nom_fichier;GUID;Version_Base;SHA256\r\n"
        #expect(bytes.starts(with: Data(header.utf8)), "header bytes, UTF-8 without BOM, CRLF")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends with CRLF")
        #expect(
            text.contains(
                "3;;1;L'Haÿ-les-Roses;\"Collège \"\"Le Château\"\" ; annexe\";0250010A;Lefèvre;Agnès;agnes.lefevre@ac-besancon.fr;2019-09-02;base_3;"
            ))

        // Python's csv module reads the same fields back.
        let script = """
            import csv, sys, json
            with open(sys.argv[1], newline='', encoding='utf-8') as f:
                rows = list(csv.reader(f, delimiter=';'))
            print(json.dumps(rows))
            """
        let result = try run(try #require(which("python3")), ["-c", script, csv])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String]])
        #expect(rows.count == 4)
        #expect(rows[3][4] == "Collège \"Le Château\" ; annexe")
        #expect(rows[3][1] == "", "Id_Import is left empty")
        #expect(rows.dropFirst().allSatisfy { $0.count == 14 && $0[13].count == 64 })
    }

    @Test func zipPassesUnzipAndPythonAndEachDumpRestoresByHandToTheSameRows() throws {
        let workspace = try preparedWorkspace()
        let export = try workspace.succeed(["export", "--ids", "1,3", "--out", workspace.path("out")])
        #expect(export.stdout.contains("CSV: "))
        let (csv, zip) = try exportedFiles(workspace)

        let unzip = try run(try #require(which("unzip")), ["-t", zip])
        #expect(unzip.status == 0, "\(unzip.transcript)")
        #expect(unzip.stdout.contains("No errors detected"))

        let script = """
            import zipfile, sys, json, hashlib
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            manifest = json.loads(z.read('manifest.json'))
            out = {'format_version': manifest['format_version'], 'names': z.namelist(), 'ok': True}
            for e in manifest['establishments']:
                for entry in e['entries'] + e['files']:
                    data = z.read(entry['path'])
                    out['ok'] &= hashlib.sha256(data).hexdigest() == entry['sha256'] and len(data) == entry['size']
                dump = b''.join(z.read(entry['path']) for entry in e['entries'])
                out['ok'] &= hashlib.sha256(dump).hexdigest() == e['dump_sha256']
            print(json.dumps(out))
            """
        let python = try run(try #require(which("python3")), ["-c", script, zip])
        #expect(python.status == 0, "\(python.transcript)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as? [String: Any])
        #expect(report["ok"] as? Bool == true, "every entry matches its size and SHA-256 in the manifest")
        #expect(report["format_version"] as? Int == 2)
        let names = try #require(report["names"] as? [String])
        #expect(
            names.contains("base_1/files/documents/Règlement intérieur 2025-2026.pdf"), "accented file names survive")
        #expect(!names.contains { $0.hasPrefix("base_2/") }, "only the selected establishments")

        // Restore each dump by hand with the sqlite3 CLI and compare every table with its source.
        try run(try #require(which("unzip")), ["-q", zip, "-d", workspace.path("x")])
        for id in [1, 3] {
            let restored = "restored_\(id).db"
            let load = try run(
                "/bin/sh", ["-c", "cat x/base_\(id)/*.sql | sqlite3 \(restored)"], currentDirectory: workspace.url)
            #expect(load.status == 0, "\(load.transcript)")
            let tables = try workspace.sqlite(
                "hosting/bases/base_\(id).sqlite", "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
            for table in tables.split(separator: "\n") {
                let query = "SELECT * FROM \"\(table)\" ORDER BY 1, 2"
                #expect(
                    try workspace.sqlite(restored, query) == workspace.sqlite("hosting/bases/base_\(id).sqlite", query),
                    "table \(table) of \(id)")
            }
            #expect(try workspace.sqlite(restored, "PRAGMA integrity_check") == "ok")
        }
        // BLOBs and accents, byte for byte.
        #expect(
            try workspace.sqlite("restored_1.db", "SELECT hex(data) FROM images ORDER BY id")
                == workspace.sqlite("hosting/bases/base_1.sqlite", "SELECT hex(data) FROM images ORDER BY id"))
        #expect(
            try workspace.sqlite("restored_1.db", "SELECT COUNT(*) FROM users WHERE last_name GLOB '*[éèëêïîôüÿœ]*'")
                != "0")
        let csvText = try String(contentsOfFile: csv, encoding: .utf8)
        #expect(csvText.contains(";base_1;") && csvText.contains(";base_3;"))
    }

    /// Issue #29: the dumps are deflated at level 1 unless `--compression-level` says otherwise. Whatever the
    /// level, `unzip -t`, Python's `zipfile` (every entry against its manifest SHA-256) and `verify --deep`
    /// accept the bundle; a higher level gives a smaller ZIP, so the default really is the fast level.
    @Test func everyCompressionLevelReadsBackAndTheDefaultIsTheFastest() throws {
        let workspace = try preparedWorkspace()
        var sizes: [String: Int] = [:]
        for (directory, level) in [("default", nil), ("one", "1"), ("six", "6"), ("twelve", "12")]
            as [(String, String?)]
        {
            try workspace.succeed(
                ["export", "--ids", "1,3", "--out", workspace.path(directory)]
                    + (level.map { ["--compression-level", $0] } ?? []))
            let (csv, zip) = try exportedFiles(workspace, in: directory)
            let unzip = try run(try #require(which("unzip")), ["-t", zip])
            #expect(
                unzip.status == 0 && unzip.stdout.contains("No errors detected"), "\(directory): \(unzip.transcript)")
            let script = """
                import zipfile, sys, json, hashlib
                z = zipfile.ZipFile(sys.argv[1])
                assert z.testzip() is None
                manifest = json.loads(z.read('manifest.json'))
                for e in manifest['establishments']:
                    for entry in e['entries'] + e['files']:
                        data = z.read(entry['path'])
                        assert hashlib.sha256(data).hexdigest() == entry['sha256'] and len(data) == entry['size'], entry['path']
                    assert all(z.getinfo(entry['path']).compress_type == zipfile.ZIP_DEFLATED for entry in e['entries'])
                print('ok')
                """
            let python = try run(try #require(which("python3")), ["-c", script, zip])
            #expect(python.status == 0 && python.stdout == "ok\n", "\(directory): \(python.transcript)")
            try workspace.succeed(["verify", "--deep", csv, zip])
            sizes[directory] = try #require(
                try FileManager.default.attributesOfItem(atPath: zip)[.size] as? Int)
        }
        let one = try #require(sizes["one"])
        let six = try #require(sizes["six"])
        let twelve = try #require(sizes["twelve"])
        #expect(sizes["default"] == one, "the default is level 1: \(sizes)")
        #expect(six < one && twelve <= six, "higher levels are smaller: \(sizes)")
    }

    @Test func compressionLevelsOutsideTheRangeOrForSACocheAreRefusedBeforeAnythingIsWritten() throws {
        let workspace = try preparedWorkspace()
        let cases: [([String], String)] = [
            (
                ["--compression-level", "0"],
                "--compression-level must be between 1 (fastest) and 12 (smallest); it is 0"
            ),
            (
                ["--compression-level", "13"],
                "--compression-level must be between 1 (fastest) and 12 (smallest); it is 13"
            ),
            (["--compression-level", "-1"], "--compression-level"),
            (["--compression-level", "99999999999999999999"], "--compression-level"),
            (["--compression-level", "fast"], "--compression-level"),
            (["--compression-level", "6", "--format", "sacoche"], "--compression-level is for the transfert format"),
        ]
        for (arguments, message) in cases {
            let result = try workspace.transfert(["export", "--ids", "1", "--out", workspace.path("out")] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"), "\(arguments)")
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.path("out")), "nothing written")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
    }

    @Test func filesAreOwnerOnlyAndLocksAreReleased() throws {
        let workspace = try preparedWorkspace()
        try workspace.succeed(["export", "--zone", "1"])
        let (csv, zip) = try exportedFiles(workspace, in: "hosting/exports")
        for file in [csv, zip] {
            let mode = (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?
                .intValue
            #expect(mode == 0o600, "\(file) has mode \(String(mode ?? 0, radix: 8))")
        }
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: workspace.path("hosting/exports")).filter {
            $0.hasPrefix(".")
        }
        #expect(leftovers.isEmpty)
    }

    @Test func noFilesLeavesUploadsOut() throws {
        let workspace = try preparedWorkspace()
        try workspace.succeed(["export", "--ids", "1", "--no-files", "--out", workspace.path("out")])
        let (_, zip) = try exportedFiles(workspace)
        let listing = try run(try #require(which("unzip")), ["-l", zip])
        #expect(!listing.stdout.contains("/files/"))
        #expect(listing.stdout.contains("base_1/000001.sql"))
    }

    @Test func keepLockedKeepsTheLockUntilReleased() throws {
        let workspace = try preparedWorkspace()
        let result = try workspace.succeed(["export", "--ids", "2", "--keep-locked", "--out", workspace.path("out")])
        #expect(result.stdout.contains("transfert lock release --ids 2"))
        let locks = try #require(
            try workspace.json(try workspace.succeed(["lock", "list", "--json"])) as? [[String: Any]])
        #expect(locks.count == 1)
        #expect(locks.first?["base_id"] as? Int == 2)
        #expect(locks.first?["kind"] as? String == "automatic")
        #expect(locks.first?["purpose"] as? String == "moved")
        let again = try workspace.transfert(["export", "--ids", "2", "--out", workspace.path("out2")])
        #expect(again.status != 0)
        #expect(again.stderr.contains("establishment 2 is locked"))
        try workspace.succeed(["lock", "release", "--yes", "--ids", "2"])
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
    }

    @Test func badSelectionsAndOutputsFailCleanly() throws {
        let workspace = try preparedWorkspace()
        try workspace.succeed(["zone", "add", "Zone vide"])
        let cases: [([String], String)] = [
            (["export", "--ids", "1,42"], "no establishment has id 42"),
            (["export", "--zone", "2"], "nothing to export"),
            (["export", "--zone", "9"], "zone 9 does not exist"),
            (["export"], "exactly one of --ids 1,4,7, --all or --zone N"),
            (
                ["export", "--all", "--out", "/proc/transfert-cannot-write"],
                "cannot write the export to /proc/transfert-cannot-write"
            ),
        ]
        for (arguments, message) in cases {
            let result = try workspace.transfert(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
    }

    @Test func missingDatabaseNamesTheEstablishmentAndLeavesNothing() throws {
        let workspace = try preparedWorkspace()
        try FileManager.default.removeItem(atPath: workspace.path("hosting/bases/base_2.sqlite"))
        let result = try workspace.transfert(["export", "--all", "--out", workspace.path("out")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("export of establishment 2"))
        #expect(result.stderr.contains("is missing"))
        #expect(
            !FileManager.default.fileExists(atPath: workspace.path("out")),
            "no partial files, not even the --out directory it made")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
        // A directory the operator made stays (empty).
        try FileManager.default.createDirectory(atPath: workspace.path("mine"), withIntermediateDirectories: true)
        #expect(try workspace.transfert(["export", "--all", "--out", workspace.path("mine")]).status != 0)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path("mine")).isEmpty,
            "the operator's directory stays")
    }

    @Test(arguments: [SIGKILL, SIGTERM])
    func exportKilledMidwayLeavesNoFinishedFileAndNoLock(signal: Int32) throws {
        let workspace = try preparedWorkspace(students: 400)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: transfertBinary)
        process.arguments = ["--hosting", workspace.path("hosting"), "export", "--all", "--out", workspace.path("out")]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the export holds a lock, then kill it.
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning, Date() < deadline,
            (try? workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure_lock")) == "0"
        {
            usleep(2_000)
        }
        try #require(process.isRunning, "the export finished before it could be interrupted")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)

        if signal == SIGTERM {
            // The export made `out`: cleaning up takes it back with what it held.
            #expect(!FileManager.default.fileExists(atPath: workspace.path("out")), "SIGTERM cleans up")
        } else {
            let visible = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out")).filter {
                !$0.hasPrefix(".")
            }
            #expect(visible.isEmpty, "no finished-looking file: \(visible)")
        }
        let locks = try #require(try workspace.json(try workspace.succeed(["lock", "list", "--json"])) as? [Any])
        #expect(locks.isEmpty, "no lock survives the export")
        // The next export succeeds and sweeps what the killed one left.
        try workspace.succeed(["export", "--ids", "1", "--out", workspace.path("out")])
        let remaining = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out"))
        #expect(remaining.filter { $0.hasPrefix(".") }.isEmpty, "\(remaining)")
        #expect(remaining.count == 2)
    }
}
