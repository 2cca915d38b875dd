import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

@Suite("Schema statements")
struct SchemaStatementParserTests {
    static let richProfile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/profiles/sqlite-rich-profile.yaml")

    @Test func writingAndReadingBackIsStable() throws {
        let profile = try ApplicationProfile.load(from: Self.richProfile)
        let schema = try DatabaseSchema(parsing: profile.schema)
        #expect(schema.tables.count == 10 && schema.views.count == 1 && schema.triggers.count == 1)
        let written = PortableDDL.statements(for: schema).joined(separator: "\n")
        let reread = try DatabaseSchema(parsing: written)
        #expect(reread == schema, "the archive's DDL reads back as the same values")
        #expect(
            PortableDDL.statements(for: reread).joined(separator: "\n") == written, "and writes the same text again")
    }

    @Test func tokensThatLookAlike() throws {
        let statement = try SchemaStatementParser.parse(
            Array(
                """
                CREATE TABLE Xylo (Xcode TEXT DEFAULT X'00FF', x REAL DEFAULT .5, y REAL DEFAULT -1.5e3,
                  CHECK (Xcode <> 'X''Y' AND x >= .25));
                """.utf8))
        guard case .table(let table) = statement else {
            Issue.record("not a table")
            return
        }
        #expect(table.columnNames == ["Xcode", "x", "y"], "a name starting with X is a name, not a blob")
        #expect(table.columns.map(\.defaultValue) == ["X'00FF'", ".5", "-1.5e3"])
        #expect(table.checks == ["Xcode <> 'X''Y' AND x >= .25"])
        let trigger = try SchemaStatementParser.parse(
            Array(
                """
                CREATE TRIGGER t AFTER UPDATE OF x ON Xylo WHEN NEW.x > OLD.x BEGIN UPDATE Xylo SET y = NEW.x; END;
                """.utf8))
        guard case .trigger(let parsed) = trigger else {
            Issue.record("not a trigger")
            return
        }
        #expect(
            parsed.definition == "AFTER UPDATE OF x ON Xylo WHEN NEW.x > OLD.x BEGIN UPDATE Xylo SET y = NEW.x; END",
            "qualified names keep their dot tight")
    }

    @Test func refusalsSayWhatAndWhere() throws {
        let cases: [(String, String)] = [
            ("CREATE TABLE t (a INTEGER PRIMARY KEY ON CONFLICT REPLACE);", "ON CONFLICT clauses are not supported"),
            ("CREATE TABLE t (a INTEGER, b INTEGER AS (a + 1));", "generated columns"),
            ("CREATE TABLE t (a INTEGER REFERENCES p(id) MATCH FULL);", "MATCH clauses"),
            ("CREATE TABLE t (a INTEGER, PRIMARY KEY (a DESC));", "declare them on the column"),
            ("CREATE TABLE main.t (a INTEGER);", "qualified by a schema name"),
            ("CREATE TABLE t AS SELECT 1;", "declare the columns"),
            ("CREATE TABLE t (a INTEGER CHECK (load_extension('x')));", "load_extension is not allowed"),
            ("CREATE TABLE t (a INTEGER DEFAULT (?));", "parameters"),
            ("CREATE TABLE t (a INTEGER, a TEXT);", "declared twice"),
            ("CREATE VIEW v AS DELETE FROM t;", "a view must be a SELECT"),
        ]
        for (sql, message) in cases {
            do {
                _ = try SchemaStatementParser.parse(Array(sql.utf8))
                Issue.record("accepted: \(sql)")
            } catch {
                #expect(error.message.contains(message), "\(sql): \(error.message)")
            }
        }
        do {
            _ = try DatabaseSchema(parsing: "CREATE TABLE a (x INTEGER);\n  CREATE INDEX i ON b (x);")
            Issue.record("an index on a missing table was accepted")
        } catch {
            #expect(error.line == 2 && error.column == 3, "\(error)")
        }
    }
}
