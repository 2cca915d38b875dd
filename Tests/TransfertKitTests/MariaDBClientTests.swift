import Foundation
import Testing
import TransfertTestSupport

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The MariaDB client layer against a real server (started on loopback by the tests): every neutral
/// value crosses the binary protocol and comes back the same, errors name the server and never the
/// password.
@Suite("MariaDB client", .serialized)
struct MariaDBClientTests {
    func root(database: String? = nil) throws -> MariaDBConnection {
        let server = try MariaDBTestServer.shared()
        return try MariaDBConnection(MariaDBSettings(socket: server.socket, user: "root", database: database))
    }

    @Test func everyValueTypeRoundTripsExactly() throws {
        let connection = try root()
        try connection.execute("DROP DATABASE IF EXISTS client_values")
        try connection.execute("CREATE DATABASE client_values CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        let db = try root(database: "client_values")
        try db.execute(
            "CREATE TABLE v (id BIGINT PRIMARY KEY, i BIGINT, r DOUBLE, t LONGTEXT, b LONGBLOB) ENGINE=InnoDB")
        let big = Data((0..<1_500_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let rows: [[SQLValue]] = [
            [.integer(1), .integer(.max), .real(-0.0), .text("Hélène Dupré, élève de 5ᵉ — Œuvre 🎓"), .blob(Data())],
            [.integer(2), .integer(.min), .real(1e308), .text("a\u{0}b\r\nc"), .blob(Data((0...255).map(UInt8.init)))],
            [.integer(3), .null, .real(.leastNonzeroMagnitude), .text(""), .null],
            [.integer(4), .integer(0), .real(0.1 + 0.2), .text(String(repeating: "é", count: 300_000)), .blob(big)],
        ]
        let insert = try db.prepare("INSERT INTO v (id, i, r, t, b) VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)")
        try insert.execute(rows: rows.prefix(2).map(SQLValueRow.init))
        try insert.execute(rows: rows.suffix(2).map(SQLValueRow.init))
        var read: [[SQLValue]] = []
        try db.prepare("SELECT id, i, r, t, b FROM v ORDER BY id").forEachRow { row in
            read.append((0..<row.count).map { row.value(at: $0) })
        }
        #expect(read.count == rows.count)
        for (got, wanted) in zip(read, rows) {
            #expect(got == wanted, "row \(wanted[0])")
            if case .real(let value) = got[2], case .real(let expected) = wanted[2], expected != 0 {
                #expect(value.bitPattern == expected.bitPattern, "the same bits")
            }
        }
        // MariaDB keeps no sign on a zero: the content digest treats -0.0 as 0.0 for that reason.
        var zero = ContentDigest(columns: ["r"])
        var negativeZero = ContentDigest(columns: ["r"])
        zero.add(row: SQLValueRow(values: [.real(0.0)]))
        negativeZero.add(row: SQLValueRow(values: [.real(-0.0)]))
        #expect(zero.finalize() == negativeZero.finalize())
        // An independent tool sees the same text.
        let server = try MariaDBTestServer.shared()
        #expect(
            try server.client("SELECT t FROM v WHERE id = 1", database: "client_values").output
                .trimmingCharacters(in: .newlines) == "Hélène Dupré, élève de 5ᵉ — Œuvre 🎓")
        try connection.execute("DROP DATABASE client_values")
    }

    @Test func aWrongPasswordNamesTheServerAndWhatToDoButNotThePassword() throws {
        let server = try MariaDBTestServer.shared()
        let secret = "not-the-password-\(UUID().uuidString)"
        do {
            _ = try MariaDBConnection(MariaDBSettings(port: server.port, user: "root", password: secret))
            Issue.record("a wrong password connected")
        } catch let error as MariaDBError {
            #expect(error.code == 1045)
            #expect(error.description.contains("127.0.0.1:\(server.port)"), "\(error)")
            #expect(error.description.contains("password-file"), "\(error)")
            #expect(!error.description.contains(secret), "\(error)")
        }
        do {
            _ = try MariaDBConnection(
                MariaDBSettings(socket: server.directory.appendingPathComponent("none.sock").path, user: "root"))
            Issue.record("a missing socket connected")
        } catch let error as MariaDBError {
            #expect(error.description.contains("Is the server running"), "\(error)")
        }
    }

    @Test func aPasswordInTheURLIsRefused() throws {
        #expect(throws: DatabaseURLError(.mariadb, .passwordInURL)) {
            try MariaDBSettings(url: "mysql://admin:secret@db.example.org:3307/registry")
        }
        let settings = try MariaDBSettings(url: "mysql://admin@db.example.org:3307/registry")
        #expect(
            settings.host == "db.example.org" && settings.port == 3307 && settings.database == "registry"
                && settings.user == "admin")
        let socket = try MariaDBSettings(url: "mysql://admin@localhost/registry?socket=/run/mysqld/mysqld.sock")
        #expect(socket.socket == "/run/mysqld/mysqld.sock")
        #expect(socket.url == "mysql://admin@localhost/registry?socket=/run/mysqld/mysqld.sock")
    }

