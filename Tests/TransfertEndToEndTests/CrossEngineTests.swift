import Foundation
import Testing
import TransfertTestSupport

/// Issue #30, "Across engines": establishments travel SQLite → PostgreSQL → MariaDB → SQLite through bundles, each
/// hosting giving them new ids; at every step the per-table content digests of the bundle the engine exports are the
/// first bundle's, the GUIDs are kept, and at the end the SQLite databases digest (by Python alone,
/// Tests/Tools/table_digests.py) exactly as the ones the trip started from.
@Suite("Across engines", .serialized)
struct CrossEngineTests {
    /// Per establishment GUID, per table: rows and SHA-256, as the bundle's manifest.json says (read with unzip).
    func manifestDigests(_ zip: String) throws -> [String: [String: String]] {
        let manifest = try run(try #require(which("unzip")), ["-p", zip, "manifest.json"])
        #expect(manifest.status == 0, "\(manifest.stderr)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(manifest.stdout.utf8)) as? [String: Any])
        var out: [String: [String: String]] = [:]
        for establishment in try #require(json["establishments"] as? [[String: Any]]) {
            let guid = try #require(establishment["guid"] as? String)
            var tables: [String: String] = [:]
            for table in try #require(establishment["tables"] as? [[String: Any]]) {
                tables["\(table["table"] ?? "")"] = "\(table["rows"] ?? "") \(table["sha256"] ?? "")"
            }
            out[guid] = tables
        }
        return out
    }

    /// Per table: rows and SHA-256 of a SQLite database, computed by Python.
    func pythonDigests(_ database: String) throws -> [String: String] {
        let script = repositoryRoot.appendingPathComponent("Tests/Tools/table_digests.py").path
        let result = try run(try #require(which("python3")), [script, database])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        var out: [String: String] = [:]
        for (table, value) in json {
            let entry = try #require(value as? [String: Any])
            out[table] = "\(entry["rows"] ?? "") \(entry["sha256"] ?? "")"
        }
        return out
    }

    /// GUID → id of a hosting's establishments.
    func ids(_ workspace: Workspace, _ hosting: String) throws -> [String: Int] {
        let list = try #require(
            try workspace.json(try workspace.succeed(["structure", "list", "--json"], hosting: hosting))
                as? [[String: Any]])
        var out: [String: Int] = [:]
        for row in list { out["\(row["guid"] ?? "")"] = row["base_id"] as? Int }
        return out
    }

    @Test func sqliteToPostgreSQLToMariaDBToSQLiteKeepsEveryDigest() throws {
        let postgres = try PostgreSQLTestServer.shared()
        let mariadb = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        let tag = "c\(UUID().uuidString.prefix(6).lowercased())"

        // The start: two establishments on SQLite, their digests taken by Python.
        try workspace.initHosting("lite")
        try workspace.succeed(["sample", "--structures", "2", "--students", "30", "--seed", "61"], hosting: "lite")
        let start = try ids(workspace, "lite")
        #expect(start.count == 2)
        var original: [String: [String: String]] = [:]
        for (guid, id) in start {
            original[guid] = try pythonDigests(workspace.path("lite/bases/base_\(id).sqlite"))
        }
        try workspace.succeed(["export", "--all", "--out", workspace.path("1-from-sqlite")], hosting: "lite")
        let first = try bundlePair(in: "1-from-sqlite", workspace)
        let digests = try manifestDigests(first.zip)
        #expect(Set(digests.keys) == Set(start.keys))
        for (guid, tables) in digests {
            #expect(tables == original[guid], "the export's digests are Python's for \(guid)")
        }

        /// Imports `bundle` into `hosting` (which has establishments of its own, so ids move), proves it against
        /// the bundle, exports it again to `folder`: that bundle's digests must be the first one's.
        func step(_ bundle: (csv: String, zip: String), into hosting: String, exportTo folder: String) throws -> (
            csv: String, zip: String
        ) {
            try workspace.succeed(["zone", "add", "Académie de Besançon"], hosting: hosting)
            try workspace.succeed(["sample", "--structures", "1", "--students", "3", "--seed", "62"], hosting: hosting)
            let imported = try workspace.succeed(["import", bundle.csv, bundle.zip], hosting: hosting)
            #expect(!imported.stdout.contains("differs from a fresh establishment"), "\(imported.stdout)")
            let deep = try workspace.succeed(
                ["verify", "--deep", "--against-source", bundle.csv, bundle.zip], hosting: hosting)
            #expect(deep.stdout.contains("VERIFIED (deep, against source)"), "\(hosting): \(deep.stdout)")
            let here = try ids(workspace, hosting)
            for (guid, id) in start {
                let newID = try #require(here[guid], "GUID \(guid) kept on \(hosting)")
                #expect(newID != id, "\(hosting) gave \(guid) a new id (its own establishment holds \(id))")
            }
            let moved = start.keys.compactMap { here[$0] }.sorted().map(String.init).joined(separator: ",")
            try workspace.succeed(["export", "--ids", moved, "--out", workspace.path(folder)], hosting: hosting)
            let next = try bundlePair(in: folder, workspace)
            #expect(try manifestDigests(next.zip) == digests, "per-table digests after \(hosting) equal the start's")
            return next
        }

        // SQLite → PostgreSQL.
        let pgAccount = try makePostgreSQLOperator(workspace, server: postgres)
        let pg = try initPostgreSQL(
            workspace, "pg", server: postgres, account: pgAccount, registry: "\(tag)_registry", prefix: "\(tag)_")
        try #require(pg.status == 0, "\(pg.transcript)")
        let second = try step(first, into: "pg", exportTo: "2-from-postgres")
        // Rows counted by psql, independently, equal the start's.
        let pgIDs = try ids(workspace, "pg")
        for (guid, tables) in original {
            let count = try PSQL(postgres).value(
                "SELECT COUNT(*) FROM grades", database: "\(tag)_base_\(try #require(pgIDs[guid]))")
            #expect(tables["grades"]?.hasPrefix("\(count) ") == true, "grades of \(guid) on PostgreSQL: \(count)")
        }

        // PostgreSQL → MariaDB.
        let mariaAccount = try makeOperator(workspace, server: mariadb)
        let maria = try initMariaDB(
            workspace, "maria", server: mariadb, account: mariaAccount, registry: "\(tag)_registry", prefix: "\(tag)_")
        try #require(maria.status == 0, "\(maria.transcript)")
        let third = try step(second, into: "maria", exportTo: "3-from-mariadb")

        // MariaDB → SQLite: the databases digest, by Python, exactly as at the start.
        try workspace.initHosting("end", name: "serveur-d", baseURL: "https://d.example.org/sacoche/")
        _ = try step(third, into: "end", exportTo: "4-from-sqlite")
        let end = try ids(workspace, "end")
        for (guid, tables) in original {
            let id = try #require(end[guid])
            #expect(
                try pythonDigests(workspace.path("end/bases/base_\(id).sqlite")) == tables,
                "\(guid): every table of the SQLite database at the end digests as at the start")
        }
    }

    /// A bundle from PostgreSQL goes straight to SQLite and to MariaDB too, and from MariaDB to PostgreSQL: every
    /// engine imports what every other exports.
    @Test func everyEngineImportsWhatEveryOtherExports() throws {
        let postgres = try PostgreSQLTestServer.shared()
        let mariadb = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        let tag = "d\(UUID().uuidString.prefix(6).lowercased())"
        let pgAccount = try makePostgreSQLOperator(workspace, server: postgres)
        let mariaAccount = try makeOperator(workspace, server: mariadb)
        #expect(
            try initPostgreSQL(
                workspace, "pg", server: postgres, account: pgAccount, registry: "\(tag)_registry", prefix: "\(tag)_"
            ).status == 0)
        #expect(
            try initMariaDB(
                workspace, "maria", server: mariadb, account: mariaAccount, registry: "\(tag)_registry",
                prefix: "\(tag)_"
            ).status == 0)
        try workspace.succeed(["sample", "--structures", "1", "--students", "12", "--seed", "63"], hosting: "pg")
        try workspace.succeed(["sample", "--structures", "1", "--students", "12", "--seed", "64"], hosting: "maria")
        try workspace.succeed(["export", "--all", "--out", workspace.path("pg-out")], hosting: "pg")
        try workspace.succeed(["export", "--all", "--out", workspace.path("maria-out")], hosting: "maria")
        let fromPG = try bundlePair(in: "pg-out", workspace)
        let fromMaria = try bundlePair(in: "maria-out", workspace)
        try workspace.initHosting("lite")
        for (bundle, hosting) in [(fromPG, "lite"), (fromPG, "maria"), (fromMaria, "pg"), (fromMaria, "lite")] {
            let imported = try workspace.succeed(["import", bundle.csv, bundle.zip], hosting: hosting)
            #expect(imported.stdout.contains("1 imported, 0 failed"), "\(hosting): \(imported.stdout)")
            let proven = try workspace.succeed(
                ["verify", "--against-source", bundle.csv, bundle.zip], hosting: hosting)
            #expect(proven.stdout.contains("VERIFIED"), "\(hosting): \(proven.stdout)")
        }
    }
}
