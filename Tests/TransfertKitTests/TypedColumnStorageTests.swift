import Foundation
import Testing
import TransfertTestSupport

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The restore's prediction of what MariaDB stores (``TypedColumnStorage``, ``StoredValueCheck``)
/// against a real server: every column type a neutral table is created with (BIGINT, DOUBLE, LONGTEXT,
/// VARCHAR(768) in a key, LONGBLOB, VARBINARY(3072) in a key) × every value kind, texts at the edges of
/// MySQL's number syntax included. The values predicted unchanged go in with one `LOAD DATA` (the
/// import's own path) and must come back as they were bound — read by the store's reader and by the
/// `mariadb` client's `HEX()`; each value predicted changed is loaded alone and must be refused or come
/// back different.
@Suite("MariaDB stored-value prediction", .serialized)
struct TypedColumnStorageTests {
    /// The declared column and whether a key uses it (VARCHAR/VARBINARY instead of LONGTEXT/LONGBLOB).
    static let columns: [(declared: String, keyed: Bool)] = [
        ("INTEGER", false), ("REAL", false), ("TEXT", false), ("TEXT", true), ("BLOB", false), ("BLOB", true),
    ]

    static let texts: [String] = [
        "", " ", "1", "-1", "+1", " 1 ", "1 ", "\t1\n", "1.", ".5", "1e3", "1E5", "0x10", "0X1F", "1_000", "1,5",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e400", "0.1", "00012",
        "2024-01-01", "12:30", "abc", "é", "true", "NULL", "\\N", "Inf", "NaN", "-0", "1\u{0}", "tab\there",
        String(repeating: "a", count: 768), String(repeating: "a", count: 769), String(repeating: "é", count: 768),
        String(repeating: "é", count: 769), String(repeating: "😀", count: 768), String(repeating: "😀", count: 769),
    ]

    static func values() -> [SQLValue] {
        [.null, .blob(Data()), .blob(Data([0x31])), .blob(Data("12".utf8)), .blob(Data([0x00, 0xFF]))]
            + [.blob(Data(repeating: 0xAB, count: 3072)), .blob(Data(repeating: 0xAB, count: 3073))]
            + [0, 1, -1, 42, Int64.max, Int64.min].map { .integer($0) }
            + [0, -0.0, 1.5, -2.25, 2.0, 2.5, 1e18, 1e300, 0.1, 5e-324, .infinity, -.infinity].map { .real($0) }
            + texts.map { .text($0) }
    }

    static func table(_ declared: String, keyed: Bool) -> TableSchema {
        TableSchema(
            name: "t",
            columns: [
                ColumnSchema(name: "id", declaredType: "INTEGER", constraints: [ColumnConstraint(.primaryKey)]),
                ColumnSchema(name: "c", declaredType: declared, constraints: keyed ? [ColumnConstraint(.unique)] : []),
            ])
    }

    @Test(arguments: Self.columns.indices)
    func predictionMatchesWhatMariaDBStores(_ which: Int) throws {
        let server = try MariaDBTestServer.shared()
        let (declared, keyed) = Self.columns[which]
        let table = Self.table(declared, keyed: keyed)
        let storage = try #require(TypedColumnStorage(mariadb: table.columns[1], keyed: keyed))
        let tag = "v\(UUID().uuidString.prefix(6).lowercased())_"
        let store = MariaDBEstablishmentStore(
            settings: MariaDBSettings(socket: server.socket, user: "root"), prefix: tag, credentialsDirectory: nil)
        defer { try? store.remove(baseID: 1) }
        try store.create(baseID: 1, schema: DatabaseSchema(tables: [table]))
        let created = try server.client(
            "SELECT UPPER(COLUMN_TYPE) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '\(tag)base_1' AND COLUMN_NAME = 'c'"
        )
        let type = created.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(type == storage.declaration || type == storage.declaration + "(20)", "\(type)")
        let values = Self.values()
        let predictions = values.map { storage.change(of: SQLValueRow(values: [$0]), at: 0) }
        // Unique keys hold each value once: a key column gets the distinct ones (NULLs apart), as its
        // PAD SPACE collation sees them ('1' and '1 ' are one key).
        var seen = Set<SQLValue>()
        let kept = values.indices.filter { index in
            guard predictions[index] == nil else { return false }
            guard keyed, case .text(let text) = values[index] else {
                return !keyed || values[index] == .null || seen.insert(values[index]).inserted
            }
            return seen.insert(.text(String(text.reversed().drop { $0 == " " }.reversed()))).inserted
        }
        try store.load(baseID: 1) { writer in
            try writer.makeInserter(table: "t", columns: ["id", "c"]).insert(
                rows: kept.map { SQLValueRow(values: [.integer(Int64($0)), values[$0]]) })
        }
        let back = try Self.read(store)
        let hexes = try Self.hexes(server, database: "\(tag)base_1")
        for index in kept {
            let label = "\(values[index].sqlLiteral.prefix(60)) into \(storage.declaration)"
            #expect(back[Int64(index)].map { Self.same(values[index], $0) } == true, "predicted unchanged: \(label)")
            if let expected = Self.hex(values[index]) {
                #expect(hexes[Int64(index)] == expected, "HEX() of \(label)")
            }
        }
        for index in values.indices where predictions[index] != nil {
            let label = "\(values[index].sqlLiteral.prefix(60)) into \(storage.declaration)"
            let loaded =
                (try? store.load(baseID: 1) { writer in
                    try writer.makeInserter(table: "t", columns: ["id", "c"]).insert(
                        rows: [SQLValueRow(values: [.integer(Int64(1000 + index)), values[index]])])
                }) != nil
            guard loaded else { continue }  // refused by the server: never a silent change
            let stored = try #require(try Self.read(store)[Int64(1000 + index)], "\(label)")
            #expect(!Self.same(values[index], stored), "predicted \(predictions[index]!.stored): \(label)")
        }
    }

