import Foundation
import Testing
import TransfertTestSupport

/// Issue #13: hostings on a real MariaDB server (started on loopback by the tests), driven through the
/// `transfert` binary, checked with the `mariadb` client and `sqlite3`.
@Suite("MariaDB hostings", .serialized)
struct MariaDBTests {
    func bundle(in folder: String, _ workspace: Workspace) throws -> (csv: String, zip: String) {
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path(folder)).filter {
            !$0.contains(".result.")
        }
        return (
            workspace.path("\(folder)/\(try #require(names.first { $0.hasSuffix(".csv") }))"),
            workspace.path("\(folder)/\(try #require(names.first { $0.hasSuffix(".zip") }))")
        )
    }

    @Test func everyCommandWorksAndEstablishmentsCrossEnginesWithEqualDigests() throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        let account = try makeOperator(workspace, server: server)
        let tag = "e\(UUID().uuidString.prefix(6).lowercased())"
        var transcripts: [String] = []
        func run(_ arguments: [String], _ hosting: String) throws -> ProcessResult {
            let result = try workspace.transfert(arguments, hosting: hosting)
            transcripts.append(result.transcript)
            #expect(result.status == 0, "transfert \(arguments.joined(separator: " ")):\n\(result.transcript)")
            return result
        }
        let created = try initMariaDB(
            workspace, "maria", server: server, account: account, registry: "\(tag)_registry", prefix: "\(tag)_")
        transcripts.append(created.transcript)
        #expect(created.status == 0, "\(created.transcript)")
        _ = try run(["zone", "add", "Académie de Besançon"], "maria")
        #expect(try run(["zone", "list"], "maria").stdout.contains("Académie de Besançon"))
        _ = try run(["sample", "--structures", "2", "--students", "20", "--seed", "41"], "maria")
        #expect(try run(["structure", "show", "1"], "maria").stdout.contains("Collège"), "structure show")
        let list = try #require(
            try workspace.json(try run(["structure", "list", "--json"], "maria")) as? [[String: Any]])
        #expect(list.count == 2)
        let stats = try run(["stats", "--all"], "maria")
        #expect(stats.stdout.contains("Total (2)"), "\(stats.stdout)")
        // An independent look at what the server holds: accents in the registry, rows in a database.
        let names = try server.client("SELECT denomination FROM \(tag)_registry.structure ORDER BY base_id").output
        #expect(names.contains("Collège"), "\(names)")
        let grades = try server.client("SELECT COUNT(*) FROM \(tag)_base_1.grades").output.trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(Int(grades) ?? 0 > 0)

        // MariaDB → SQLite.
        _ = try run(["export", "--all", "--out", workspace.path("from-maria")], "maria")
        let first = try bundle(in: "from-maria", workspace)
        let deep = try run(["verify", "--deep", "--against-source", first.csv, first.zip], "maria")
        #expect(deep.stdout.contains("VERIFIED (deep, against source)"), "\(deep.stdout)")
        let scratch = try server.client(
            "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '\(tag)\\_scratch%'"
        ).output
        #expect(scratch.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "no scratch database left")
        try workspace.initHosting("lite", name: "lite", baseURL: "https://lite.example.org/sacoche/")
        let intoSQLite = try run(["import", first.csv, first.zip], "lite")
        #expect(!intoSQLite.stdout.contains("differs from a fresh establishment"), "\(intoSQLite.stdout)")
        let sameInSQLite = try run(["verify", "--against-source", first.csv, first.zip], "lite")
        #expect(
            sameInSQLite.stdout.contains("VERIFIED"), "digests equal after MariaDB → SQLite: \(sameInSQLite.stdout)")
        #expect(try workspace.sqlite("lite/bases/base_1.sqlite", "SELECT COUNT(*) FROM grades") == grades)

        // SQLite → MariaDB (another hosting on the same server).
        _ = try run(["export", "--all", "--out", workspace.path("from-lite")], "lite")
        let second = try bundle(in: "from-lite", workspace)
        let again = try initMariaDB(
            workspace, "maria2", server: server, account: account, registry: "\(tag)_registry2", prefix: "\(tag)2_")
        #expect(again.status == 0, "\(again.transcript)")
        let intoMaria = try run(["import", second.csv, second.zip], "maria2")
        #expect(!intoMaria.stdout.contains("differs from a fresh establishment"), "\(intoMaria.stdout)")
        let sameInMaria = try run(["verify", "--deep", "--against-source", second.csv, second.zip], "maria2")
        #expect(
            sameInMaria.stdout.contains("VERIFIED (deep, against source)"),
            "digests equal after SQLite → MariaDB: \(sameInMaria.stdout)")
        let guids = { (hosting: String) throws -> Set<String> in
            Set(
                try #require(try workspace.json(try run(["structure", "list", "--json"], hosting)) as? [[String: Any]])
                    .compactMap { $0["guid"] as? String })
        }
        #expect(try guids("maria") == guids("maria2"), "GUIDs are kept across engines")

        // Letters from the result of an import into MariaDB, in the outbox.
        let letters = try run(
            ["letters", "--result", second.zip.replacingOccurrences(of: ".zip", with: ".result.csv")], "maria2")
        #expect(letters.status == 0)
        #expect(try run(["outbox", "list"], "maria2").stdout.contains("pending"), "the letters wait in the outbox")
        _ = try run(["journal"], "maria2")
        let doctor = try run(["doctor"], "maria2")
        #expect(doctor.stdout.contains("Nothing to clean"), "\(doctor.stdout)")
        let removed = try run(
            ["structure", "remove", "--yes", "--ids", "1", "--verified-by", first.csv, first.zip], "maria")
        #expect(removed.status == 0)
        #expect(try server.client("SHOW DATABASES LIKE '\(tag)\\_base\\_1'").output.isEmpty, "the database is dropped")
        #expect(
            try server.client("SELECT COUNT(*) FROM mysql.user WHERE User = '\(tag)_user_1'").output.trimmingCharacters(
                in: .whitespacesAndNewlines) == "0",
            "and its account")

        // The password is never shown or written.
        for transcript in transcripts {
            #expect(!transcript.contains(account.password), "a password in: \(transcript.prefix(200))")
        }
        let configuration = try String(contentsOfFile: workspace.path("maria/transfert.yaml"), encoding: .utf8)
        #expect(!configuration.contains(account.password) && configuration.contains("password_file"))
    }

    @Test func anEstablishmentsAccountReachesItsOwnDatabaseOnly() throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        let account = try makeOperator(workspace, server: server)
        let tag = "i\(UUID().uuidString.prefix(6).lowercased())"
        let created = try initMariaDB(
            workspace, "maria", server: server, account: account, registry: "\(tag)_registry", prefix: "\(tag)_")
        #expect(created.status == 0, "\(created.transcript)")
        try workspace.succeed(["sample", "--structures", "2", "--students", "5", "--seed", "42"], hosting: "maria")
        let credentials = workspace.path("maria/credentials/base_1.yaml")
        let attributes = try FileManager.default.attributesOfItem(atPath: credentials)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "owner-only")
        let text = try String(contentsOfFile: credentials, encoding: .utf8)
        let user = try #require(text.split(separator: "\n").first { $0.hasPrefix("user: ") }).dropFirst(6)
            .replacingOccurrences(of: "\"", with: "")
        let password = try #require(text.split(separator: "\n").first { $0.hasPrefix("password: ") }).dropFirst(10)
            .replacingOccurrences(of: "\"", with: "")
        let own = try server.client(
            "SELECT COUNT(*) FROM users", database: "\(tag)_base_1", user: user, password: password)
        #expect(own.status == 0, "its own database: \(own.output)")
        let other = try server.client(
            "SELECT COUNT(*) FROM users", database: "\(tag)_base_2", user: user, password: password)
        #expect(other.status != 0 && other.output.contains("denied"), "another establishment's: \(other.output)")
        let registry = try server.client("SELECT * FROM \(tag)_registry.structure", user: user, password: password)
        #expect(registry.status != 0 && registry.output.contains("denied"), "the registry: \(registry.output)")
        let write = try server.client(
            "INSERT INTO \(tag)_base_2.parameters (name, value) VALUES ('x', 'y')", user: user, password: password)
        #expect(write.status != 0, "no write elsewhere: \(write.output)")
    }

    @Test func anAccountWithoutThePrivilegesIsRefusedAtInitAndNothingIsLeft() throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        let weak = try makeOperator(workspace, server: server, privileges: "SELECT ON *.* TO {user}")
        let tag = "w\(UUID().uuidString.prefix(6).lowercased())"
        let result = try initMariaDB(
            workspace, "maria", server: server, account: weak, registry: "\(tag)_registry", prefix: "\(tag)_")
        #expect(result.status != 0, "\(result.transcript)")
        #expect(result.stderr.contains("lacks a privilege Transfert needs"), "\(result.transcript)")
        #expect(result.stderr.contains("127.0.0.1:\(server.port)"), "names the server: \(result.transcript)")
        #expect(!result.stderr.contains(weak.password), "never the password")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("maria")), "no half-made hosting")
        let wrong = try workspace.transfert(
            [
                "init", "--name", "x", "--base-url", "https://x.example.org/", "--backend", "mariadb",
                "--database-url", "mysql://\(weak.user):secret@127.0.0.1:\(server.port)/r",
            ], hosting: "x")
        #expect(
            wrong.status != 0 && wrong.stderr.contains("holds a password"),
            "a password in the URL is refused: \(wrong.transcript)")
        #expect(!wrong.stderr.contains("secret"))
    }

    @Test func aKilledImportIsCompletedByTheNextRunAndEqualsACleanOne() throws {
        let server = try MariaDBTestServer.shared()
        let f = try ImportFixture(samples: [(1, 20, 43), (1, 400, 44)], targetStructures: 0)
        let account = try makeOperator(f.workspace, server: server)
        let tag = "k\(UUID().uuidString.prefix(6).lowercased())"
        func databases(_ prefix: String) throws -> [String] {
            try server.client(
                "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '\(prefix)%' ORDER BY 1"
            ).output
                .split(separator: "\n").map(String.init)
        }
        func accounts(_ prefix: String) throws -> [String] {
            try server.client("SELECT User FROM mysql.user WHERE User LIKE '\(prefix)%' ORDER BY 1").output.split(
                separator: "\n"
            ).map(String.init)
        }
        // Killed while establishment 2 restores (shorter delays if the import was faster than the kill).
        var killed: String?
        for (attempt, delay) in [0.3, 0.1, 0.0].enumerated() where killed == nil {
            let hosting = "killed\(attempt)"
            let prefix = "\(tag)\(attempt)_"
            let made = try initMariaDB(
                f.workspace, hosting, server: server, account: account, registry: "\(prefix)registry", prefix: prefix)
            #expect(made.status == 0, "\(made.transcript)")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: transfertBinary)
            process.arguments = ["--hosting", f.workspace.path(hosting), "import", f.csv, f.zip]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning, Date() < deadline, try !databases(prefix).contains("\(prefix)base_2") {
                usleep(5_000)
            }
            // Two establishments restore at once: establishment 1 is let finish, so what is killed is 2.
            while process.isRunning, Date() < deadline,
                (try? server.client("SELECT status FROM \(prefix)registry.structure WHERE base_id = 1").output
                    .trimmingCharacters(in: .whitespacesAndNewlines)) != "active"
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
        #expect(again.stdout.contains("Cleaned: establishment 2 ("), "\(again.transcript)")
        #expect(again.stdout.contains("1 imported, 0 failed, 1 already there."), "\(again.transcript)")

        let clean = try initMariaDB(
            f.workspace, "clean", server: server, account: account, registry: "\(tag)c_registry", prefix: "\(tag)c_")
        #expect(clean.status == 0, "\(clean.transcript)")
        #expect(try f.importing(f.csv, f.zip, hosting: "clean").status == 0)
        #expect(
            try f.workspace.succeed(["structure", "list", "--json"], hosting: hosting).stdout
                == f.workspace.succeed(["structure", "list", "--json"], hosting: "clean").stdout,
            "the same registry rows as a clean import")
        let proven = try f.workspace.succeed(["verify", "--against-source", f.csv, f.zip], hosting: hosting)
        #expect(proven.stdout.contains("VERIFIED"), "the same digests as the source: \(proven.stdout)")
        #expect(try databases("\(prefix)base") == ["\(prefix)base_1", "\(prefix)base_2"], "no orphan database")
        #expect(try accounts(prefix) == ["\(prefix)user_1", "\(prefix)user_2"], "no orphan account")
        #expect(
            try server.client("SELECT COUNT(*) FROM \(prefix)registry.structure_lock").output.trimmingCharacters(
                in: .whitespacesAndNewlines) == "0",
            "no lock left")
    }

    @Test func anUnreachableServerIsNamedWithWhatToDo() throws {
        let workspace = try Workspace()
        let result = try workspace.transfert(
            [
                "init", "--name", "x", "--base-url", "https://x.example.org/", "--backend", "mariadb",
                "--database-url", "mysql://transfert@127.0.0.1:9/registry",
            ], hosting: "x")
        #expect(result.status != 0, "\(result.transcript)")
        #expect(result.stderr.contains("MariaDB server 127.0.0.1:9"), "\(result.transcript)")
        #expect(result.stderr.contains("Is the server running"), "\(result.transcript)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("x")), "nothing left")
    }

    @Test func aServerRestartedDuringAnImportFailsItCleanlyAndTheRerunCompletes() throws {
        let server = try MariaDBTestServer.dedicated()
        let f = try ImportFixture(samples: [(1, 20, 45), (1, 400, 46)], targetStructures: 0)
        let account = try makeOperator(f.workspace, server: server)
        let made = try initMariaDB(
            f.workspace, "maria", server: server, account: account, registry: "r_registry", prefix: "r_")
        #expect(made.status == 0, "\(made.transcript)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: transfertBinary)
        process.arguments = ["--hosting", f.workspace.path("maria"), "import", f.csv, f.zip]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Restart the server while establishment 2 restores.
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline,
            try !server.client("SHOW DATABASES LIKE 'r\\_base\\_2'").output.contains("r_base_2")
        { usleep(5_000) }
        let restarted = process.isRunning
        #expect(restarted, "the import was still restoring establishment 2 when the server went down")
        if restarted { try server.crashAndRestart() }
        let transcript = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if restarted {
            #expect(process.terminationStatus != 0, "the import cannot say it succeeded: \(transcript)")
            #expect(transcript.contains("MariaDB server 127.0.0.1:\(server.port)"), "names the server: \(transcript)")
        }
        let again = try f.importing(f.csv, f.zip, hosting: "maria")
        #expect(again.status == 0, "the re-run completes: \(again.transcript)")
        let proven = try f.workspace.succeed(["verify", "--against-source", f.csv, f.zip], hosting: "maria")
        #expect(proven.stdout.contains("VERIFIED"), "\(proven.stdout)")
        let bases = try server.client(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'r\\_base%' ORDER BY 1"
        ).output
        #expect(bases.split(separator: "\n") == ["r_base_1", "r_base_2"], "no orphan: \(bases)")
        let doctor = try f.workspace.succeed(["doctor"], hosting: "maria")
        #expect(doctor.stdout.contains("Nothing to clean"), "\(doctor.stdout)")
    }

    @Test func aDatabaseOrAccountAlreadyOnTheServerIsNeverTakenOrDropped() throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        let account = try makeOperator(workspace, server: server)
        let tag = "x\(UUID().uuidString.prefix(6).lowercased())"
        // Someone else's work: a database where establishment 1's would go, an account where 2's would.
        let foreign = try server.client(
            "CREATE DATABASE \(tag)_base_1; CREATE TABLE \(tag)_base_1.keep (x INT); CREATE USER '\(tag)_user_2'@'%' IDENTIFIED BY 'x';"
        )
        #expect(foreign.status == 0, "\(foreign.output)")
        let made = try initMariaDB(
            workspace, "maria", server: server, account: account, registry: "\(tag)_registry", prefix: "\(tag)_")
        #expect(made.status == 0, "\(made.transcript)")
        let refused = try workspace.transfert(
            [
                "structure", "add", "--id", "1", "--uai", "0999999F", "--denomination", "Collège Témoin",
                "--localisation", "Dole", "--contact-nom", "Témoin", "--contact-prenom", "Zoé",
                "--contact-courriel", "zoe@ac-besancon.fr",
            ], hosting: "maria")
        #expect(refused.status != 0, "\(refused.transcript)")
        #expect(
            refused.stderr.contains("database \(tag)_base_1 on 127.0.0.1:\(server.port)"),
            "names it: \(refused.transcript)")
        try workspace.succeed(["sample", "--structures", "1", "--students", "5", "--seed", "47"], hosting: "maria")
        let ids = try #require(
            try workspace.json(try workspace.succeed(["structure", "list", "--json"], hosting: "maria"))
                as? [[String: Any]]
        )
        .compactMap { $0["base_id"] as? Int }
        #expect(ids == [3], "ids 1 and 2 are taken by what is on the server: \(ids)")
        #expect(
            try server.client("SHOW TABLES FROM \(tag)_base_1").output.contains("keep"),
            "the foreign database is untouched")
        #expect(
            try server.client("SELECT COUNT(*) FROM mysql.user WHERE User = '\(tag)_user_2'").output.contains("1"),
            "and the account")
    }
}
