import Foundation
import Testing
import TransfertTestSupport

/// A hosting under `transfert backup`, on SQLite or on the test MariaDB server, with what a test does to it
/// from outside (a row changed by the engine's own client, a registry row marked moved).
struct BackupHosting {
    let workspace: Workspace
    /// Runs SQL on establishment `id`'s database with the engine's own client.
    let changeRow: (Int64) throws -> Void
    /// Marks establishment `id` moved away in the registry, as `transfert confirm` leaves it.
    let markMoved: (Int64) throws -> Void

    var backups: String { workspace.path("hosting/backups") }

    static func sqlite(_ workspace: Workspace) throws -> BackupHosting {
        try workspace.initHosting()
        return BackupHosting(
            workspace: workspace,
            changeRow: { id in
                _ = try workspace.sqlite(
                    "hosting/bases/base_\(id).sqlite",
                    "UPDATE users SET first_name = first_name || 'e' WHERE id = (SELECT MIN(id) FROM users)")
            },
            markMoved: { id in
                _ = try workspace.sqlite(
                    "hosting/registry.sqlite", "UPDATE structure SET status = 'moved' WHERE base_id = \(id)")
            })
    }

    static func mariadb(_ workspace: Workspace, server: MariaDBTestServer) throws -> BackupHosting {
        let account = try makeOperator(workspace, server: server)
        let tag = "b\(UUID().uuidString.prefix(6).lowercased())_"
        let created = try initMariaDB(
            workspace, "hosting", server: server, account: account, registry: "\(tag)registry", prefix: tag)
        #expect(created.status == 0, "\(created.transcript)")
        return BackupHosting(
            workspace: workspace,
            changeRow: { id in
                let result = try server.client(
                    "UPDATE users SET first_name = CONCAT(first_name, 'e') ORDER BY id LIMIT 1",
                    database: "\(tag)base_\(id)")
                #expect(result.status == 0, "\(result.output)")
            },
            markMoved: { id in
                let result = try server.client(
                    "UPDATE structure SET status = 'moved' WHERE base_id = \(id)", database: "\(tag)registry")
                #expect(result.status == 0, "\(result.output)")
            })
    }

    /// Writes made just now cannot be told apart from writes in the same tick of the file system's or the
    /// server's clock (2 s, `FileStatus.racyWindow`): stamps taken so close are unsettled, and the next run
    /// backs up again. A test that expects "unchanged" lets that window pass after its writes.
    func letTheRacyWindowPass() { Thread.sleep(forTimeInterval: 2.2) }

