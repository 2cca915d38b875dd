import Foundation
import Testing
import TransfertTestSupport

/// Issue #15, SIGKILL at seeded random points of `export`, `import` and `verify --deep` (SQLite): after a
/// re-run the final state equals a clean run's — registry rows, every database (`sqlite3 .dump`), files,
/// locks — with no orphan database, file or scratch directory, and never a finished-looking partial
/// bundle. `TRANSFERT_KILL_POINTS` sets the points per command (4 in `make test`, 50 in
/// `make test-reliability`); the same seed gives the same points.
@Suite("Killed at random points", .serialized)
struct KillTests {
    static var points: Int { Int(ProcessInfo.processInfo.environment["TRANSFERT_KILL_POINTS"] ?? "") ?? 4 }

    /// Deterministic delays in [0, limit).
    struct Delays {
        var state: UInt64
        /// The delay `next` gave last, for messages.
        var last = 0.0
        mutating func next(below limit: Double) -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            last = Double(state >> 11) / Double(1 << 53) * limit
            return last
        }
    }

    /// Runs transfert with `TMPDIR` set, killing it with SIGKILL after `delay` seconds if still running.
    /// Returns whether it was killed, and how long it ran.
    func runKilled(
        _ arguments: [String], tmp: String, after delay: Double, environment extra: [String: String] = [:]
    ) throws -> (killed: Bool, seconds: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: transfertBinary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = tmp
        environment.merge(extra) { _, new in new }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let started = Date()
        try process.run()
        let deadline = started.addingTimeInterval(delay)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return (killed, Date().timeIntervalSince(started))
    }

    /// What a hosting holds, independent of when things happened: registry rows, each database as
    /// `sqlite3 .dump` prints it, each file's path, size and content hash, the locks.
    func state(_ workspace: Workspace, _ hosting: String) throws -> [String] {
        var lines = try workspace.sqlite(
            "\(hosting)/registry.sqlite",
            "SELECT base_id, guid, zone_id, uai, denomination, status FROM structure ORDER BY base_id"
        ).split(separator: "\n").map(String.init)
        lines.append(
            "locks: " + (try workspace.sqlite("\(hosting)/registry.sqlite", "SELECT COUNT(*) FROM structure_lock")))
        let bases = workspace.path("\(hosting)/bases")
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: bases)) ?? []).sorted() {
            lines.append("database \(name)")
            if name.hasSuffix(".sqlite") { lines.append(try workspace.sqlite("\(hosting)/bases/\(name)", ".dump")) }
        }
        let files = URL(fileURLWithPath: workspace.path("\(hosting)/files"))
        if let walker = FileManager.default.enumerator(at: files, includingPropertiesForKeys: nil) {
            var found: [String] = []
            for case let url as URL in walker {
                let relative = String(url.path.dropFirst(files.path.count))
                if let data = try? Data(contentsOf: url) {
                    var hasher = Hasher()  // seeded per process: compares within one test run
                    hasher.combine(data)
                    found.append("file \(relative) \(data.count) \(hasher.finalize())")
                } else {
                    found.append("directory \(relative)")
                }
            }
            lines += found.sorted()
        }
        return lines
    }

    func manifestDigests(_ zip: String) throws -> String {
        let python = try #require(which("python3"))
        let script = """
            import json, sys, zipfile
            m = json.loads(zipfile.ZipFile(sys.argv[1]).read('manifest.json'))
            print(json.dumps(sorted((e['guid'], sorted((t['table'], t['rows'], t['sha256']) for t in e['tables'])) for e in m['establishments'])))
            """
        return try run(python, ["-c", script, zip]).stdout
    }

    func visibleFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    func source(_ workspace: Workspace) throws -> (csv: String, zip: String) {
        try workspace.initHosting("source")
        try workspace.succeed(["sample", "--structures", "3", "--students", "60", "--seed", "11"], hosting: "source")
        try workspace.succeed(["export", "--all", "--out", workspace.path("reference")], hosting: "source")
        let zip = try #require(visibleFiles(workspace.path("reference")).first { $0.hasSuffix(".zip") })
        let base = workspace.path("reference/" + zip.dropLast(4))
        return (base + ".csv", base + ".zip")
    }

    @Test func aKilledExportLeavesNoBundleAndTheRerunEqualsACleanOne() throws {
        let workspace = try Workspace()
        let reference = try source(workspace)
        let wanted = try manifestDigests(reference.zip)
        let before = try state(workspace, "source")
        let clean = try runKilled(
            ["--hosting", workspace.path("source"), "export", "--all", "--out", workspace.path("timing")],
            tmp: workspace.path(""), after: 600)
        var delays = Delays(state: 42)
        var killedCount = 0
        for point in 0..<Self.points {
            let out = workspace.path("export-\(point)")
            let run = try runKilled(
                ["--hosting", workspace.path("source"), "export", "--all", "--out", out], tmp: workspace.path(""),
                after: delays.next(below: clean.seconds))
            var finished = !run.killed
            if run.killed {
                killedCount += 1
                // Killed after both files were renamed into place (while it journaled): a whole bundle.
                // Anything under a final name must be that: both files, verified.
                let left = visibleFiles(out)
                if left.count == 1 {
                    // Killed between the two renames: the CSV, whose ZIP is still a hidden partial file.
                    #expect(left[0].hasSuffix(".csv"), "point \(point): a ZIP without its CSV looks finished: \(left)")
                    let all = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
                    #expect(
                        all.contains { $0.hasPrefix(".") && $0.contains(".zip.partial-") }, "point \(point): \(all)")
                } else if !left.isEmpty {
                    #expect(left.count == 2, "point \(point): a killed export left \(left) under final names")
                    let base = out + "/" + left[0].dropLast(4)
                    let verified = try workspace.transfert(["verify", base + ".csv", base + ".zip"], hosting: "source")
                    #expect(
                        verified.status == 0,
                        "point \(point): a bundle under final names must be whole: \(verified.transcript)")
                    finished = true
                }
            }
            // The next command that looks at locks clears the dead export's; the source is as it was.
            try workspace.succeed(["lock", "list"], hosting: "source")
            #expect(try state(workspace, "source") == before, "point \(point): the source changed")
            try workspace.succeed(["export", "--all", "--out", out], hosting: "source")
            #expect(
                ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).count == (finished ? 4 : 2),
                "point \(point): the rerun removed the killed export's partial files")
            let zip = try #require(visibleFiles(out).last { $0.hasSuffix(".zip") })
            #expect(
                try manifestDigests(out + "/" + zip) == wanted,
                "point \(point): the rerun's bundle holds what a clean export holds")
        }
        #expect(killedCount > 0 || Self.points == 0)
    }

    @Test func aKilledImportIsCompletedByTheRerunAndEqualsACleanOne() throws {
        let workspace = try Workspace()
        let reference = try source(workspace)
        try workspace.initHosting("clean", name: "serveur-b")
        let clean = try runKilled(
            ["--hosting", workspace.path("clean"), "import", reference.csv, reference.zip], tmp: workspace.path(""),
            after: 600)
        let wanted = try state(workspace, "clean")
        var delays = Delays(state: 7)
        for point in 0..<Self.points {
            let hosting = "target-\(point)"
            try workspace.initHosting(hosting, name: "serveur-b")
            _ = try runKilled(
                ["--hosting", workspace.path(hosting), "import", reference.csv, reference.zip], tmp: workspace.path(""),
                after: delays.next(below: clean.seconds))
            let rerun = try workspace.transfert(["import", reference.csv, reference.zip], hosting: hosting)
            // Killed once everything was in (while it wrote its result files): the rerun has nothing left
            // to do and says so, row by row.
            let finishedBefore =
                rerun.stderr.components(separatedBy: "was already imported from this bundle").count - 1 == 3
            #expect(rerun.status == 0 || finishedBefore, "point \(point): \(rerun.transcript)")
            let final = try state(workspace, hosting)
            // The lines that differ, so that a failure under load says what was left (a lock, a row, a file).
            let difference = final.difference(from: wanted).map { change -> String in
                switch change {
                case .insert(_, let line, _): return "+ \(line.prefix(300))"
                case .remove(_, let line, _): return "- \(line.prefix(300))"
                }
            }
            #expect(
                final == wanted,
                "point \(point) (killed after \(delays.last) s): the final state differs from a clean import:\n\(difference.joined(separator: "\n"))\nrerun: \(rerun.transcript)"
            )
            try FileManager.default.removeItem(atPath: workspace.path(hosting))
        }
    }

    /// Runs transfert until it kills itself at `point` (``TestCrashPoint``, `TRANSFERT_TEST_KILL_AT`);
    /// returns whether it died of SIGKILL.
    func runUntilItKillsItself(_ arguments: [String], tmp: String, at point: String) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: transfertBinary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = tmp
        environment["TRANSFERT_TEST_KILL_AT"] = point
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    }

    /// Per table, its row count as sqlite3 counts it, for every establishment database of `hosting`.
    func rowCounts(_ workspace: Workspace, _ hosting: String) throws -> [String] {
        let bases = workspace.path("\(hosting)/bases")
        var lines: [String] = []
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: bases)) ?? []).sorted()
        where name.hasSuffix(".sqlite") {
            let tables = try workspace.sqlite(
                "\(hosting)/bases/\(name)", "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            ).split(separator: "\n")
            for table in tables {
                let count = try workspace.sqlite("\(hosting)/bases/\(name)", "SELECT COUNT(*) FROM \"\(table)\"")
                lines.append("\(name) \(table) \(count)")
            }
        }
        return lines
    }

    /// Issue #29: SIGKILL while SQLite sorts an index of a restored table (the database file half built,
    /// written without a journal), then the same import again: the result equals a clean import, per table
    /// (sqlite3's row counts and `.dump`), registry, files and locks.
    @Test func anImportKilledInTheMiddleOfAnIndexBuildIsRedoneWhole() throws {
        let workspace = try Workspace()
        let reference = try source(workspace)
        try workspace.initHosting("clean", name: "serveur-b")
        try workspace.succeed(["import", reference.csv, reference.zip], hosting: "clean")
        let wanted = try state(workspace, "clean")
        let wantedCounts = try rowCounts(workspace, "clean")
        #expect(wantedCounts.count > 3)

        try workspace.initHosting("target", name: "serveur-b")
        let died = try runUntilItKillsItself(
            ["--hosting", workspace.path("target"), "import", reference.csv, reference.zip],
            tmp: workspace.path(""), at: "index-build")
        #expect(died, "the import was to kill itself while building an index")
        // Nothing of the killed import counts as hosted: no establishment is active yet.
        let statuses = try workspace.sqlite("target/registry.sqlite", "SELECT DISTINCT status FROM structure")
        #expect(!statuses.contains("active"), "after the kill: \(statuses)")

        let rerun = try workspace.transfert(["import", reference.csv, reference.zip], hosting: "target")
        #expect(rerun.status == 0, "\(rerun.transcript)")
        #expect(try rowCounts(workspace, "target") == wantedCounts)
        #expect(try state(workspace, "target") == wanted, "the final state differs from a clean import")
    }

    /// A deep verification killed while building an index leaves its scratch directory, which the next one
    /// removes; that one then verifies the bundle.
    @Test func aDeepVerifyKilledInTheMiddleOfAnIndexBuildLeavesNothingAfterTheNextOne() throws {
        let workspace = try Workspace()
        let reference = try source(workspace)
        let tmp = workspace.path("tmp")
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let died = try runUntilItKillsItself(
            ["verify", "--deep", reference.csv, reference.zip], tmp: tmp, at: "index-build")
        #expect(died, "verify --deep was to kill itself while building an index")
        let rerun = try runKilled(["verify", "--deep", reference.csv, reference.zip], tmp: tmp, after: 600)
        #expect(!rerun.killed)
        let left = (try FileManager.default.contentsOfDirectory(atPath: tmp)).filter { $0.hasPrefix("transfert-") }
        #expect(left.isEmpty, "scratch left behind: \(left)")
    }

    @Test func aKilledDeepVerifyLeavesNoScratchDatabaseBehind() throws {
        let workspace = try Workspace()
        let reference = try source(workspace)
        let tmp = workspace.path("tmp")
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let clean = try runKilled(["verify", "--deep", reference.csv, reference.zip], tmp: tmp, after: 600)
        var delays = Delays(state: 99)
        for point in 0..<Self.points {
            _ = try runKilled(
                ["verify", "--deep", reference.csv, reference.zip], tmp: tmp, after: delays.next(below: clean.seconds))
            let rerun = try runKilled(["verify", "--deep", reference.csv, reference.zip], tmp: tmp, after: 600)
            #expect(!rerun.killed)
            let left = (try FileManager.default.contentsOfDirectory(atPath: tmp)).filter { $0.hasPrefix("transfert-") }
            #expect(left.isEmpty, "point \(point): scratch left behind: \(left)")
        }
    }
}

