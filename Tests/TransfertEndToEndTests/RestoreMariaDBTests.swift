import Foundation
import Testing
import TransfertTestSupport

/// Issue #26, "Restoring", on a MariaDB hosting: the same promises as on SQLite, checked with the
/// `mariadb` client.
@Suite("Restore into an existing establishment (MariaDB)", .serialized)
struct RestoreMariaDBTests {
    struct Fixture {
        let workspace: Workspace
        let server: MariaDBTestServer
        let tag: String
        let csv: String
        let zip: String

        init() throws {
            server = try MariaDBTestServer.shared()
            workspace = try Workspace()
            let account = try makeOperator(workspace, server: server)
            tag = "r\(UUID().uuidString.prefix(6).lowercased())"
            let created = try initMariaDB(
                workspace, "hosting", server: server, account: account, registry: "\(tag)_registry", prefix: "\(tag)_")
            try #require(created.status == 0, "\(created.transcript)")
            try workspace.succeed(["sample", "--structures", "2", "--students", "8", "--seed", "3"])
            try workspace.succeed(["export", "--ids", "1", "--out", workspace.path("out")])
            let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out"))
            csv = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".csv") })))
            zip = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".zip") })))
        }

        func sql(_ statement: String) throws -> String {
            let result = try server.client(statement)
            #expect(result.status == 0, "\(statement): \(result.output)")
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// Rows of the database whose foreign key points at no row, over every declared foreign key
        /// (LEFT JOIN of each, from information_schema).
        func danglingRows(_ id: Int) throws -> Int {
            let database = "\(tag)_base_\(id)"
            let keys = try sql(
                """
                SELECT TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
                WHERE TABLE_SCHEMA = '\(database)' AND REFERENCED_TABLE_NAME IS NOT NULL
                """
            ).split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
            #expect(!keys.isEmpty)
            var total = 0
            for key in keys where key.count == 4 {
                total +=
                    Int(
                        try sql(
                            "SELECT COUNT(*) FROM `\(database)`.`\(key[0])` c LEFT JOIN `\(database)`.`\(key[2])` p ON p.`\(key[3])` = c.`\(key[1])` WHERE c.`\(key[1])` IS NOT NULL AND p.`\(key[3])` IS NULL"
                        )) ?? 1
            }
            return total
        }

        /// Databases a restore might have left (staging, kept tables).
        func leftovers() throws -> String {
            try sql("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '\(tag)\\_restore%'")
        }
    }

    @Test func replaceRestoresTheBundlesDigestsAndALateFailureChangesNothing() throws {
        let f = try Fixture()
        let registry =
            "SELECT base_id, guid, localisation, denomination, contact_courriel FROM \(f.tag)_registry.structure WHERE base_id = 1"
        let row = try f.sql(registry)
        _ = try f.sql("DELETE FROM \(f.tag)_base_1.grades WHERE id % 2 = 0")

        let replaced = try f.workspace.transfert([
            "restore", f.csv, f.zip, "--into", "1", "--replace", "--yes", "--json",
        ])
        try #require(replaced.status == 0, "\(replaced.transcript)")
        #expect(try f.sql(registry) == row)
        let verified = try f.workspace.succeed(["verify", "--against-source", f.csv, f.zip])
        #expect(verified.stdout.contains("VERIFIED"), "every digest is the manifest's: \(verified.stdout)")
        #expect(try f.sql("SELECT COUNT(*) FROM \(f.tag)_base_1.student_averages") != "0", "the view works")
        #expect(try f.leftovers() == "")
        let report = try #require(try f.workspace.json(replaced) as? [String: Any])
        #expect((report["checks"] as? [[String: Any]])?.count == 3)
        // The establishment's own account still reaches its tables.
        let credentials = try String(
            contentsOfFile: f.workspace.path("hosting/credentials/base_1.yaml"), encoding: .utf8)
        let user = try #require(credentials.split(separator: "\n").first { $0.hasPrefix("user:") })
            .dropFirst("user:".count).trimmingCharacters(in: .whitespaces).trimmingCharacters(
                in: CharacterSet(charactersIn: "\"'"))
        let password = try #require(credentials.split(separator: "\n").first { $0.hasPrefix("password:") })
            .dropFirst("password:".count).trimmingCharacters(in: .whitespaces).trimmingCharacters(
                in: CharacterSet(charactersIn: "\"'"))
        let asUser = try f.server.client(
            "SELECT COUNT(*) FROM users", database: "\(f.tag)_base_1", user: user, password: password)
        #expect(
            asUser.status == 0 && asUser.output.trimmingCharacters(in: .whitespacesAndNewlines) != "0",
            "\(asUser.output)")

        // Now change it, remember it as a bundle, and restore a bundle damaged in its dump.
        _ = try f.sql("DELETE FROM \(f.tag)_base_1.grades WHERE id % 3 = 0")
        try f.workspace.succeed(["export", "--ids", "1", "--out", f.workspace.path("before")])
        let names = try FileManager.default.contentsOfDirectory(atPath: f.workspace.path("before"))
        let beforeCSV = f.workspace.path("before/" + (try #require(names.first { $0.hasSuffix(".csv") })))
        let beforeZIP = f.workspace.path("before/" + (try #require(names.first { $0.hasSuffix(".zip") })))
        let python = try #require(which("python3"))
        let entry = try run(
            python,
            [
                "-c",
                "import zipfile,sys; print([n for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.endswith('.sql')][0])",
                f.zip,
            ]
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let damaged = try bundleSurgery("flip", csv: f.csv, zip: f.zip, into: f.workspace.path("damaged"), [entry])
        let failed = try f.workspace.transfert([
            "restore", damaged.csv, damaged.zip, "--into", "1", "--replace", "--yes",
        ])
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("the establishment is as it was"), "\(failed.transcript)")
        let unchanged = try f.workspace.succeed(["verify", "--against-source", beforeCSV, beforeZIP])
        #expect(unchanged.stdout.contains("VERIFIED"), "every digest as before: \(unchanged.stdout)")
        #expect(try f.leftovers() == "")
        #expect(try f.sql("SELECT COUNT(*) FROM \(f.tag)_registry.structure_lock") == "0")
    }

    @Test func mergeDoesNotDuplicateALoginAndWithoutUsersLeavesNoDanglingReference() throws {
        let f = try Fixture()
        let users = "SELECT COUNT(*), COUNT(DISTINCT login) FROM \(f.tag)_base_1.users"
        let before = try f.sql(users)
        let merged = try f.workspace.transfert(["restore", f.csv, f.zip, "--into", "1", "--merge", "--yes", "--json"])
        try #require(merged.status == 0, "\(merged.transcript)")
        #expect(try f.sql(users) == before, "every login matched, none duplicated")
        #expect(try f.danglingRows(1) == 0)
        let report = try #require(try f.workspace.json(merged) as? [String: Any])
        #expect((report["matches"] as? [[String: Any]] ?? []).contains { $0["table"] as? String == "users" })

        let never = try f.workspace.transfert(
            ["restore", f.csv, f.zip, "--into", "1", "--merge", "--merge-users", "never", "--yes"])
        #expect(never.status == 1, "\(never.transcript)")
        #expect(try f.sql(users) == before)

        let without = try f.workspace.transfert(
            ["restore", f.csv, f.zip, "--into", "2", "--replace", "--without", "users", "--yes"])
        try #require(without.status == 0, "\(without.transcript)")
        #expect(try f.sql("SELECT COUNT(*) FROM \(f.tag)_base_2.users") == "0")
        #expect(try f.danglingRows(2) == 0)
        #expect(try f.leftovers() == "")
    }
}
