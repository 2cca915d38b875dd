import Foundation
import Testing
import TransfertTestSupport

/// SIGKILL during an import into a PostgreSQL hosting (issue #30), then the same command again: the final state
/// equals a clean import's (2 random points in `make test`, `TRANSFERT_KILL_POINTS_POSTGRES` in
/// `make test-reliability`), and a kill seen on the server during a `COPY` or an index build likewise.
@Suite("Killed at random points on PostgreSQL", .serialized)
struct PostgreSQLKillTests {
    static var points: Int { Int(ProcessInfo.processInfo.environment["TRANSFERT_KILL_POINTS_POSTGRES"] ?? "") ?? 2 }

    /// Registry rows, every establishment database as `pg_dump` prints it, files, locks.
    func state(_ workspace: Workspace, _ hosting: String, prefix: String, psql: PSQL) throws -> [String] {
        var lines = try psql.lines(
            "SELECT base_id, guid, zone_id, uai, denomination, status FROM structure ORDER BY base_id",
            database: "\(prefix)registry")
        lines.append("locks: " + (try psql.value("SELECT COUNT(*) FROM structure_lock", database: "\(prefix)registry")))
        for database in try psql.databases("\(prefix)base_") {
            lines.append("database \(database.dropFirst(prefix.count))")
            lines.append(try psql.dump(database))
        }
        let files = ((try? FileManager.default.subpathsOfDirectory(atPath: workspace.path("\(hosting)/files"))) ?? [])
            .sorted()
        lines += files.map { "file \($0)" }
        return lines
    }

    /// A source of three establishments exported, and a clean import of it into a PostgreSQL hosting.
    func reference(
        _ workspace: Workspace, students: Int, seed: Int, psql: PSQL, account: Operator,
        server: PostgreSQLTestServer, tag: String
    ) throws -> (bundle: String, seconds: Double, wanted: [String]) {
        try workspace.initHosting("source")
        try workspace.succeed(
            ["sample", "--structures", students > 100 ? "1" : "3", "--students", "\(students)", "--seed", "\(seed)"],
            hosting: "source")
        try workspace.succeed(["export", "--all", "--out", workspace.path("reference")], hosting: "source")
        let zip = try #require(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path("reference")).first {
                $0.hasSuffix(".zip")
            })
        let bundle = workspace.path("reference/" + zip.dropLast(4))
        let clean = try initPostgreSQL(
            workspace, "clean", server: server, account: account, registry: "\(tag)c_registry", prefix: "\(tag)c_")
        try #require(clean.status == 0, "\(clean.transcript)")
        let started = Date()
        try workspace.succeed(["import", bundle + ".csv", bundle + ".zip"], hosting: "clean")
        let seconds = Date().timeIntervalSince(started)
        return (bundle, seconds, try state(workspace, "clean", prefix: "\(tag)c_", psql: psql))
    }

    @Test func aKilledImportIsCompletedByTheRerunAndEqualsACleanOne() throws {
        let server = try PostgreSQLTestServer.shared()
        let psql = PSQL(server)
        let workspace = try Workspace()
        let account = try makePostgreSQLOperator(workspace, server: server)
        let tag = "kill\(UUID().uuidString.prefix(4).lowercased())"
        let (bundle, seconds, wanted) = try reference(
            workspace, students: 60, seed: 11, psql: psql, account: account, server: server, tag: tag)
        var delays = KillTests.Delays(state: 17)
        for point in 0..<Self.points {
            let hosting = "target\(point)"
            let prefix = "\(tag)\(point)_"
            let made = try initPostgreSQL(
                workspace, hosting, server: server, account: account, registry: "\(prefix)registry", prefix: prefix)
            try #require(made.status == 0, "\(made.transcript)")
            _ = try KillTests().runKilled(
                ["--hosting", workspace.path(hosting), "import", bundle + ".csv", bundle + ".zip"],
                tmp: workspace.path(""), after: delays.next(below: seconds))
            let rerun = try workspace.transfert(["import", bundle + ".csv", bundle + ".zip"], hosting: hosting)
            let finishedBefore =
                rerun.stderr.components(separatedBy: "was already imported from this bundle").count - 1 == 3
            #expect(rerun.status == 0 || finishedBefore, "point \(point): \(rerun.transcript)")
            #expect(
                try state(workspace, hosting, prefix: prefix, psql: psql) == wanted,
                "point \(point): the final state differs from a clean import")
            #expect(try psql.roles(prefix).count == 3, "point \(point): one role per establishment, no orphan")
            let databases = try psql.databases(prefix)
            #expect(databases.count == 4, "point \(point): \(databases), no orphan")
        }
    }

    /// SIGKILL at the two long moments of a PostgreSQL load, each seen on the server (pg_stat_activity) rather than
    /// guessed from a delay: while a table's `COPY … FROM STDIN` streams its rows, and while an index is built after
    /// them. The re-run then equals a clean import, and nothing of the killed run is left on the server.
    @Test(arguments: ["COPY %grades%", "CREATE %INDEX%"])
    func aKillDuringACopyOrAnIndexBuildIsCompletedByTheRerun(statement: String) throws {
        let server = try PostgreSQLTestServer.shared()
        let psql = PSQL(server)
        let workspace = try Workspace()
        let account = try makePostgreSQLOperator(workspace, server: server)
        let tag = "kb\(UUID().uuidString.prefix(4).lowercased())"
        // 300 students: 150,000 grades, so that the load and the index build each last a while.
        let (bundle, _, wanted) = try reference(
            workspace, students: 300, seed: 12, psql: psql, account: account, server: server, tag: tag)
        let prefix = "\(tag)k_"
        let made = try initPostgreSQL(
            workspace, "target", server: server, account: account, registry: "\(prefix)registry", prefix: prefix)
        try #require(made.status == 0, "\(made.transcript)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: transfertBinary)
        process.arguments = ["--hosting", workspace.path("target"), "import", bundle + ".csv", bundle + ".zip"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = false
        while process.isRunning && !seen {
            seen =
                try psql.value(
                    """
                    SELECT COUNT(*) FROM pg_stat_activity WHERE starts_with(datname, '\(prefix)')
                    AND state = 'active' AND query ILIKE '\(statement)'
                    """) != "0"
        }
        if seen { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(seen, "the import ended before the server ran \(statement)")
        #expect(process.terminationReason == .uncaughtSignal, "the import was killed during \(statement)")

        let rerun = try workspace.transfert(["import", bundle + ".csv", bundle + ".zip"], hosting: "target")
        #expect(rerun.status == 0, "\(rerun.transcript)")
        #expect(
            try state(workspace, "target", prefix: prefix, psql: psql) == wanted,
            "killed during \(statement): the final state differs from a clean import")
        #expect(try psql.databases(prefix) == ["\(prefix)base_1", "\(prefix)registry"], "no orphan database")
        #expect(try psql.roles(prefix) == ["\(prefix)user_1"], "no orphan role")
    }
}