    /// `backup run` (with `arguments`) as JSON: the report, and the exit status.
    func runBackups(_ arguments: [String] = []) throws -> (report: [String: Any], status: Int32, transcript: String) {
        let result = try workspace.transfert(["backup", "run", "--json"] + arguments)
        let report = try #require(
            try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.transcript)")
        return (report, result.status, result.transcript)
    }

    /// Outcome per establishment id.
    static func outcomes(_ report: [String: Any]) -> [Int: String] {
        var outcomes: [Int: String] = [:]
        for entry in report["entries"] as? [[String: Any]] ?? [] {
            outcomes[entry["id"] as! Int] = entry["outcome"] as? String
        }
        return outcomes
    }

    /// The nightly scenario, the same on both engines: the first run backs up everything, the second
    /// nothing, then one row, one uploaded file, a lock, a window, a move: exactly the changed open ones.
    func nightlyRunBacksUpExactlyTheChangedOpenEstablishments() throws {
        try workspace.succeed(["sample", "--structures", "6", "--students", "8", "--seed", "3"])
        letTheRacyWindowPass()
        let first = try runBackups()
        #expect(first.status == 0, "\(first.transcript)")
        #expect(
            Self.outcomes(first.report) == [
                1: "backed_up", 2: "backed_up", 3: "backed_up", 4: "backed_up", 5: "backed_up", 6: "backed_up",
            ])
        var second = try runBackups()
        // A stamp taken within the engine's clock step of a write cannot prove "unchanged" later: that
        // establishment is backed up once more (a backup too many, never one missing), and says why. On a
        // loaded machine a run may meet that; a later run must then find nothing to do.
        for _ in 0..<3 {
            let unsettled = (second.report["entries"] as? [[String: Any]] ?? []).filter {
                $0["outcome"] as? String == "backed_up"
            }
            if unsettled.isEmpty { break }
            #expect(
                unsettled.allSatisfy { ($0["reason"] as? String ?? "").contains("within seconds of a write") },
                "\(second.transcript)")
            letTheRacyWindowPass()
            second = try runBackups()
        }
        #expect(Self.outcomes(second.report).values.allSatisfy { $0 == "unchanged" }, "\(second.transcript)")

        try changeRow(1)
        try "une ligne de plus\n".write(
            toFile: workspace.path("hosting/files/2/documents/Projet d'établissement.txt"), atomically: false,
            encoding: .utf8)
        for id: Int64 in [3, 4, 5] { try changeRow(id) }
        try workspace.succeed(["lock", "add", "--ids", "3", "--reason", "Transfert en cours"])
        try workspace.succeed(["maintenance", "plan", "--ids", "4", "--start", "now", "--duration", "1h"])
        try markMoved(5)
        let third = try runBackups()
        #expect(third.status == 0, "\(third.transcript)")
        #expect(
            Self.outcomes(third.report) == [
                1: "backed_up", 2: "backed_up", 3: "skipped", 4: "skipped", 5: "skipped", 6: "unchanged",
            ])
        let reasons = Dictionary(
            uniqueKeysWithValues: (third.report["entries"] as! [[String: Any]]).map {
                ($0["id"] as! Int, $0["reason"] as? String ?? "")
            })
        #expect(reasons[3]!.contains("locked") && reasons[3]!.contains("Transfert en cours"))
        #expect(reasons[4]!.contains("maintenance window"))
        #expect(reasons[5]!.contains("moved away"))
        #expect(third.report["backed_up"] as? Int == 2 && third.report["skipped"] as? Int == 3)

        // A third backup of 1: keep_automatic (2) prunes the oldest, after the new one verified.
        letTheRacyWindowPass()
        try changeRow(1)
        let fourth = try runBackups()
        let entry = try #require((fourth.report["entries"] as! [[String: Any]]).first { $0["id"] as? Int == 1 })
        #expect(entry["outcome"] as? String == "backed_up")
        let firstBackup = try #require(
            (first.report["entries"] as! [[String: Any]]).first { $0["id"] as? Int == 1 }?["backup"] as? String)
        #expect(entry["pruned"] as? [String] == [firstBackup])
        #expect(!FileManager.default.fileExists(atPath: "\(backups)/automatic/\(firstBackup).zip"))
        #expect(!FileManager.default.fileExists(atPath: "\(backups)/automatic/\(firstBackup).backup.json"))

        // The listing, read by an independent reader; the bundles by unzip; every file owner-only.
        let listed = try workspace.succeed(["backup", "list", "--json"])
        let check = try run(
            "/usr/bin/python3",
            [
                "-c",
                """
                import json, sys
                data = json.load(sys.stdin)
                by_id = {e["id"]: e for e in data}
                assert sorted(by_id) == [1, 2, 3, 4, 5, 6], sorted(by_id)
                one = by_id[1]["backups"]
                assert len(one) == 2, len(one)
                assert [b["created"] for b in one] == sorted([b["created"] for b in one], reverse=True)
                assert all(b["area"] == "automatic" and b["verified"] == "yes" and b["complete"] for b in one)
                assert by_id[1]["last_good"] == one[0]["name"]
                assert by_id[6]["backups"][0]["name"].startswith("sauvegarde-") and "-structure-6-" in by_id[6]["backups"][0]["name"]
                print(one[0]["zip"])
                """,
            ], input: listed.stdout)
        #expect(check.status == 0, "\(check.transcript)")
        let zip = check.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let unzip = try run(try #require(which("unzip")), ["-t", zip])
        #expect(unzip.status == 0 && unzip.stdout.contains("No errors detected"), "\(unzip.transcript)")
        try expectOwnerOnly(backups)

        // The yearly run: every open establishment, changed or not.
        let yearly = try runBackups(["--all"])
        #expect(
            Self.outcomes(yearly.report) == [
                1: "backed_up", 2: "backed_up", 3: "skipped", 4: "skipped", 5: "skipped", 6: "backed_up",
            ])
        #expect(yearly.report["area"] as? String == "yearly")
        let inYearly = try FileManager.default.contentsOfDirectory(atPath: "\(backups)/yearly").filter {
            $0.hasSuffix(".zip")
        }
        #expect(inYearly.count == 3)

        let log = try String(contentsOfFile: workspace.path("hosting/log/transfert.log"), encoding: .utf8)
        #expect(log.contains("\"command\":\"backup run\""))
    }

    func expectOwnerOnly(_ directory: String) throws {
        let enumerator = try #require(FileManager.default.enumerator(atPath: directory))
        for case let name as String in enumerator {
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(directory)/\(name)")
            let mode = (attributes[.posixPermissions] as! NSNumber).intValue
            let isDirectory = attributes[.type] as? FileAttributeType == .typeDirectory
            #expect(mode == (isDirectory ? 0o700 : 0o600), "\(name) has mode \(String(mode, radix: 8))")
        }
    }
}