/// The same for an import into a MariaDB hosting (20 points in `make test-reliability`, 2 in `make test`).
@Suite("Killed at random points on MariaDB", .serialized)
struct MariaDBKillTests {
    static var points: Int { Int(ProcessInfo.processInfo.environment["TRANSFERT_KILL_POINTS_MARIADB"] ?? "") ?? 2 }

    /// Registry rows, every establishment database as `mariadb-dump` prints it, files, locks.
    func state(_ workspace: Workspace, _ hosting: String, prefix: String, server: MariaDBTestServer) throws -> [String]
    {
        var lines = try server.client(
            "SELECT base_id, guid, zone_id, uai, denomination, status FROM structure ORDER BY base_id",
            database: "\(prefix)registry"
        ).output.split(separator: "\n").map(String.init)
        lines.append(
            "locks: " + (try server.client("SELECT COUNT(*) FROM structure_lock", database: "\(prefix)registry").output)
        )
        let databases = try server.client(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '\(prefix)base\\_%' ORDER BY 1"
        )
        .output.split(separator: "\n").map(String.init)
        let dump = try #require(which("mariadb-dump") ?? which("mysqldump"))
        for database in databases {
            lines.append("database \(database.dropFirst(prefix.count))")
            lines.append(
                try run(
                    dump,
                    [
                        "--no-defaults", "--socket=\(server.socket)", "--user=root", "--skip-dump-date",
                        "--skip-comments",
                        "--compact", database,
                    ]
                ).stdout)
        }
        let files = ((try? FileManager.default.subpathsOfDirectory(atPath: workspace.path("\(hosting)/files"))) ?? [])
            .sorted()
        lines += files.map { "file \($0)" }
        return lines
    }

