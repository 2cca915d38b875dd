import Foundation
import NIOCore
import Testing

@testable import TransfertFormats
@testable import TransfertModel
@testable import TransfertStorage

/// The pieces of the PostgreSQL client that need no server: placeholders, scripts, numeric, the dialect.
@Suite("PostgreSQL text")
struct PostgreSQLTextTests {
    @Test func questionMarksBecomeNumberedParametersOutsideQuotesAndComments() {
        #expect(PostgreSQLPlaceholders.numbered("SELECT 1") == "SELECT 1")
        #expect(
            PostgreSQLPlaceholders.numbered("UPDATE t SET a = ?, b = ? WHERE c = ?")
                == "UPDATE t SET a = $1, b = $2 WHERE c = $3")
        #expect(
            PostgreSQLPlaceholders.numbered("SELECT '?', \"q?\", 'it''s ?' FROM t WHERE a = ? -- why?\nAND b = ?")
                == "SELECT '?', \"q?\", 'it''s ?' FROM t WHERE a = $1 -- why?\nAND b = $2")
    }

    @Test func aScriptThatEndsInsideAQuoteIsRefused() {
        #expect(throws: PostgreSQLError.self) { try PostgreSQLScript.statements(in: "SELECT 'open; ", server: "s") }
        #expect(throws: PostgreSQLError.self) { try PostgreSQLScript.statements(in: "SELECT $a$ x", server: "s") }
        #expect(throws: PostgreSQLError.self) { try PostgreSQLScript.statements(in: "/* /* */", server: "s") }
        #expect(
            (try? PostgreSQLScript.statements(in: "SELECT $1; SELECT 2;\n-- end\n", server: "s"))
                == ["SELECT $1", "SELECT 2"])
    }

    /// numeric's binary form: count, weight, sign, scale, base-10000 digits.
    static func numeric(_ digits: [Int16], weight: Int16, sign: UInt16 = 0, scale: UInt16 = 0) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(Int16(digits.count))
        buffer.writeInteger(weight)
        buffer.writeInteger(sign)
        buffer.writeInteger(scale)
        for digit in digits { buffer.writeInteger(digit) }
        return buffer
    }

    @Test func numericReadsAsItsExactDecimalText() {
        #expect(PostgreSQLNumeric.text(from: Self.numeric([1, 2345], weight: 1)) == "12345")
        #expect(PostgreSQLNumeric.text(from: Self.numeric([500], weight: -1, sign: 0x4000, scale: 4)) == "-0.0500")
        #expect(PostgreSQLNumeric.text(from: Self.numeric([], weight: 0, scale: 2)) == "0.00")
        #expect(PostgreSQLNumeric.text(from: Self.numeric([1], weight: 2)) == "100000000")
        #expect(PostgreSQLNumeric.text(from: Self.numeric([], weight: 0, sign: 0xC000)) == "NaN")
        #expect(PostgreSQLNumeric.text(from: Self.numeric([], weight: 0, sign: 0xF000)) == "-Infinity")
        #expect(PostgreSQLNumeric.text(from: Self.numeric([10000], weight: 0)) == nil, "a digit out of range")
        #expect(PostgreSQLNumeric.text(from: Self.numeric([], weight: 0, sign: 0x1234)) == nil)
    }

    /// The dialect builds whole INSERTs: PostgreSQL's conflict clause comes last, the other engines' first,
    /// their statements the same as before the dialect built them whole.
    @Test func insertsOnConflictAreWholeStatementsInEveryDialect() {
        let columns = ["base_id", "kind", "message"]
        #expect(
            PostgreSQLDialect().insertOrReplace(into: "structure_lock", columns: columns, key: ["base_id"])
                == "INSERT INTO structure_lock (base_id, kind, message) VALUES (?, ?, ?) ON CONFLICT (base_id) DO UPDATE SET kind = EXCLUDED.kind, message = EXCLUDED.message"
        )
        #expect(
            PostgreSQLDialect().insertOrIgnore(into: "m", columns: ["identifier", "at"], key: ["identifier"])
                == "INSERT INTO m (identifier, at) VALUES (?, ?) ON CONFLICT (identifier) DO NOTHING")
        #expect(
            SQLiteDialect().insertOrIgnore(into: "m", columns: ["identifier", "at"], key: ["identifier"])
                == "INSERT OR IGNORE INTO m (identifier, at) VALUES (?, ?)")
        #expect(
            MariaDBDialect().insertOrReplace(into: "m", columns: ["identifier", "at"], key: ["identifier"])
                == "REPLACE INTO m (identifier, at) VALUES (?, ?)")
    }
}
