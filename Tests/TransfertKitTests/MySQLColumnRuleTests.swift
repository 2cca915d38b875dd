import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The one rule set for "would MySQL in strict mode store this value unchanged?" (``MySQLColumnRule``,
/// ``MySQLValueCoercion``), used by the SACoche dump parser, `export --format sacoche` and
/// `verify --deep`.
@Suite("MySQL column rules")
struct MySQLColumnRuleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var type: String
        var literal: MySQLLiteral
        var charset: String? = nil
        var notNull = false
        /// `nil`: accepted; else a part of the reason.
        var refusal: String?
        var testDescription: String { "\(type) ← \(literal)" }
    }

    static let cases: [Case] = [
        // (var)char length, in characters
        Case(type: "varchar(25)", literal: .string(String(repeating: "é", count: 25)), refusal: nil),
        Case(
            type: "varchar(25)", literal: .string(String(repeating: "a", count: 30)),
            refusal: "has 30 characters, more than varchar(25) holds"),
        Case(type: "char(8)", literal: .string("0250010A "), refusal: "more than char(8)"),
        Case(type: "char(8)", literal: .string("ab "), refusal: "ends with a space"),
        // text and blob byte limits
        Case(
            type: "text", literal: .string(String(repeating: "x", count: 70_000)),
            refusal: "70000 bytes is more than text holds (65535)"),
        Case(
            type: "tinytext", literal: .string(String(repeating: "é", count: 128)),
            refusal: "256 bytes is more than tinytext"),
        Case(type: "mediumtext", literal: .string(String(repeating: "x", count: 70_000)), refusal: nil),
        Case(
            type: "blob", literal: .bytes(Array(repeating: 0xFF, count: 65_536)),
            refusal: "65536 bytes is more than blob"),
        Case(type: "tinyblob", literal: .bytes([0xFF, 0x00]), refusal: nil),
        Case(type: "varbinary(4)", literal: .string("abcde"), refusal: "more than varbinary(4)"),
        Case(type: "binary(4)", literal: .string("ab"), refusal: "pads it with zero bytes"),
        // integers
        Case(type: "tinyint(3)", literal: .number("-128"), refusal: nil),
        Case(type: "tinyint(3)", literal: .number("128"), refusal: "out of the range of tinyint(3) (-128…127)"),
        Case(type: "tinyint(3) unsigned", literal: .number("-1"), refusal: "out of the range"),
        Case(type: "smallint(5) unsigned", literal: .number("65536"), refusal: "out of the range"),
        Case(type: "int(11)", literal: .number("2147483648"), refusal: "out of the range"),
        Case(type: "int(10) unsigned", literal: .number("4294967295"), refusal: nil),
        Case(type: "bigint(20)", literal: .number("9223372036854775808"), refusal: "beyond 64 bits"),
        Case(type: "bigint(20) unsigned", literal: .number("-5"), refusal: "out of the range"),
        Case(type: "int(11)", literal: .string("1.5"), refusal: "not an integer"),
        Case(type: "year(4)", literal: .number("69"), refusal: "not a year MySQL keeps"),
        Case(type: "year(4)", literal: .number("2017"), refusal: nil),
        // decimals and reals
        Case(type: "decimal(5,2)", literal: .string("123.45"), refusal: nil),
        Case(type: "decimal(5,2)", literal: .string("1234.5"), refusal: "does not fit decimal(5,2)"),
        Case(type: "decimal(5,2)", literal: .string("1.234"), refusal: "does not fit decimal(5,2)"),
        Case(type: "decimal(5,2) unsigned", literal: .string("-1.5"), refusal: "negative"),
        Case(type: "float", literal: .number("0.1"), refusal: nil),
        // 0.1 as a float, widened: what MariaDB reads back.
        Case(type: "float", literal: .number("0.10000000149011612"), refusal: nil),
        Case(type: "float", literal: .number("3.14159265358"), refusal: "more precision than a float keeps"),
        Case(type: "float", literal: .number("1e39"), refusal: "out of the range of a float"),
        Case(type: "double", literal: .string("abc"), refusal: "not a number"),
        Case(type: "double(5,2)", literal: .number("1.234"), refusal: "does not fit double(5,2)"),
        // enum and set
        Case(type: "enum('I','M','F')", literal: .string(""), refusal: nil),
        Case(type: "enum('I','M','F')", literal: .string("m"), refusal: "not one of the values"),
        Case(type: "set('a','b','c')", literal: .string("a,c"), refusal: nil),
        Case(type: "set('a','b','c')", literal: .string("a,d"), refusal: "'d' is not one of the values"),
        Case(type: "set('a','b','c')", literal: .string("c,a"), refusal: "out of their order"),
        Case(type: "set('a','b','c')", literal: .string("a,a"), refusal: "twice"),
        // dates and times
        Case(type: "date", literal: .string("2016-02-29"), refusal: nil),
        Case(type: "date", literal: .string("0000-00-00"), refusal: nil),
        Case(type: "date", literal: .string("2017-02-30"), refusal: "2017-02 has no day 30"),
        Case(type: "date", literal: .string("2017-02-29"), refusal: "has no day 29"),
        Case(type: "date", literal: .string("2017-13-01"), refusal: "month 13"),
        Case(type: "date", literal: .string("2017-00-32"), refusal: "day 32"),
        Case(type: "datetime", literal: .string("2017-13-01 25:00:00"), refusal: "month 13"),
        Case(type: "datetime", literal: .string("2017-12-01 25:00:00"), refusal: "not a time datetime holds"),
        Case(type: "datetime", literal: .string("2017-12-01 23:60:00"), refusal: "not a time"),
        Case(type: "datetime", literal: .string("2017-12-01 23:59:59"), refusal: nil),
        Case(type: "datetime", literal: .string("2017-12-01 23:59:59.5"), refusal: "MySQL would round them"),
        Case(type: "datetime(3)", literal: .string("2017-12-01 23:59:59.125"), refusal: nil),
        Case(type: "timestamp", literal: .string("1969-12-31 12:00:00"), refusal: "outside what a timestamp holds"),
        Case(type: "timestamp", literal: .string("0000-00-00 00:00:00"), refusal: nil),
        Case(type: "time", literal: .string("-838:59:59"), refusal: nil),
        Case(type: "time", literal: .string("839:00:00"), refusal: "hours up to 838"),
        Case(type: "time", literal: .string("12:61:00"), refusal: "not a time"),
        // charsets
        Case(type: "varchar(20)", literal: .string("Bravo 🎉"), refusal: "4-byte UTF-8 character"),
        Case(type: "varchar(20)", literal: .string("Bravo 🎉"), charset: "utf8mb3", refusal: "utf8 column cannot hold"),
        Case(type: "text", literal: .string("Bravo 🎉"), charset: "utf8mb4", refusal: nil),
        Case(type: "varchar(20)", literal: .string("«é» €"), charset: "latin1", refusal: nil),
        Case(type: "varchar(20)", literal: .string("Ω"), charset: "latin1", refusal: "latin1 column cannot hold"),
        Case(type: "varchar(20)", literal: .string("é"), charset: "ascii", refusal: "ascii column cannot hold"),
        Case(type: "varchar(20)", literal: .bytes([0xC3]), refusal: "not valid UTF-8"),
        // NOT NULL
        Case(type: "varchar(20)", literal: .null, notNull: true, refusal: "NULL in a NOT NULL column"),
        Case(type: "varchar(20)", literal: .null, refusal: nil),
    ]

    @Test(arguments: cases)
    func eachRuleAcceptsWhatMySQLKeepsAndRefusesTheRest(_ test: Case) throws {
        let rule = MySQLColumnRule(
            try MySQLColumnType(parsing: test.type), notNull: test.notNull, charset: test.charset)
        let outcome = MySQLValueCoercion.coerce(test.literal, rule: rule)
        switch (outcome, test.refusal) {
        case (.success, nil): break
        case (.failure(let reason), let expected?): #expect(reason.contains(expected), "\(reason)")
        case (.success(let value), let expected?):
            Issue.record("accepted \(value), expected a refusal containing \(expected)")
        case (.failure(let reason), nil): Issue.record("refused: \(reason)")
        }
    }

    @Test func aColumnTakesItsCharsetFromItsCollationElseItsTable() throws {
        let table = MySQLTableDefinition(
            columns: [
                MySQLColumnDefinition(name: "a", type: "varchar(10)", collation: "utf8mb4_unicode_ci"),
                MySQLColumnDefinition(name: "b", type: "varchar(10)"),
            ], charset: "utf8")
        let a = try MySQLColumnRule(column: table.columns[0], of: table, notNull: false)
        let b = try MySQLColumnRule(column: table.columns[1], of: table, notNull: false)
        #expect(MySQLValueCoercion.coerce(.string("🎉"), rule: a) == .success(.text("🎉")))
        #expect(MySQLValueCoercion.coerce(.string("🎉"), rule: b) != .success(.text("🎉")))
    }

    @Test func theAuditNamesTableRowKeyColumnAndValue() throws {
        var schema = try MySQLCreateTableParser.parseScript(
            """
            CREATE TABLE sacoche_user (user_id mediumint(8) unsigned NOT NULL, user_nom varchar(25) NOT NULL, PRIMARY KEY (user_id)) DEFAULT CHARSET=utf8;
            """, entry: "test")
        let table = schema.tables.removeFirst()
        var audit = try #require(try MySQLRowAudit(table: table))
        audit.check(SQLValueRow(values: [.integer(1), .text("Dupont")]))
        audit.check(SQLValueRow(values: [.integer(7), .text(String(repeating: "x", count: 30))]))
        audit.check(SQLValueRow(values: [.integer(8), .null]))
        #expect(audit.refusedCount == 2)
        let first = try #require(audit.problems.first)
        #expect(
            first.table == "sacoche_user" && first.row == 2 && first.key == "user_id = 7" && first.column == "user_nom")
        #expect(first.value.hasPrefix("'xxxx") && first.reason.contains("30 characters"))
        #expect(
            audit.problems[1].description.contains(
                "row 3 (user_id = 8), column user_nom, value NULL: NULL in a NOT NULL column"))
    }

    /// Values remembered as accepted are remembered per column: the same bytes in a narrower column are
    /// still checked, and a bad value after many good ones is still found.
    @Test func rememberedValuesStayInTheirColumn() throws {
        var schema = try MySQLCreateTableParser.parseScript(
            """
            CREATE TABLE t (id int(11) NOT NULL, wide varchar(10) NOT NULL, narrow varchar(2) NOT NULL, day date, PRIMARY KEY (id)) DEFAULT CHARSET=utf8;
            """, entry: "test")
        var audit = try #require(try MySQLRowAudit(table: schema.tables.removeFirst()))
        for id in 1...100 {
            audit.check(SQLValueRow(values: [.integer(Int64(id)), .text("abc"), .text("ab"), .text("2017-02-28")]))
        }
        #expect(audit.refusedCount == 0)
        audit.check(SQLValueRow(values: [.integer(101), .text("abc"), .text("abc"), .text("2017-02-29")]))
        audit.check(SQLValueRow(values: [.integer(102), .text("abc"), .text("ab"), .text("2017-02-28")]))
        #expect(audit.problems.map(\.column) == ["narrow", "day"] && audit.problems.allSatisfy { $0.row == 101 })
    }
}
