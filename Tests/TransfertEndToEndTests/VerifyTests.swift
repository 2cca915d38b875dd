import Foundation
import Testing

@Suite("transfert verify, inspect and structure remove")
struct VerifyTests {
    /// An exported bundle, in the workspace that exported it.
    struct Bundle {
        let workspace: Workspace
        let csv: String
        let zip: String

        /// A copy of the CSV and the ZIP in a folder of their own, with the same file names.
        func copy(to directory: String) throws -> (csv: String, zip: String) {
            try FileManager.default.createDirectory(
                atPath: workspace.path(directory), withIntermediateDirectories: true)
            let csvCopy = workspace.path("\(directory)/\((csv as NSString).lastPathComponent)")
            let zipCopy = workspace.path("\(directory)/\((zip as NSString).lastPathComponent)")
            try FileManager.default.copyItem(atPath: csv, toPath: csvCopy)
            try FileManager.default.copyItem(atPath: zip, toPath: zipCopy)
            return (csvCopy, zipCopy)
        }

        /// A copy damaged by ``bundleSurgery(_:csv:zip:into:_:sourceLocation:)``, with its JSON answer.
        func surgery(
            _ directory: String, _ mode: String, _ arguments: [String] = [],
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws -> (csv: String, zip: String, answer: [String: Any]) {
            try bundleSurgery(
                mode, csv: csv, zip: zip, into: workspace.path(directory), arguments, sourceLocation: sourceLocation)
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
    func expectNotVerified(
        _ result: ProcessResult, _ messages: String..., sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == 2, "verify must exit 2:\n\(result.transcript)", sourceLocation: sourceLocation)
        #expect(result.stdout.contains("Verdict: NOT VERIFIED"), "\(result.transcript)", sourceLocation: sourceLocation)
        for message in messages {
            #expect(
                result.stdout.contains(message), "expected '\(message)' in:\n\(result.transcript)",
                sourceLocation: sourceLocation)
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
        #expect(
            full.stdout.contains("Verdict: VERIFIED (deep, against source): 2 establishments OK."), "\(full.stdout)")
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
        let test = try run(
            try #require(which("python3")),
            ["-c", "import zipfile,sys; assert zipfile.ZipFile(sys.argv[1]).testzip() is None", damaged.zip])
        #expect(test.status == 0, "\(test.transcript)")
        for options in [[], ["--deep"]] {
            let result = try bundle.verify(damaged.csv, damaged.zip, options)
            expectNotVerified(
                result, "base_1 (id 1): entry base_1/000001.sql does not match its SHA-256 in the manifest")
            #expect(
                !result.stdout.contains("refused"),
                "damage is reported as damage, not as a hostile dump: \(result.stdout)")
            #expect(!result.stdout.contains("base_2 (id 2):"), "the other establishment is OK")
        }
        // With --json the problem names the entry as its file, and its establishment.
        let json = try bundle.verify(damaged.csv, damaged.zip, ["--json"])
        let report = try #require(try bundle.workspace.json(json) as? [String: Any], "\(json.transcript)")
        let problems = (report["establishments"] as? [[String: Any]] ?? []).flatMap {
            $0["problems"] as? [[String: Any]] ?? []
        }
        #expect(
            problems.contains { problem in
                let place = problem["location"] as? [String: Any]
                return problem["code"] as? String == "archive.content"
                    && place?["file"] as? String == "base_1/000001.sql"
                    && place?["establishment"] as? String == "base_1" && place?["base_id"] as? Int == 1
            }, "\(problems)")
    }

    @Test func flippedCompressedByteFailsTheCRCOrInflate() throws {
        let bundle = try exportedBundle()
        let damaged = try bundle.surgery("rawflip", "rawflip", ["base_2/000001.sql"])
        let result = try bundle.verify(damaged.csv, damaged.zip)
        expectNotVerified(result, "base_2 (id 2): entry base_2/000001.sql is damaged: ")
        let text = result.stdout
        // Which check trips first depends on where the flipped bit lands in the deflate stream.
        let reasons = [
            "its CRC-32 does not match", "cannot be inflated", "where the ZIP declares", "inflates beyond its declared",
        ]
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
        expectNotVerified(
            try bundle.verify(damaged.csv, damaged.zip, ["--deep"]), "entry base_2/000001.sql is missing from the ZIP")
    }

    @Test func missingUploadedFileIsNamed() throws {
        let bundle = try exportedBundle()
        let listing = try run(
            try #require(which("python3")),
            ["-c", "import zipfile,sys; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", bundle.zip])
        let file = try #require(
            listing.stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix("base_1/files/") })
        let damaged = try bundle.surgery("missing-file", "drop", [file])
        expectNotVerified(try bundle.verify(damaged.csv, damaged.zip), "entry \(file) is missing from the ZIP")
    }

    @Test func extraEntryIsUnreferenced() throws {
        let bundle = try exportedBundle()
        let damaged = try bundle.surgery("extra", "add", ["base_1/000099.sql", "DELETE FROM grades;"])
        expectNotVerified(
            try bundle.verify(damaged.csv, damaged.zip),
            "entry base_1/000099.sql is in the ZIP but not in its manifest: the bundle was altered (unreferenced entry)"
        )
    }

    @Test func rowRemovedFromTheCSVIsReportedNotChecked() throws {
        let bundle = try exportedBundle()
        let (csv, zip) = try bundle.copy(to: "edited")
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.filter { $0.contains(";base_2;") }.count == 1)
        try lines.filter { !$0.contains(";base_2;") }.joined(separator: "\r\n").write(
            toFile: csv, atomically: true, encoding: .utf8)
        let result = try bundle.verify(csv, zip, ["--deep"])
        expectVerified(result)
        #expect(result.stdout.contains("not in the CSV (dropped by the operator)"), "\(result.stdout)")
        #expect(
            result.stdout.contains("1 establishment OK; 1 in the ZIP but not in the CSV (not checked)."),
            "\(result.stdout)")
        let json = try #require(try bundle.workspace.json(try bundle.verify(csv, zip, ["--json"])) as? [String: Any])
        let statuses = try #require(json["establishments"] as? [[String: Any]]).map {
            "\($0["nom_fichier"] ?? "")=\($0["status"] ?? "")"
        }
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
        expectNotVerified(
            result, "entry '../evil.sql' climbs out of its directory with '..': the archive is refused as unsafe")
        #expect(!result.stdout.contains("SHA-256"), "no entry was inflated: \(result.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty, "no scratch database was created")
        #expect(!FileManager.default.fileExists(atPath: bundle.workspace.path("evil.sql")))
        let json = try #require(
            try bundle.workspace.json(try bundle.verify(evil.csv, evil.zip, ["--json"])) as? [String: Any])
        #expect((json["establishments"] as? [Any])?.isEmpty == true, "no establishment was checked")
        #expect(json["verified"] as? Bool == false)

        let inspect = try bundle.workspace.transfert(["inspect", evil.zip])
        #expect(inspect.status != 0)
        #expect(inspect.stderr.contains("is refused as unsafe"), "\(inspect.transcript)")
    }

    @Test func newerFormatAsksForAnUpgrade() throws {
        let bundle = try exportedBundle()
        let newer = try bundle.surgery("newer", "version", ["4"])
        let result = try bundle.verify(newer.csv, newer.zip)
        expectNotVerified(result, "uses archive format 4, newer than the format 3", "upgrade Transfert on this server")
        let inspect = try bundle.workspace.transfert(["inspect", newer.zip])
        #expect(inspect.status != 0)
        #expect(inspect.stderr.contains("upgrade Transfert"), "\(inspect.transcript)")
    }

    @Test func sourceChangedAfterExportNamesTheTable() throws {
        let bundle = try exportedBundle()
        #expect(
            try bundle.workspace.sqlite("hosting/bases/base_1.sqlite", "SELECT COUNT(*) FROM grades WHERE id = 5")
                == "1")
        _ = try bundle.workspace.sqlite("hosting/bases/base_1.sqlite", "UPDATE grades SET score = 'X' WHERE id = 5")
        // The bundle itself is still sound.
        expectVerified(try bundle.verify(bundle.csv, bundle.zip, ["--deep"]))
        let result = try bundle.verify(bundle.csv, bundle.zip, ["--against-source"])
        expectNotVerified(
            result,
            "base_1 (id 1): changed since the export: table grades differs between the live database (id 1) and the bundle"
        )
        #expect(!result.stdout.contains("base_2 (id 2):"), "establishment 2 did not change")
    }

    @Test func uploadChangedAfterExportIsNamed() throws {
        let bundle = try exportedBundle()
        let files = bundle.workspace.path("hosting/files/2")
        try Data("nouveau".utf8).write(to: URL(fileURLWithPath: files).appendingPathComponent("ajout.txt"))
        let result = try bundle.verify(bundle.csv, bundle.zip, ["--against-source"])
        expectNotVerified(
            result,
            "base_2 (id 2): changed since the export: file ajout.txt is in the live files (id 2) but not in the bundle")
    }

    @Test func injectedAttachIsRefusedByTheDeepParser() throws {
        let bundle = try exportedBundle()
        let injected = try bundle.surgery("injected", "inject", ["base_1/000001.sql", "ATTACH DATABASE 'x' AS y;"])
        let old = try #require(injected.answer["old_dump_sha256"] as? String)
        let new = try #require(injected.answer["new_dump_sha256"] as? String)
        let line = try #require(injected.answer["line"] as? Int)
        let csvText = try String(contentsOfFile: injected.csv, encoding: .utf8)
        #expect(csvText.contains(new) && !csvText.contains(old), "the CSV's SHA256 follows the new dump")

        // Every checksum is consistent: the default level cannot tell.
        expectVerified(try bundle.verify(injected.csv, injected.zip))
        let result = try bundle.verify(injected.csv, injected.zip, ["--deep"])
        expectNotVerified(
            result, "base_1 (id 1): refused: base_1/000001.sql line \(line), column 1: ATTACH is not allowed")
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
        #expect(here.stdout.contains("archive format 2"))
        #expect(here.stdout.contains("(2 rows, UTF-8)"), "\(here.stdout)")
        let structures = try #require(
            try bundle.workspace.json(try bundle.workspace.succeed(["structure", "list", "--json"])) as? [[String: Any]]
        )
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
        #expect(
            there.stdout.contains("serveur-a, https://a.example.org/sacoche/"),
            "the source, not this server: \(there.stdout)")
        #expect(there.stdout.contains("(another server)"), "\(there.stdout)")
        #expect(there.stdout.contains("(2 rows, UTF-8)"), "the companion CSV is read: \(there.stdout)")

        let json = try #require(
            try bundle.workspace.json(
                try bundle.workspace.succeed(["inspect", "--json", bundle.zip], hosting: "other")) as? [String: Any])
        #expect(json["is_this_server"] as? Bool == false)
        let manifest = try #require(json["manifest"] as? [String: Any])
        #expect((manifest["source"] as? [String: Any])?["server_name"] as? String == "serveur-a")
    }

    // MARK: structure remove

    @Test func removeWithAVerifiedBundleDeletesAndJournals() throws {
        let bundle = try exportedBundle()
        let show = try #require(
            try bundle.workspace.json(try bundle.workspace.succeed(["structure", "show", "1", "--json"]))
                as? [String: Any])
        let guid = try #require(show["guid"] as? String)
        #expect(FileManager.default.fileExists(atPath: bundle.workspace.path("hosting/files/1")))
        let result = try bundle.workspace.succeed([
            "structure", "remove", "--yes", "--ids", "1", "--verified-by", bundle.csv, bundle.zip,
        ])
        #expect(result.stdout.contains("Removed establishment 1"), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: bundle.workspace.path("hosting/bases/base_1.sqlite")))
        #expect(!FileManager.default.fileExists(atPath: bundle.workspace.path("hosting/files/1")))
        #expect(
            FileManager.default.fileExists(atPath: bundle.workspace.path("hosting/bases/base_2.sqlite")),
            "only the one asked for")
        #expect(FileManager.default.fileExists(atPath: bundle.workspace.path("hosting/files/2")))
        let list = try #require(
            try bundle.workspace.json(try bundle.workspace.succeed(["structure", "list", "--json"])) as? [[String: Any]]
        )
        #expect(list.map { $0["base_id"] as? Int } == [2])

        let journal = try #require(
            try bundle.workspace.json(try bundle.workspace.succeed(["journal", "--json"])) as? [[String: Any]])
        let removed = try #require(journal.first { $0["event"] as? String == "removed" }, "\(journal)")
        #expect(removed["base_id"] as? Int == 1)
        #expect(removed["guid"] as? String == guid)
        // Times in the hosting's zone (Europe/Paris), as every --json writes them.
        for entry in journal {
            let at = entry["at"] as? String ?? ""
            let date = try #require(ISO8601DateFormatter().date(from: at), "\(entry)")
            let paris = ISO8601DateFormatter()
            paris.timeZone = TimeZone(identifier: "Europe/Paris")
            #expect(at == paris.string(from: date) && !at.hasSuffix("Z"), "\(entry)")
        }
        #expect((removed["bundle"] as? String).map { bundle.zip.hasSuffix($0 + ".zip") } == true, "\(removed)")
        #expect((try bundle.workspace.succeed(["journal", "--guid", guid])).stdout.contains("removed"))
    }

    @Test func removeIsRefusedWhenTheSourceChangedAfterExport() throws {
        let bundle = try exportedBundle()
        _ = try bundle.workspace.sqlite("hosting/bases/base_1.sqlite", "UPDATE grades SET score = 'X' WHERE id = 5")
        let result = try bundle.workspace.transfert([
            "structure", "remove", "--yes", "--ids", "1", "--verified-by", bundle.csv, bundle.zip,
        ])
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
        let csv = try #require(names.first { $0.hasSuffix(".csv") })
        let zip = try #require(names.first { $0.hasSuffix(".zip") })
        let result = try workspace.transfert([
            "structure", "remove", "--yes", "--ids", "1,2", "--verified-by", workspace.path("out/\(csv)"),
            workspace.path("out/\(zip)"),
        ])
        #expect(result.status != 0, "\(result.transcript)")
        #expect(result.stderr.contains("nothing was removed"), "\(result.transcript)")
        #expect(result.stderr.contains("establishment 2 ("), "\(result.transcript)")
        #expect(result.stderr.contains("is not in this bundle"), "\(result.transcript)")
        try expectNothingRemoved(workspace, ids: [1, 2])
        // With --json, each establishment not proved is a problem of its own, with its id.
        let json = try workspace.transfert([
            "structure", "remove", "--yes", "--json", "--ids", "1,2", "--verified-by",
            workspace.path("out/\(csv)"), workspace.path("out/\(zip)"),
        ])
        let answer = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.transcript)")
        let error = try #require(answer["error"] as? [String: Any], "\(answer)")
        #expect(error["code"] as? String == "safe_deletion.not_verified", "\(error)")
        let problems = try #require(error["problems"] as? [[String: Any]], "\(error)")
        #expect(problems.map { $0["code"] as? String } == ["safe_deletion.not_in_bundle"], "\(problems)")
        #expect((problems.first?["location"] as? [String: Any])?["base_id"] as? Int == 2, "\(problems)")
        try expectNothingRemoved(workspace, ids: [1, 2])

        let unknown = try workspace.transfert([
            "structure", "remove", "--yes", "--ids", "9", "--verified-by", workspace.path("out/\(csv)"),
            workspace.path("out/\(zip)"),
        ])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no establishment has id 9"), "\(unknown.transcript)")
    }

    @Test func removeIsRefusedWhenTheCSVDroppedTheEstablishment() throws {
        let bundle = try exportedBundle()
        let (csv, zip) = try bundle.copy(to: "edited")
        let lines = try String(contentsOfFile: csv, encoding: .utf8).components(separatedBy: "\r\n")
        try lines.filter { !$0.contains(";base_1;") }.joined(separator: "\r\n").write(
            toFile: csv, atomically: true, encoding: .utf8)
        let result = try bundle.workspace.transfert([
            "structure", "remove", "--yes", "--ids", "1", "--verified-by", csv, zip,
        ])
        #expect(result.status != 0, "\(result.transcript)")
        #expect(result.stderr.contains("not in the CSV"), "\(result.transcript)")
        try expectNothingRemoved(bundle.workspace, ids: [1, 2])
    }

    @Test func forceRefusesWithoutATerminal() throws {
        let bundle = try exportedBundle()
        let result = try bundle.workspace.transfert(["structure", "remove", "--ids", "1", "--force"], input: "1\n")
        #expect(result.status != 0, "\(result.transcript)")
        #expect(result.stderr.contains("standard input is not a terminal: nothing was changed"), "\(result.transcript)")
        try expectNothingRemoved(bundle.workspace, ids: [1, 2])

        let neither = try bundle.workspace.transfert(["structure", "remove", "--yes", "--ids", "1"])
        #expect(neither.status != 0)
        #expect(neither.stderr.contains("--verified-by CSV ZIP"), "\(neither.transcript)")
        try expectNothingRemoved(bundle.workspace, ids: [1, 2])
    }

    func expectNothingRemoved(_ workspace: Workspace, ids: [Int], sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        for id in ids {
            #expect(
                FileManager.default.fileExists(atPath: workspace.path("hosting/bases/base_\(id).sqlite")),
                "base_\(id) kept", sourceLocation: sourceLocation)
            #expect(
                FileManager.default.fileExists(atPath: workspace.path("hosting/files/\(id)")), "files/\(id) kept",
                sourceLocation: sourceLocation)
        }
        let list = try #require(
            try workspace.json(try workspace.succeed(["structure", "list", "--json"])) as? [[String: Any]])
        #expect(list.count == ids.count, sourceLocation: sourceLocation)
        let journal = try #require(
            try workspace.json(try workspace.succeed(["journal", "--json"])) as? [[String: Any]])
        #expect(
            !journal.contains { $0["event"] as? String == "removed" }, "no removal journaled",
            sourceLocation: sourceLocation)
    }
}