    @Test func aKilledImportIsCompletedByTheRerunAndEqualsACleanOne() throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        let account = try makeOperator(workspace, server: server)
        try workspace.initHosting("source")
        try workspace.succeed(["sample", "--structures", "3", "--students", "60", "--seed", "11"], hosting: "source")
        try workspace.succeed(["export", "--all", "--out", workspace.path("reference")], hosting: "source")
        let zip = try #require(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path("reference")).first {
                $0.hasSuffix(".zip")
            })
        let bundle = workspace.path("reference/" + zip.dropLast(4))
        let tag = "kill\(UUID().uuidString.prefix(4).lowercased())"
        let clean = try initMariaDB(
            workspace, "clean", server: server, account: account, registry: "\(tag)c_registry", prefix: "\(tag)c_")
        #expect(clean.status == 0, "\(clean.transcript)")
        let started = Date()
        try workspace.succeed(["import", bundle + ".csv", bundle + ".zip"], hosting: "clean")
        let seconds = Date().timeIntervalSince(started)
        let wanted = try state(workspace, "clean", prefix: "\(tag)c_", server: server)
        var delays = KillTests.Delays(state: 13)
        for point in 0..<Self.points {
            let hosting = "target\(point)"
            let prefix = "\(tag)\(point)_"
            let made = try initMariaDB(
                workspace, hosting, server: server, account: account, registry: "\(prefix)registry", prefix: prefix)
            #expect(made.status == 0, "\(made.transcript)")
            _ = try KillTests().runKilled(
                ["--hosting", workspace.path(hosting), "import", bundle + ".csv", bundle + ".zip"],
                tmp: workspace.path(""),
                after: delays.next(below: seconds))
            let rerun = try workspace.transfert(["import", bundle + ".csv", bundle + ".zip"], hosting: hosting)
            let finishedBefore =
                rerun.stderr.components(separatedBy: "was already imported from this bundle").count - 1 == 3
            #expect(rerun.status == 0 || finishedBefore, "point \(point): \(rerun.transcript)")
            #expect(
                try state(workspace, hosting, prefix: prefix, server: server) == wanted,
                "point \(point): the final state differs from a clean import")
            // No database or account of this hosting but its establishments' and its registry.
            let accounts = try server.client("SELECT COUNT(*) FROM mysql.user WHERE User LIKE '\(prefix)%'").output
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(accounts == "3", "point \(point): accounts \(accounts)")
        }
    }

    /// SIGKILL at the two long moments of a MariaDB bulk load, each seen on the server (its PROCESSLIST)
    /// rather than guessed from a delay: while a table's one `LOAD DATA` streams its rows, and while the
    /// `ALTER TABLE` that builds its keys and indexes after them runs. The re-run then equals a clean import.
    @Test(arguments: ["LOAD DATA LOCAL INFILE%`grades`%", "ALTER TABLE `grades`%"])
    func aKillDuringALoadOrAnIndexBuildIsCompletedByTheRerun(statement: String) throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        let account = try makeOperator(workspace, server: server)
        try workspace.initHosting("source")
        // 300 students: 150,000 grades, so that the load and the index build each last a while.
        try workspace.succeed(["sample", "--structures", "1", "--students", "300", "--seed", "12"], hosting: "source")
        try workspace.succeed(["export", "--all", "--out", workspace.path("reference")], hosting: "source")
        let zip = try #require(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path("reference")).first {
                $0.hasSuffix(".zip")
            })
        let bundle = workspace.path("reference/" + zip.dropLast(4))
        let tag = "kb\(UUID().uuidString.prefix(4).lowercased())"
        let clean = try initMariaDB(
            workspace, "clean", server: server, account: account, registry: "\(tag)c_registry", prefix: "\(tag)c_")
        #expect(clean.status == 0, "\(clean.transcript)")
        try workspace.succeed(["import", bundle + ".csv", bundle + ".zip"], hosting: "clean")
        let wanted = try state(workspace, "clean", prefix: "\(tag)c_", server: server)

        let prefix = "\(tag)k_"
        let made = try initMariaDB(
            workspace, "target", server: server, account: account, registry: "\(prefix)registry", prefix: prefix)
        #expect(made.status == 0, "\(made.transcript)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: transfertBinary)
        process.arguments = ["--hosting", workspace.path("target"), "import", bundle + ".csv", bundle + ".zip"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = false
        while process.isRunning && !seen {
            let running = try server.client(
                """
                SELECT COUNT(*) FROM information_schema.PROCESSLIST
                WHERE DB LIKE '\(prefix)%' AND INFO LIKE '\(statement)'
                """)
            seen = running.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
        }
        if seen { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(seen, "the import ended before the server ran \(statement)")
        #expect(process.terminationReason == .uncaughtSignal, "the import was killed during \(statement)")

        let rerun = try workspace.transfert(["import", bundle + ".csv", bundle + ".zip"], hosting: "target")
        #expect(rerun.status == 0, "\(rerun.transcript)")
        #expect(
            try state(workspace, "target", prefix: prefix, server: server) == wanted,
            "killed during \(statement): the final state differs from a clean import")
        // Nothing of the killed run is left on the server: only the establishment's database and the registry.
        let databases = try server.client(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '\(prefix)%' ORDER BY 1"
        ).output.split(separator: "\n").map(String.init)
        #expect(databases == ["\(prefix)base_1", "\(prefix)registry"], "\(databases)")
    }
}
