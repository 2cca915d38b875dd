import Foundation
import Testing
import TransfertTestSupport

/// Issue #30: hostings on a real PostgreSQL cluster (started on loopback by the tests), driven through the
/// `transfert` binary, checked with `psql`, `unzip` and Python.
@Suite("PostgreSQL hostings", .serialized)
struct PostgreSQLTests {
    /// Every command an operator runs on a hosting, on a PostgreSQL source and a PostgreSQL target, with what
    /// each leaves on the server looked at with psql.
    @Test func everyCommandWorksOnPostgreSQLHostings() throws {
        let server = try PostgreSQLTestServer.shared()
        let psql = PSQL(server)
        let workspace = try Workspace()
        let account = try makePostgreSQLOperator(workspace, server: server)
        let tag = "e\(UUID().uuidString.prefix(6).lowercased())"
        var transcripts: [String] = []
        func run(_ arguments: [String], _ hosting: String, sourceLocation: SourceLocation = #_sourceLocation) throws
            -> ProcessResult
        {
            let result = try workspace.transfert(arguments, hosting: hosting)
            transcripts.append(result.transcript)
            #expect(
                result.status == 0, "transfert \(arguments.joined(separator: " ")):\n\(result.transcript)",
                sourceLocation: sourceLocation)
            return result
        }
        let created = try initPostgreSQL(
            workspace, "pga", server: server, account: account, registry: "\(tag)_registry", prefix: "\(tag)a_")
        transcripts.append(created.transcript)
        try #require(created.status == 0, "\(created.transcript)")
        let configuration = try String(contentsOfFile: workspace.path("pga/transfert.yaml"), encoding: .utf8)
        #expect(configuration.contains("postgres"), "backend.kind: postgres\n\(configuration)")
        #expect(!configuration.contains(account.password) && configuration.contains("password_file"))
        #expect(try psql.databases("\(tag)_registry") == ["\(tag)_registry"], "init made the registry database")

        // Zones and establishments.
        _ = try run(["zone", "add", "Académie de Besançon"], "pga")
        #expect(try run(["zone", "list"], "pga").stdout.contains("Académie de Besançon"))
        _ = try run(["sample", "--structures", "2", "--students", "20", "--seed", "41"], "pga")
        _ = try run(
            [
                "structure", "add", "--uai", "0250010A", "--denomination", "Collège Victor Hugo", "--localisation",
                "Besançon", "--zone", "2", "--contact-nom", "Lefèvre", "--contact-prenom", "Agnès",
                "--contact-courriel", "agnes.lefevre@ac-besancon.fr",
            ], "pga")
        #expect(try run(["structure", "show", "1"], "pga").stdout.contains("Collège"), "structure show")
        let list = try #require(
            try workspace.json(try run(["structure", "list", "--json"], "pga")) as? [[String: Any]])
        #expect(list.count == 3)
        #expect(try run(["stats", "--all"], "pga").stdout.contains("Total (3)"))
        _ = try run(["info"], "pga")
        // What the server holds, seen with psql: accents in the registry, a database and a role per
        // establishment, each database owned by its establishment's role.
        let names = try psql.value("SELECT denomination FROM structure ORDER BY base_id", database: "\(tag)_registry")
        #expect(names.contains("Collège Victor Hugo"), "\(names)")
        #expect(try psql.databases("\(tag)a_base") == ["\(tag)a_base_1", "\(tag)a_base_2", "\(tag)a_base_3"])
        #expect(try psql.roles("\(tag)a_user") == ["\(tag)a_user_1", "\(tag)a_user_2", "\(tag)a_user_3"])
        #expect(
            try psql.value("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '\(tag)a_base_1'")
                == "\(tag)a_user_1")
        let grades = try psql.value("SELECT COUNT(*) FROM grades", database: "\(tag)a_base_1")
        #expect((Int(grades) ?? 0) > 0, "\(grades)")

        // Maintenance and locks before the move.
        let day = ISO8601DateFormatter.string(
            from: Date().addingTimeInterval(3 * 86_400), timeZone: .current, formatOptions: [.withFullDate])
        _ = try run(
            [
                "maintenance", "plan", "--ids", "1,2", "--start", "\(day) 13:00", "--duration", "45m", "--type",
                "database",
            ],
            "pga")
        #expect(try run(["maintenance", "list"], "pga").stdout.contains("database"))
        _ = try run(["maintenance", "preview", "--id", "1", "--at", "\(day) 13:10"], "pga")
        _ = try run(["letters", "--template", "maintenance-warning", "--ids", "1,2"], "pga")
        _ = try run(["lock", "add", "--ids", "3", "--reason", "Transfert en cours"], "pga")
        #expect(try run(["lock", "list"], "pga").stdout.contains("Transfert en cours"))
        _ = try run(["lock", "release", "--yes", "--ids", "3"], "pga")

        // Export, inspect, verify (deep, against the source): no scratch database left behind.
        _ = try run(["export", "--ids", "1,2", "--keep-locked", "--out", workspace.path("out")], "pga")
        let bundle = try bundlePair(in: "out", workspace)
        let unzip = try TransfertEndToEndTests.run(try #require(which("unzip")), ["-t", bundle.zip])
        #expect(unzip.status == 0 && unzip.stdout.contains("No errors detected"), "\(unzip.stdout)")
        let manifest = try workspace.json(
            try TransfertEndToEndTests.run(try #require(which("unzip")), ["-p", bundle.zip, "manifest.json"]))
        let source = try #require((manifest as? [String: Any])?["source"] as? [String: Any])
        #expect("\(source["backend"] ?? "")".lowercased().contains("postgres"), "\(source)")
        #expect(try run(["inspect", bundle.zip], "pga").stdout.contains("Collège"))
        let deep = try run(["verify", "--deep", "--against-source", bundle.csv, bundle.zip], "pga")
        #expect(deep.stdout.contains("VERIFIED (deep, against source)"), "\(deep.stdout)")
        #expect(try psql.databases("\(tag)a_scratch").isEmpty, "no scratch database left")

        // Import into another PostgreSQL hosting, whose id 1 is taken: ids reassigned, GUIDs kept.
        let target = try initPostgreSQL(
            workspace, "pgb", server: server, account: account, registry: "\(tag)_registry_b", prefix: "\(tag)b_")
        try #require(target.status == 0, "\(target.transcript)")
        _ = try run(["zone", "add", "Académie de Besançon"], "pgb")
        _ = try run(["sample", "--structures", "1", "--students", "5", "--seed", "42"], "pgb")
        let dry = try run(["import", "--dry-run", bundle.csv, bundle.zip], "pgb")
        #expect(try psql.databases("\(tag)b_base") == ["\(tag)b_base_1"], "a dry run creates nothing: \(dry.stdout)")
        let imported = try run(["import", bundle.csv, bundle.zip], "pgb")
        #expect(imported.stdout.contains("2 imported, 0 failed"), "the result table: \(imported.stdout)")
        #expect(!imported.stdout.contains("differs from a fresh establishment"), "\(imported.stdout)")
        let result = bundle.zip.replacingOccurrences(of: ".zip", with: ".result.csv")
        #expect(FileManager.default.fileExists(atPath: result), "the result CSV beside the bundle")
        let sameInTarget = try run(["verify", "--against-source", bundle.csv, bundle.zip], "pgb")
        #expect(sameInTarget.stdout.contains("VERIFIED"), "digests equal on the target: \(sameInTarget.stdout)")
        let guids = { (hosting: String) throws -> [String: String] in
            var byName: [String: String] = [:]
            for row in try #require(
                try workspace.json(try run(["structure", "list", "--json"], hosting)) as? [[String: Any]])
            {
                byName["\(row["guid"] ?? "")"] = "\(row["base_id"] ?? "")"
            }
            return byName
        }
        let sourceGUIDs = try guids("pga")
        let targetGUIDs = try guids("pgb")
        for (guid, id) in sourceGUIDs where ["1", "2"].contains(id) {
            #expect(targetGUIDs[guid] != nil, "GUID \(guid) kept")
            #expect(targetGUIDs[guid] != id, "id \(id) reassigned on the target, whose 1 was taken")
        }
        #expect(try psql.databases("\(tag)b_base").count == 3)

        // Letters and the outbox, the journal, the doctor, the history.
        _ = try run(["letters", "--result", result], "pgb")
        #expect(try run(["outbox", "list"], "pgb").stdout.contains("pending"), "the letters wait in the outbox")
        #expect(try run(["outbox", "show", "1"], "pgb").stdout.contains("Subject"))
        _ = try run(["journal"], "pgb")
        #expect(try run(["doctor"], "pgb").stdout.contains("Nothing to clean"))

        // Back on the source: the receipt confirms the move, the moved establishments are removed, their
        // databases and roles dropped.
        let key = try #require(
            (try workspace.json(try run(["info", "--json"], "pgb")) as? [String: Any])?["receipt_public_key"] as? String
        )
        let receipt = bundle.zip.replacingOccurrences(of: ".zip", with: ".receipt.json")
        _ = try run(["confirm", receipt, "--expect-key", key], "pga")
        #expect(try run(["history", "--id", "1"], "pga").stdout.contains("pgb"))
        _ = try run(["structure", "remove", "--yes", "--ids", "1,2"], "pga")
        #expect(try psql.databases("\(tag)a_base") == ["\(tag)a_base_3"], "the moved databases are dropped")
        #expect(try psql.roles("\(tag)a_user") == ["\(tag)a_user_3"], "and their roles")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("pga/credentials/base_1.yaml")))

        // The password is never shown or written.
        for transcript in transcripts {
            #expect(!transcript.contains(account.password), "a password in: \(transcript.prefix(300))")
        }
    }

    /// Backups, restore in place and `export --without users` on a PostgreSQL hosting.
    @Test func backupsAndRestoreOnPostgreSQL() throws {
        let server = try PostgreSQLTestServer.shared()
        let psql = PSQL(server)
        let workspace = try Workspace()
        let account = try makePostgreSQLOperator(workspace, server: server)
        let tag = "r\(UUID().uuidString.prefix(6).lowercased())_"
        let created = try initPostgreSQL(
            workspace, "hosting", server: server, account: account, registry: "\(tag)registry", prefix: tag)
        try #require(created.status == 0, "\(created.transcript)")
        try workspace.succeed(["sample", "--structures", "2", "--students", "8", "--seed", "3"])
        let first = try workspace.succeed(["backup", "run", "--json"])
        let report = try #require(try workspace.json(first) as? [String: Any])
        #expect(BackupHosting.outcomes(report) == [1: "backed_up", 2: "backed_up"], "\(first.stdout)")
        #expect(try workspace.succeed(["backup", "list"]).stdout.contains("structure-1"))
        let latest = try #require(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path("hosting/backups/automatic"))
                .filter { $0.contains("-structure-1-") && $0.hasSuffix(".zip") }.sorted().last)
        let zip = workspace.path("hosting/backups/automatic/\(latest)")
        let csv = String(zip.dropLast(4)) + ".csv"
        #expect(try workspace.succeed(["inspect", zip]).stdout.contains("users"))

        // The establishment changes on the server; the restore brings the backup's rows back exactly.
        let before = try psql.value("SELECT COUNT(*) FROM grades", database: "\(tag)base_1")
        _ = try psql.value("DELETE FROM grades WHERE id % 2 = 0", database: "\(tag)base_1")
        #expect(try psql.value("SELECT COUNT(*) FROM grades", database: "\(tag)base_1") != before)
        let restored = try workspace.transfert(["restore", csv, zip, "--into", "1", "--replace", "--yes"])
        try #require(restored.status == 0, "\(restored.transcript)")
        #expect(try psql.value("SELECT COUNT(*) FROM grades", database: "\(tag)base_1") == before)
        let verified = try workspace.succeed(["verify", "--against-source", csv, zip])
        #expect(verified.stdout.contains("VERIFIED"), "every digest is the backup's: \(verified.stdout)")
        #expect(
            try psql.value("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '\(tag)base_1'")
                == "\(tag)user_1",
            "the restored database belongs to the establishment's role")
        #expect(
            try psql.databases(tag).filter { !$0.hasPrefix("\(tag)base_") && $0 != "\(tag)registry" }.isEmpty,
            "no staging or scratch database left")
        // Its own role still reaches its tables, with the password of its credentials file.
        let file = workspace.path("hosting/credentials/base_1.yaml")
        let own = try psql.run(
            "SELECT COUNT(*) FROM users", database: "\(tag)base_1", user: try credential("user", in: file),
            password: try credential("password", in: file))
        #expect(own.status == 0 && own.output.trimmingCharacters(in: .whitespacesAndNewlines) != "0", "\(own.output)")

        // A copy without user data: the users table empty, and no row pointing at a missing user.
        try workspace.succeed(["export", "--ids", "2", "--without", "users", "--out", workspace.path("nousers")])
        let bundle = try bundlePair(in: "nousers", workspace)
        let target = try initPostgreSQL(
            workspace, "target", server: server, account: account, registry: "\(tag)registry_t", prefix: "\(tag)t_")
        try #require(target.status == 0, "\(target.transcript)")
        try workspace.succeed(["import", bundle.csv, bundle.zip], hosting: "target")
        #expect(try psql.value("SELECT COUNT(*) FROM users", database: "\(tag)t_base_1") == "0")
        let dangling = try psql.value(
            "SELECT COUNT(*) FROM memberships m LEFT JOIN users u ON u.id = m.user_id WHERE u.id IS NULL",
            database: "\(tag)t_base_1")
        #expect(dangling == "0", "no dangling reference")
    }

    @Test func anEstablishmentsRoleReachesItsOwnDatabaseOnly() throws {
        let server = try PostgreSQLTestServer.shared()
        let psql = PSQL(server)
        let workspace = try Workspace()
        let account = try makePostgreSQLOperator(workspace, server: server)
        let tag = "i\(UUID().uuidString.prefix(6).lowercased())"
        let created = try initPostgreSQL(
            workspace, "pg", server: server, account: account, registry: "\(tag)_registry", prefix: "\(tag)_")
        try #require(created.status == 0, "\(created.transcript)")
        try workspace.succeed(["sample", "--structures", "2", "--students", "5", "--seed", "42"], hosting: "pg")
        let file = workspace.path("pg/credentials/base_1.yaml")
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "owner-only")
        let user = try credential("user", in: file)
        let password = try credential("password", in: file)
        #expect(user == "\(tag)_user_1")
        let own = try psql.run("SELECT COUNT(*) FROM users", database: "\(tag)_base_1", user: user, password: password)
        #expect(own.status == 0, "its own database: \(own.output)")
        let other = try psql.run(
            "SELECT COUNT(*) FROM users", database: "\(tag)_base_2", user: user, password: password)
        #expect(other.status != 0, "another establishment's tables: \(other.output)")
        // Not even a session there (PostgreSQL gives every role CONNECT on a new database unless it is revoked
        // from PUBLIC), as on MariaDB, where the account is denied another establishment's database.
        let connect = try psql.run("SELECT 1", database: "\(tag)_base_2", user: user, password: password)
        #expect(
            connect.status != 0 && connect.output.contains("permission denied"),
            "a session on another establishment's database: \(connect.output)")
        let registry = try psql.run(
            "SELECT * FROM structure", database: "\(tag)_registry", user: user, password: password)
        #expect(registry.status != 0, "the registry: \(registry.output)")
        let wrong = try psql.run("SELECT 1", database: "\(tag)_base_1", user: user, password: "not-its-password")
        #expect(wrong.status != 0, "a wrong password: \(wrong.output)")
        #expect(
            try psql.value("SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles WHERE rolname = '\(user)'")
                == "f",
            "an establishment's role has no privilege beyond its database")
    }

    @Test func aRoleWithoutThePrivilegesIsRefusedAtInitAndNothingIsLeft() throws {
        let server = try PostgreSQLTestServer.shared()
        let psql = PSQL(server)
        for (attributes, missing) in [("LOGIN CREATEDB", "CREATEROLE"), ("LOGIN CREATEROLE", "CREATEDB")] {
            let workspace = try Workspace()
            let weak = try makePostgreSQLOperator(workspace, server: server, attributes: attributes)
            let tag = "w\(UUID().uuidString.prefix(6).lowercased())"
            // The registry database exists already (an administrator made it for the role): only the
            // rehearsal can tell what is missing.
            _ = try psql.value("CREATE DATABASE \(tag)_registry OWNER \(weak.user)")
            let result = try initPostgreSQL(
                workspace, "pg", server: server, account: weak, registry: "\(tag)_registry", prefix: "\(tag)_")
            #expect(result.status != 0, "\(attributes): \(result.transcript)")
            #expect(result.stderr.contains(missing), "names the missing privilege: \(result.transcript)")
            #expect(result.stderr.contains("127.0.0.1:\(server.port)"), "names the server: \(result.transcript)")
            #expect(!result.stderr.contains(weak.password), "never the password")
            #expect(!FileManager.default.fileExists(atPath: workspace.path("pg")), "no half-made hosting")
            #expect(try psql.databases("\(tag)_") == ["\(tag)_registry"], "nothing left on the server")
            #expect(try psql.roles("\(tag)_").isEmpty, "no role left on the server")
        }
        let workspace = try Workspace()
        let inURL = try workspace.transfert(
            [
                "init", "--name", "x", "--base-url", "https://x.example.org/", "--backend", "postgres",
                "--database-url", "postgres://someone:secret@127.0.0.1:\(server.port)/r",
            ], hosting: "x")
        #expect(inURL.status != 0 && inURL.stderr.contains("password"), "refused: \(inURL.transcript)")
        #expect(!inURL.stderr.contains("secret"), "and never echoed")
        let account = try makePostgreSQLOperator(workspace, server: server)
        let wrong = try workspace.transfert(
            [
                "init", "--name", "x", "--base-url", "https://x.example.org/", "--backend", "postgres",
                "--database-url", "postgresql://\(account.user)@127.0.0.1:\(server.port)/r",
            ], hosting: "x", environment: ["TRANSFERT_DB_PASSWORD": "not-the-password"])
        #expect(wrong.status != 0, "\(wrong.transcript)")
        #expect(wrong.stderr.contains(account.user), "names the role: \(wrong.transcript)")
        #expect(!wrong.stderr.contains("not-the-password"))
        #expect(!FileManager.default.fileExists(atPath: workspace.path("x")), "nothing left")
    }

    @Test func anUnreachableServerIsNamedWithWhatToDo() throws {
        let workspace = try Workspace()
        let result = try workspace.transfert(
            [
                "init", "--name", "x", "--base-url", "https://x.example.org/", "--backend", "postgres",
                "--database-url", "postgres://transfert@127.0.0.1:9/registry",
            ], hosting: "x", environment: ["TRANSFERT_DB_PASSWORD": "x"])
        #expect(result.status != 0, "\(result.transcript)")
        #expect(result.stderr.contains("127.0.0.1:9"), "names the server: \(result.transcript)")
        #expect(!result.stderr.contains("Fatal error") && result.status < 128, "no trap: \(result.transcript)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("x")), "nothing left")
    }

    @Test func aKilledImportIsCompletedByTheNextRunAndEqualsACleanOne() throws {
        let server = try PostgreSQLTestServer.shared()
        let psql = PSQL(server)
        let f = try ImportFixture(samples: [(1, 20, 43), (1, 400, 44)], targetStructures: 0)
        let account = try makePostgreSQLOperator(f.workspace, server: server)
        let tag = "k\(UUID().uuidString.prefix(6).lowercased())"
        // Killed while establishment 2 restores (shorter delays if the import was faster than the kill).
        var killed: String?
        for (attempt, delay) in [0.3, 0.1, 0.0].enumerated() where killed == nil {
            let hosting = "killed\(attempt)"
            let prefix = "\(tag)\(attempt)_"
            let made = try initPostgreSQL(
                f.workspace, hosting, server: server, account: account, registry: "\(prefix)registry", prefix: prefix)
            try #require(made.status == 0, "\(made.transcript)")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: transfertBinary)
            process.arguments = ["--hosting", f.workspace.path(hosting), "import", f.csv, f.zip]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            // Establishment 2's load, seen on the server: a COPY into one of its databases (staged or final).
            while process.isRunning, Date() < deadline,
                try psql.value(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE starts_with(datname, '\(prefix)') AND query ILIKE 'COPY%'"
                ) == "0"
            { usleep(5_000) }
            usleep(useconds_t(delay * 1_000_000))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                killed = hosting
            }
        }
        let hosting = try #require(killed, "the import always finished before it could be killed")
        let prefix = "\(tag)\(hosting.dropFirst("killed".count))_"
        let again = try f.importing(f.csv, f.zip, hosting: hosting)
        #expect(again.status == 0, "\(again.transcript)")

        let clean = try initPostgreSQL(
            f.workspace, "clean", server: server, account: account, registry: "\(tag)c_registry", prefix: "\(tag)c_")
        try #require(clean.status == 0, "\(clean.transcript)")
        #expect(try f.importing(f.csv, f.zip, hosting: "clean").status == 0)
        #expect(
            try f.workspace.succeed(["structure", "list", "--json"], hosting: hosting).stdout
                == f.workspace.succeed(["structure", "list", "--json"], hosting: "clean").stdout,
            "the same registry rows as a clean import")
        for id in [1, 2] {
            #expect(
                try psql.dump("\(prefix)base_\(id)") == psql.dump("\(tag)c_base_\(id)"),
                "establishment \(id)'s database as pg_dump prints it equals a clean import's")
        }
        let proven = try f.workspace.succeed(["verify", "--against-source", f.csv, f.zip], hosting: hosting)
        #expect(proven.stdout.contains("VERIFIED"), "the same digests as the source: \(proven.stdout)")
        let databases = try psql.databases(prefix)
        #expect(
            databases == ["\(prefix)base_1", "\(prefix)base_2", "\(prefix)registry"], "no orphan database: \(databases)"
        )
        #expect(try psql.roles(prefix) == ["\(prefix)user_1", "\(prefix)user_2"], "no orphan role")
        #expect(try psql.value("SELECT COUNT(*) FROM structure_lock", database: "\(prefix)registry") == "0")
        #expect(try f.workspace.succeed(["doctor"], hosting: hosting).stdout.contains("Nothing to clean"))
    }

    @Test func aServerRestartedDuringAnImportFailsItCleanlyAndTheRerunCompletes() throws {
        let server = try PostgreSQLTestServer.dedicated()
        let psql = PSQL(server)
        let f = try ImportFixture(samples: [(1, 20, 45), (1, 400, 46)], targetStructures: 0)
        let account = try makePostgreSQLOperator(f.workspace, server: server)
        let made = try initPostgreSQL(
            f.workspace, "pg", server: server, account: account, registry: "r_registry", prefix: "r_")
        try #require(made.status == 0, "\(made.transcript)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: transfertBinary)
        process.arguments = ["--hosting", f.workspace.path("pg"), "import", f.csv, f.zip]
        // Its output goes to a file: a pipe would hold this test as long as the import hangs.
        let log = f.workspace.path("import.log")
        FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline,
            try psql.value(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE starts_with(datname, 'r_') AND query ILIKE 'COPY%'")
                == "0"
        { usleep(5_000) }
        let restarted = process.isRunning
        #expect(restarted, "the import was still loading when the server went down")
        if restarted { try server.crashAndRestart() }
        // A lost connection must end the import: one that still runs two minutes after the restart is stopped
        // here and counted as a failure, rather than hanging the suite.
        let patience = Date().addingTimeInterval(120)
        while process.isRunning, Date() < patience { usleep(50_000) }
        let hung = process.isRunning
        if hung { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try output.close()
        let transcript = try String(contentsOfFile: log, encoding: .utf8)
        #expect(!hung, "the import still ran 120 s after the server restarted: \(transcript)")
        if restarted {
            #expect(process.terminationStatus != 0, "the import cannot say it succeeded: \(transcript)")
            #expect(transcript.contains("127.0.0.1:\(server.port)"), "names the server: \(transcript)")
            #expect(!transcript.contains("Fatal error"), "no trap: \(transcript)")
        }
        let again = try f.importing(f.csv, f.zip, hosting: "pg")
        #expect(again.status == 0, "the re-run completes: \(again.transcript)")
        let proven = try f.workspace.succeed(["verify", "--against-source", f.csv, f.zip], hosting: "pg")
        #expect(proven.stdout.contains("VERIFIED"), "\(proven.stdout)")
        #expect(try psql.databases("r_base") == ["r_base_1", "r_base_2"], "no orphan")
        #expect(try f.workspace.succeed(["doctor"], hosting: "pg").stdout.contains("Nothing to clean"))
    }

    @Test func aDatabaseOrRoleAlreadyOnTheServerIsNeverTakenOrDropped() throws {
        let server = try PostgreSQLTestServer.shared()
        let psql = PSQL(server)
        let workspace = try Workspace()
        let account = try makePostgreSQLOperator(workspace, server: server)
        let tag = "x\(UUID().uuidString.prefix(6).lowercased())"
        // Someone else's work: a database where establishment 1's would go, a role where 2's would.
        _ = try psql.value("CREATE DATABASE \(tag)_base_1")
        _ = try psql.value("CREATE TABLE keep (x int)", database: "\(tag)_base_1")
        _ = try psql.value("CREATE ROLE \(tag)_user_2 LOGIN PASSWORD 'x'")
        let made = try initPostgreSQL(
            workspace, "pg", server: server, account: account, registry: "\(tag)_registry", prefix: "\(tag)_")
        try #require(made.status == 0, "\(made.transcript)")
        let refused = try workspace.transfert(
            [
                "structure", "add", "--id", "1", "--uai", "0999999F", "--denomination", "Collège Témoin",
                "--localisation", "Dole", "--contact-nom", "Témoin", "--contact-prenom", "Zoé",
                "--contact-courriel", "zoe@ac-besancon.fr",
            ], hosting: "pg")
        #expect(refused.status != 0, "\(refused.transcript)")
        #expect(refused.stderr.contains("\(tag)_base_1"), "names it: \(refused.transcript)")
        try workspace.succeed(["sample", "--structures", "1", "--students", "5", "--seed", "47"], hosting: "pg")
        let ids = try #require(
            try workspace.json(try workspace.succeed(["structure", "list", "--json"], hosting: "pg"))
                as? [[String: Any]]
        ).compactMap { $0["base_id"] as? Int }
        #expect(ids == [3], "ids 1 and 2 are taken by what is on the server: \(ids)")
        #expect(try psql.value("SELECT COUNT(*) FROM keep", database: "\(tag)_base_1") == "0", "untouched")
        #expect(try psql.roles("\(tag)_user_2") == ["\(tag)_user_2"], "and the role")
    }
}