@Suite("Backups (SQLite)")
struct BackupEndToEndTests {
    @Test func nightlyRunBacksUpExactlyTheChangedOpenEstablishments() throws {
        let workspace = try Workspace()
        try BackupHosting.sqlite(workspace).nightlyRunBacksUpExactlyTheChangedOpenEstablishments()
    }

    @Test func aChangedUploadAloneIsDetected() throws {
        let workspace = try Workspace()
        let hosting = try BackupHosting.sqlite(workspace)
        try workspace.succeed(["sample", "--structures", "2", "--students", "5", "--seed", "4"])
        hosting.letTheRacyWindowPass()
        _ = try hosting.runBackups()
        // Same size, same bytes, mtime put back by the tool: ctime still tells.
        let file = workspace.path("hosting/files/1/logo.png")
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        try Data(contentsOf: URL(fileURLWithPath: file)).write(to: URL(fileURLWithPath: file))
        try FileManager.default.setAttributes([.modificationDate: attributes[.modificationDate]!], ofItemAtPath: file)
        #expect(BackupHosting.outcomes(try hosting.runBackups().report) == [1: "backed_up", 2: "unchanged"])
    }

    @Test func backupsRunOutsideWindowsWhenExportsNeedOneAndAGoneBundleIsNeverTheLastGood() throws {
        let workspace = try Workspace()
        let hosting = try BackupHosting.sqlite(workspace)
        try workspace.succeed(["sample", "--structures", "1", "--students", "5", "--seed", "4"])
        try workspace.replaceConfigurationLine(
            "require_maintenance_window: false", with: "require_maintenance_window: true")
        // Exports for a move still need a window; a backup only reads.
        #expect(try workspace.transfert(["export", "--ids", "1", "--out", workspace.path("out")]).status == 1)
        let run = try hosting.runBackups()
        #expect(run.status == 0 && BackupHosting.outcomes(run.report) == [1: "backed_up"], "\(run.transcript)")

        // The bundle deleted by hand: listed as failed, and the next run backs up again.
        let automatic = workspace.path("hosting/backups/automatic")
        let zip = try #require(
            try FileManager.default.contentsOfDirectory(atPath: automatic).first { $0.hasSuffix(".zip") })
        try FileManager.default.removeItem(atPath: automatic + "/" + zip)
        let listed = try workspace.succeed(["backup", "list", "--id", "1"])
        #expect(listed.stdout.contains("FAILED"), "\(listed.stdout)")
        hosting.letTheRacyWindowPass()
        #expect(BackupHosting.outcomes(try hosting.runBackups().report) == [1: "backed_up"])
    }

    @Test func aFailedBackupDoesNotStopTheOthersAndTheRunExitsNonZero() throws {
        let workspace = try Workspace()
        let hosting = try BackupHosting.sqlite(workspace)
        try workspace.succeed(["sample", "--structures", "3", "--students", "5", "--seed", "4"])
        // Establishment 2's database is gone (a disk error, a hand's mistake): its backup fails, not the run.
        try FileManager.default.removeItem(atPath: workspace.path("hosting/bases/base_2.sqlite"))
        let run = try hosting.runBackups()
        #expect(run.status == 1, "\(run.transcript)")
        #expect(BackupHosting.outcomes(run.report) == [1: "backed_up", 2: "failed", 3: "backed_up"])
        let failed = try #require((run.report["entries"] as! [[String: Any]]).first { $0["id"] as? Int == 2 })
        #expect((failed["reason"] as? String ?? "").contains("base_2.sqlite"))
        #expect(run.report["failed"] as? Int == 1 && run.report["backed_up"] as? Int == 2)
        // In words: the summary, and the failure named on standard error (1 and 3 are backed up again: their
        // first stamps were taken within the racy window of the sample's writes).
        let text = try workspace.transfert(["backup", "run"])
        #expect(text.status == 1)
        #expect(text.stdout.contains(" 0 skipped, 1 failed;"), "\(text.transcript)")
        #expect(text.stderr.contains("establishment 2 failed"), "\(text.transcript)")
        let log = try String(contentsOfFile: workspace.path("hosting/log/transfert.log"), encoding: .utf8)
        #expect(log.contains("\"message\":\"backup run failed\""))
        // Nothing of establishment 2 was left in the backup directory.
        let names = try FileManager.default.contentsOfDirectory(atPath: "\(hosting.backups)/automatic")
        #expect(!names.contains { $0.contains("-structure-2-") })
    }

    @Test func aSecondRunRefusesAtOnceWhileTheLockIsHeld() throws {
        let workspace = try Workspace()
        let hosting = try BackupHosting.sqlite(workspace)
        try workspace.succeed(["sample", "--structures", "1", "--students", "5", "--seed", "4"])
        try FileManager.default.createDirectory(atPath: hosting.backups, withIntermediateDirectories: true)
        // Another run, as far as the kernel knows: a python process holding flock(2) on the lock file.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = [
            "-c",
            """
            import fcntl, os, sys
            f = open(sys.argv[1], "a+")
            fcntl.flock(f, fcntl.LOCK_EX)
            f.truncate(0); f.write(str(os.getpid())); f.flush()
            print("held", flush=True)
            sys.stdin.read()
            """,
            "\(hosting.backups)/.backup.lock",
        ]
        let input = Pipe()
        let output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        #expect(String(decoding: output.fileHandleForReading.availableDataOrLine(), as: UTF8.self).contains("held"))
        let refused = try workspace.transfert(["backup", "run", "--json"])
        #expect(refused.status != 0)
        let error = try #require((try workspace.json(refused) as? [String: Any])?["error"] as? [String: Any])
        #expect(error["code"] as? String == "backup.run_in_progress")
        #expect((error["message"] as? String ?? "").contains("process \(holder.processIdentifier)"))
        let pruneRefused = try workspace.transfert(["backup", "prune"])
        #expect(pruneRefused.status != 0 && pruneRefused.stderr.contains("another backup run holds the lock"))
        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        // Released by the holder's end: the next run goes.
        try workspace.succeed(["backup", "run"])
    }

    @Test func retentionPrunesTheRightFilesAndNeverTheLastGoodBackup() throws {
        let workspace = try Workspace()
        let hosting = try BackupHosting.sqlite(workspace)
        try workspace.succeed(["sample", "--structures", "2", "--students", "5", "--seed", "4"])
        try workspace.succeed(["backup", "create", "--ids", "1,2", "--note", "avant la réinitialisation"])
        try workspace.succeed(["backup", "create", "--ids", "2"])
        try workspace.succeed(["backup", "create", "--ids", "1", "--no-files"])
        let list = try workspace.json(try workspace.succeed(["backup", "list", "--json"])) as! [[String: Any]]
        let byID = Dictionary(uniqueKeysWithValues: list.map { ($0["id"] as! Int, $0["backups"] as! [[String: Any]]) })
        #expect(byID[1]!.count == 2 && byID[2]!.count == 2)
        // Age them by their records, as time would: 400 days, past retention_days (365).
        let records = try FileManager.default.contentsOfDirectory(atPath: "\(hosting.backups)/manual").filter {
            $0.hasSuffix(".backup.json")
        }
        for record in records {
            let path = "\(hosting.backups)/manual/\(record)"
            var json =
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
            let format = ISO8601DateFormatter()
            format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let created = try #require(format.date(from: json["created"] as! String))
            json["created"] = format.string(from: created.addingTimeInterval(-400 * 86_400))
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        }
        // A dead backup's partial file and a record-less bundle of yesterday are leftovers.
        let partial = "\(hosting.backups)/manual/.sauvegarde-x.zip.partial-99999999"
        try Data("x".utf8).write(to: URL(fileURLWithPath: partial))
        let dry =
            try workspace.json(try workspace.succeed(["backup", "prune", "--dry-run", "--json"])) as! [String: Any]
        let wouldRemove = (dry["removed"] as! [[String: Any]]).map { $0["name"] as! String }
        // 1: its complete backup is its last good one (the other has no files); 2: the newer of two is.
        let lastGood = Dictionary(uniqueKeysWithValues: list.map { ($0["id"] as! Int, $0["last_good"] as! String) })
        #expect(wouldRemove.count == 2)
        #expect(!wouldRemove.contains(lastGood[1]!) && !wouldRemove.contains(lastGood[2]!))
        #expect(dry["leftovers"] as? [String] == [partial])
        #expect(FileManager.default.fileExists(atPath: partial))
        try workspace.succeed(["backup", "prune"])
        let remaining = try FileManager.default.contentsOfDirectory(atPath: "\(hosting.backups)/manual").sorted()
        let kept: [String] = [lastGood[1]!, lastGood[2]!]
        let expected: [String] = kept.flatMap { name -> [String] in
            [name + ".backup.json", name + ".csv", name + ".zip"]
        }
        #expect(remaining == expected.sorted())
        #expect(!FileManager.default.fileExists(atPath: partial))
    }
}

extension FileHandle {
    /// Reads until a newline or the end: the first line a child process prints.
    func availableDataOrLine() -> Data {
        var data = Data()
        while true {
            let chunk = readData(ofLength: 1)
            if chunk.isEmpty || chunk == Data("\n".utf8) { return data }
            data.append(chunk)
        }
    }
}