    /// A restore's connection is closed when its transaction ends, whether it loaded or failed: one left
    /// open per restore ran a many-establishment `verify --deep` out of the server's connections.
    @Test func aLoadLeavesNoConnectionOpen() throws {
        let server = try MariaDBTestServer.shared()
        let tag = "c\(UUID().uuidString.prefix(6).lowercased())_"
        let store = MariaDBEstablishmentStore(
            settings: MariaDBSettings(socket: server.socket, user: "root"), prefix: tag, credentialsDirectory: nil)
        defer { try? store.remove(baseID: 1) }
        try store.create(baseID: 1, schema: DatabaseSchema(tables: [Self.table("INTEGER", keyed: false)]))
        func connections() throws -> Int {
            let output = try server.client(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '\(tag)base_1'"
            ).output
            return Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        for n in 0..<5 {
            // Half of them refused (text in a BIGINT column), half stored.
            let value: SQLValue = n % 2 == 0 ? .text("x") : .integer(1)
            _ = try? store.load(baseID: 1) { writer in
                try writer.makeInserter(table: "t", columns: ["id", "c"]).insert(
                    rows: [SQLValueRow(values: [.integer(Int64(n)), value])])
            }
        }
        // The server ends a closed session's thread a moment after the client's QUIT.
        var open = try connections()
        for _ in 0..<20 where open > 0 {
            Thread.sleep(forTimeInterval: 0.1)
            open = try connections()
        }
        #expect(open == 0)
    }

    static func read(_ store: MariaDBEstablishmentStore) throws -> [Int64: SQLValue] {
        var back: [Int64: SQLValue] = [:]
        try store.read(baseID: 1) { reader in
            try reader.forEachRow(of: "t", columns: ["id", "c"]) { row in
                if case .integer(let id) = row[0] { back[id] = row[1] }
            }
        }
        return back
    }

    /// `HEX()` of each stored value as the `mariadb` client reads it (NULL as `NULL`).
    static func hexes(_ server: MariaDBTestServer, database: String) throws -> [Int64: String] {
        let result = try server.client("SELECT id, COALESCE(HEX(CAST(c AS BINARY)), 'NULL') FROM t", database: database)
        #expect(result.status == 0, "\(result.output)")
        var hexes: [Int64: String] = [:]
        for line in result.output.split(separator: "\n") {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            if parts.count == 2, let id = Int64(parts[0]) { hexes[id] = String(parts[1]) }
        }
        return hexes
    }

    /// What `HEX(CAST(c AS BINARY))` shows for a value stored as it was bound; nil for reals, whose text
    /// MariaDB spells its own way (the reader compares them).
    static func hex(_ value: SQLValue) -> String? {
        func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02X", $0) }.joined() }
        switch value {
        case .null: return "NULL"
        case .integer(let integer): return hex(String(integer).utf8)
        case .real: return nil
        case .text(let text): return hex(text.utf8)
        case .blob(let data): return hex(data)
        }
    }

    /// Equal as the content digest sees them: same kind, same value (a negative zero is zero).
    static func same(_ a: SQLValue, _ b: SQLValue) -> Bool {
        if case .real(let x) = a, case .real(let y) = b { return x == y }
        return a == b
    }

    /// The parser refuses a value MariaDB would convert at its place, naming table, row, column and the
    /// type the column is created with; a MySQL table's values are not predicted (it is read back).
    @Test func parserRefusesAConvertedValueWithItsPlaceAndLeavesMySQLTablesToTheReadBack() throws {
        let dump = """
            BEGIN TRANSACTION;
            CREATE TABLE "probe" ("id" INTEGER PRIMARY KEY, "n" INTEGER, "r" REAL, "label" TEXT);
            INSERT INTO "probe" ("id", "n", "r", "label") VALUES (1, 5, 1.5, 'a'), (2, NULL, -0.25, 'x1');
            INSERT INTO "probe" ("id", "n", "r", "label") VALUES
              (3, -4, 2.0, 'b'),
              (4, 7, 3, 'c');
            COMMIT;

            """
        var parser = DumpParser(handler: RecordingHandler())
        parser.storedValueRules = .mariadbColumnTypes
        parser.startEntry("base_1/000001.sql")
        let error = try #require(throws: DumpParseError.self) {
            try parser.feed(Data(dump.utf8))
            try parser.finishEntry()
        }
        #expect(error.position.line == 6)
        #expect(error.position.column == 10)
        #expect(error.message.contains("table probe, row 4, column r: the value 3 would be stored by MariaDB"))
        #expect(error.message.contains("created DOUBLE"), "\(error)")
        #expect(error.message.contains("as a real, not as an integer"), "\(error)")
        #expect(error.message.contains("import it into a SQLite hosting"), "\(error)")
        // The same rows are what SQLite keeps as they are (an integer in REAL is its affinity's job).
        var mysql = TableSchema(name: "m", columns: [ColumnSchema(name: "v", declaredType: "INTEGER")])
        #expect(StoredValueRules.mariadbColumnTypes.predictsEveryValue(of: mysql))
        mysql.mysql = MySQLTableDefinition(columns: [])
        #expect(!StoredValueRules.mariadbColumnTypes.predictsEveryValue(of: mysql))
        #expect(StoredValueCheck(rules: .mariadbColumnTypes, table: mysql, columns: ["v"]).checksNothing)
    }
}
