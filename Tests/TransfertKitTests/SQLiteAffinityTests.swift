import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The restore's prediction of SQLite's type-affinity conversions (``StoredValueCheck``,
/// ``SQLiteNumericText``) against the SQLite the program is linked with: every affinity (declared types
/// of each rule, STRICT tables, `ANY`) × every value kind, including generated texts around the number
/// syntax. A value predicted unchanged must come back from the database as it was bound; a value
/// predicted converted must not.
@Suite("SQLite affinity prediction")
struct SQLiteAffinityTests {
    /// Declared types covering each affinity rule, and STRICT tables.
    static let columns: [(declared: String, strict: Bool)] = [
        ("INTEGER", false), ("BIGINT", false), ("REAL", false), ("DOUBLE PRECISION", false), ("FLOAT", false),
        ("NUMERIC", false), ("DECIMAL(10,2)", false), ("DATETIME", false), ("BOOLEAN", false), ("ANY", false),
        ("TEXT", false), ("VARCHAR(40)", false), ("CLOB", false), ("BLOB", false), ("", false),
        ("INTEGER", true), ("INT", true), ("REAL", true), ("TEXT", true), ("BLOB", true), ("ANY", true),
    ]

    /// Texts at the edges of SQLite's number syntax, then generated ones from the bytes that matter.
    static func texts() -> [String] {
        var texts = [
            "", " ", "1", "-1", "+1", " 1 ", "\t1\n", "\u{0B}5\u{0C}", "\r7\r", "1.", ".5", "-.5", "+.5e-1", ".",
            "-", "+", "e5", "1e", "1e+", "1e-", "1E5", "1.e5", "3.0e+5", "0x10", "0X1F", "1 2", "1_000", "١",
            "Inf", "-Infinity", "NaN", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "-9223372036854775809", "99999999999999999999999", "1e400", "-1e400", "0.1", "00012", "2024-01-01",
            "2024-01-01 10:00:00", "12:30", "1,5", "1..2", "1e5e5", "--1", "+-1", "1\u{0}", "\u{0}1", "1 x",
            "0000000000000000000000000000000.5", "12345678901234567890.5", "1.0", "-0", "-0.0", "1e-400",
            "abc", "é", "true", "NULL",
        ]
        var generator = SeededGenerator(seed: 29)
        let alphabet: [String] = [" ", "\t", "\n", "\u{0B}", "+", "-", ".", "e", "E", "0", "1", "9", "x", "a"]
        for _ in 0..<400 {
            texts.append((0..<generator.int(1...7)).map { _ in generator.pick(alphabet) }.joined())
        }
        return texts
    }

    static let integers: [Int64] = [0, 1, -1, 42, Int64.max, Int64.min, 1 << 53 + 1]
    static let reals: [Double] = [
        0, -0.0, 1.5, -2.25, 2.0, -7.0, 1e18, 9.2e18, 9.223372036854775807e18, -9.223372036854775808e18,
        -9.2e18, 1e300, .infinity, -.infinity, 1e-300, 0.1, 4_503_599_627_370_497,
    ]

    static func values() -> [SQLValue] {
        [.null, .blob(Data()), .blob(Data([0x31])), .blob(Data("12".utf8))]
            + integers.map { .integer($0) } + reals.map { .real($0) } + texts().map { .text($0) }
    }

    @Test(arguments: Self.columns.indices)
    func predictionMatchesWhatSQLiteStores(_ which: Int) throws {
        let (declared, strict) = Self.columns[which]
        let column = ColumnSchema(name: "c", declaredType: declared)
        let table = TableSchema(
            name: "t",
            columns: [
                ColumnSchema(name: "n", declaredType: "INTEGER", constraints: [ColumnConstraint(.primaryKey)]), column,
            ],
            strict: strict)
        let affinity = SQLiteAffinity(of: column, strict: strict)
        let values = Self.values()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("affinity-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = SQLiteEstablishmentStore(directory: directory, durable: false)
        try store.create(baseID: 1, schema: DatabaseSchema())
        // Rows SQLite refused (a STRICT table's datatype mismatch): a refusal, never a silent change.
        var refused = Set<Int64>()
        try store.load(baseID: 1) { writer in
            try writer.createTable(table)
            let inserter = try writer.makeInserter(table: "t", columns: ["n", "c"])
            for (number, value) in values.enumerated() {
                do { try inserter.insert([.integer(Int64(number)), value]) } catch { refused.insert(Int64(number)) }
            }
        }
        var stored: [Int64: SQLValue] = [:]
        try store.read(baseID: 1) { reader in
            try reader.forEachRawRow(of: "t", columns: ["n", "c"]) { row in
                stored[row.integer(at: 0)] = row.value(at: 1)
            }
        }
        #expect(!strict || !refused.isEmpty || declared == "ANY" || declared == "BLOB")
        for (number, value) in values.enumerated() where !refused.contains(Int64(number)) {
            let back = try #require(stored[Int64(number)])
            let predicted = StoredValueCheck.change(of: SQLValueRow(values: [value]), at: 0, affinity: affinity)
            let label = "\(value.sqlLiteral) into \(declared)\(strict ? " STRICT" : "") came back as \(back.sqlLiteral)"
            if predicted == nil {
                #expect(Self.same(value, back), "predicted unchanged: \(label)")
            } else {
                #expect(!Self.same(value, back), "predicted \(predicted!.stored): \(label)")
                if case .realToInteger(let integer) = predicted { #expect(back == .integer(integer), "\(label)") }
            }
        }
    }

    /// Equal as the content digest sees them: same storage class, same value (a negative zero is zero).
    static func same(_ a: SQLValue, _ b: SQLValue) -> Bool {
        if case .real(let x) = a, case .real(let y) = b { return x == y }
        return a == b
    }

    @Test func numericTextRuleOnItsOwn() {
        func number(_ text: String) -> Bool {
            var text = text
            return text.withUTF8 { SQLiteNumericText.isNumber(UnsafeRawBufferPointer($0)) }
        }
        for text in ["1", " -1 ", ".5", "5.", "1e5", "+.5e-1", "\u{0B}5\u{0C}", "99999999999999999999"] {
            #expect(number(text), "\(text)")
        }
        for text in ["", " ", ".", "-", "1e", "1e+", "0x10", "1 2", "١", "Inf", "1\u{0}", "e5"] {
            #expect(!number(text), "\(text)")
        }
    }

    /// The parser refuses a value SQLite would convert at its place, naming table, row and column, and
    /// accepts the same dump when no engine rules are given (MariaDB) or the values are stored as parsed.
    @Test func parserRefusesAConvertedValueWithItsPlace() throws {
        let dump = """
            BEGIN TRANSACTION;
            CREATE TABLE "probe" ("id" INTEGER PRIMARY KEY, "when" DATETIME, "n" INTEGER, "label" TEXT);
            INSERT INTO "probe" ("id", "when", "n", "label") VALUES (1, '2024-01-01', 5, 'a'), (2, NULL, 'x1', '1');
            INSERT INTO "probe" ("id", "when", "n", "label") VALUES
              (3, '12:30', -4, 'b'),
              (4, 'soon', ' 12 ', 'c');
            COMMIT;

            """
        func parse(_ rules: StoredValueRules?) -> DumpParseError? {
            var parser = DumpParser(handler: RecordingHandler())
            parser.storedValueRules = rules
            parser.startEntry("base_1/000001.sql")
            do {
                try parser.feed(Data(dump.utf8))
                try parser.finishEntry()
                try parser.finish()
                return nil
            } catch let error as DumpParseError {
                return error
            } catch {
                Issue.record("unexpected \(error)")
                return nil
            }
        }
        #expect(parse(nil) == nil)
        let error = try #require(parse(.sqliteTypeAffinity))
        #expect(error.position.line == 6)
        #expect(error.position.column == 15)
        #expect(error.message.contains("table probe, row 4, column n"), "\(error)")
        #expect(error.message.contains("' 12 '"), "\(error)")
        #expect(error.message.contains("INTEGER affinity"), "\(error)")
        #expect(error.message.contains("export the establishment again"), "\(error)")
    }
}