    @Test func aBulkLoadCarriesEveryByteAndRefusesWhatItWouldChange() throws {
        let server = try MariaDBTestServer.shared()
        let tag = "l\(UUID().uuidString.prefix(6).lowercased())_"
        let store = MariaDBEstablishmentStore(
            settings: MariaDBSettings(socket: server.socket, user: "root"), prefix: tag, credentialsDirectory: nil)
        defer { try? store.remove(baseID: 1) }
        try store.create(
            baseID: 1,
            schema: try DatabaseSchema(
                parsing: "CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, r REAL, x TEXT, b BLOB);"))
        let special = "tab\there\nnewline\r\nCRLF back\\slash \\N not null \u{0} nul « é »"
        let rows: [[SQLValue]] = [
            [
                .integer(1), .integer(.min), .real(.leastNonzeroMagnitude), .text(special),
                .blob(Data((0...255).map(UInt8.init))),
            ],
            [.integer(2), .null, .null, .text(""), .blob(Data())],
            [.integer(3), .integer(.max), .real(0.1 + 0.2), .text("\\N"), .blob(Data([0x5C, 0x4E, 0x09, 0x0A]))],
        ]
        try store.load(baseID: 1) { writer in
            try writer.makeInserter(table: "t", columns: ["id", "i", "r", "x", "b"]).insert(
                rows: rows.map(SQLValueRow.init))
        }
        var read: [[SQLValue]] = []
        try store.read(baseID: 1) { reader in
            try reader.forEachRow(of: "t", columns: ["id", "i", "r", "x", "b"]) { read.append($0) }
        }
        #expect(read == rows, "every byte as given, \\N text and empty values included")
        // A value the server would change is an error, not a quiet conversion.
        #expect(throws: (any Error).self) {
            try store.load(baseID: 1) { writer in
                try writer.makeInserter(table: "t", columns: ["id", "r"]).insert(rows: [
                    SQLValueRow(values: [.integer(9), .real(.infinity)]),
                    SQLValueRow(values: [.integer(10), .real(1)]),
                ])
            }
        }
        #expect(throws: (any Error).self) {
            try store.load(baseID: 1) { writer in
                try writer.makeInserter(table: "t", columns: ["id", "i"]).insert(rows: [
                    SQLValueRow(values: [.integer(11), .text("douze")]),
                    SQLValueRow(values: [.integer(12), .integer(1)]),
                ])
            }
        }
    }

    /// A bulk load creates its tables with their primary key and CHECKs only, sends all of a table's
    /// batches as one `LOAD DATA` (InnoDB's bulk insert into an empty table lasts one statement), and
    /// builds the unique keys, foreign keys and indexes it held back once the rows are in: a duplicate is
    /// refused there, so the per-row check the load skipped is still proved, and nothing is left out.
    @Test func aBulkLoadHoldsKeysBackSendsATableAsOneStatementAndBuildsThemAfter() throws {
        let server = try MariaDBTestServer.shared()
        let tag = "k\(UUID().uuidString.prefix(6).lowercased())_"
        let store = MariaDBEstablishmentStore(
            settings: MariaDBSettings(socket: server.socket, user: "root"), prefix: tag, credentialsDirectory: nil)
        defer {
            try? store.remove(baseID: 1)
            try? store.remove(baseID: 2)
        }
        let schema = try DatabaseSchema(
            parsing: """
                CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);
                CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER NOT NULL REFERENCES p(id), n INTEGER CHECK (n >= 0));
                CREATE INDEX c_n ON c(n);
                """)
        let keys =
            "SELECT TABLE_NAME, INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1, 2"
        try store.create(baseID: 1, schema: try DatabaseSchema(parsing: ""))
        try store.load(baseID: 1) { writer in
            for table in schema.tables { try writer.createTable(table) }
            #expect(
                try writer.rows(keys, []) == [[.text("c"), .text("PRIMARY")], [.text("p"), .text("PRIMARY")]],
                "while rows go in, the tables have their primary key only")
            let children = try writer.makeInserter(table: "c", columns: ["id", "p_id", "n"])
            for batch in 0..<10 {
                try children.insert(
                    rows: (0..<100).map { i in
                        SQLValueRow(values: [.integer(Int64(batch * 100 + i + 1)), .integer(1), .integer(Int64(i))])
                    })
            }
            try writer.makeInserter(table: "p", columns: ["id", "code"]).insert(rows: [
                SQLValueRow(values: [.integer(1), .text("a")])
            ])
            let loads = try writer.rows(
                "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'COM_LOAD'", [])
            #expect(loads == [[.text("2")]], "one LOAD DATA per table, the ten batches of c included")
            for table in schema.tables { for index in table.indexes { try writer.createIndex(index, on: table.name) } }
            try writer.finishLoad()
            #expect(try writer.foreignKeyViolations(limit: 5).total == 0)
        }
        let admin = try root(database: store.databaseName(baseID: 1))
        #expect(
            Set(try admin.query(keys).map { $0.compactMap { $0 }.joined(separator: ".") })
                == ["c.PRIMARY", "c.c_n", "c.p_id", "p.PRIMARY", "p.code"],
            "every key and index is built once the rows are in")
        let foreignKeys = try admin.query(
            "SELECT TABLE_NAME, REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"
        )
        #expect(foreignKeys == [["c", "p"]])
        #expect(try admin.scalar("SELECT COUNT(*) FROM c") == "1000")

        // A duplicate in a unique column: refused when the key is built, even when the caller never asks for it.
        try store.create(baseID: 2, schema: try DatabaseSchema(parsing: ""))
        #expect {
            try store.load(baseID: 2) { writer in
                for table in schema.tables { try writer.createTable(table) }
                try writer.makeInserter(table: "p", columns: ["id", "code"]).insert(rows: [
                    SQLValueRow(values: [.integer(1), .text("same")]),
                    SQLValueRow(values: [.integer(2), .text("same")]),
                ])
            }
        } throws: { error in
            "\(error)".contains("Duplicate entry 'same'")
        }
    }

    /// The throwaway server leaves nothing in the temporary directory when the test process ends, however
    /// it ends: its shell stops it and removes its ~200 MB directory (the shared server is never deinitialised).
    @Test func theServersDirectoryGoesWithTheTestProcess() throws {
        let server = try MariaDBTestServer.dedicated()
        #expect(FileManager.default.fileExists(atPath: server.directory.appendingPathComponent("data").path))
        server.endAsTheTestProcessDoes()
        #expect(
            !FileManager.default.fileExists(atPath: server.directory.path), "\(server.directory.path) was left behind")
    }
}
