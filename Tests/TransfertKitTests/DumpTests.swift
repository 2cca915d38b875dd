import Crypto
import Foundation
import GRDB
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

@Suite("SQL literals")
struct SQLTextEncoderTests {
    func literal(_ value: SQLValue) -> String {
        var buffer: [UInt8] = []
        SQLTextEncoder.append(value, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func literals() {
        #expect(literal(.null) == "NULL")
        #expect(literal(.integer(0)) == "0")
        #expect(literal(.integer(-42)) == "-42")
        #expect(literal(.integer(.min)) == "-9223372036854775808")
        #expect(literal(.integer(.max)) == "9223372036854775807")
        #expect(literal(.real(2)) == "2.0")
        #expect(literal(.real(0.1)) == "0.1")
        #expect(literal(.real(1e-05)) == "1e-05")
        #expect(literal(.real(.infinity)) == "9e999")
        #expect(literal(.real(-.infinity)) == "-9e999")
        #expect(literal(.text("L'Haÿ ; \"x\"\nligne")) == "'L''Haÿ ; \"x\"\nligne'")
        #expect(literal(.text("a\u{0}b")) == "CAST(X'610062' AS TEXT)")
        #expect(literal(.blob(Data([0x00, 0x27, 0xFF]))) == "X'0027FF'")
        #expect(literal(.text("")) == "''")
    }

    @Test func literalsReadBackByTheSameValues() throws {
        let values: [SQLValue] = [
            .null, .integer(.min), .real(0.1 + 0.2), .real(-0.0), .real(1.7976931348623157e308),
            .text("Œuvre « d'art »\r\n"), .blob(Data((0...255).map(UInt8.init))),
        ]
        let queue = try DatabaseQueue()
        for value in values {
            var buffer: [UInt8] = Array("SELECT ".utf8)
            SQLTextEncoder.append(value, to: &buffer)
            let read = try queue.read { db in
                try DatabaseValue.fetchOne(db, sql: String(decoding: buffer, as: UTF8.self))
            }
            #expect(read.map { SQLValue($0) } == value, "\(value)")
        }
        // GRDB reads text as a C string, so check the NUL case with SQLite's own functions.
        var buffer: [UInt8] = Array("SELECT typeof(x) || ' ' || hex(x) FROM (SELECT ".utf8)
        SQLTextEncoder.append(.text("a\u{0}b"), to: &buffer)
        buffer.append(contentsOf: Array(" AS x)".utf8))
        #expect(
            try queue.read { db in try String.fetchOne(db, sql: String(decoding: buffer, as: UTF8.self)) }
                == "text 610062")
    }
}

@Suite("CSV manifest")
struct CSVManifestTests {
    @Test func quotingFollowsRFC4180() {
        #expect(CSVManifest.quote("plain") == "plain")
        #expect(CSVManifest.quote("a;b") == "\"a;b\"")
        #expect(CSVManifest.quote("Le \"Château\"") == "\"Le \"\"Château\"\"\"")
        #expect(CSVManifest.quote("deux\r\nlignes") == "\"deux\r\nlignes\"")
        #expect(CSVManifest.quote("ligne\n") == "\"ligne\n\"")
    }

    @Test func headerIsSACochesElevenColumnsThenOurs() {
        let rendered = String(decoding: CSVManifest.render([]), as: UTF8.self)
        #expect(
            rendered
                == "Id_Export;Id_Import;Id_Zone;Localisation;Dénomination;UAI;Contact_Nom;Contact_Prénom;Contact_Courriel;Date_Inscription;Nom_fichier;GUID;Version_Base;SHA256\r\n"
        )
    }
}

@Suite("Dump writer")
struct DumpWriterTests {
    @Test func smallChunksRestoreToTheSameDigests() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        try SampleGenerator(structures: 1, students: 20, seed: 9).fill(hosting)
        var writer = DumpWriter(directory: "base_1")
        writer.chunkSize = 64 * 1024
        writer.rowsPerStatement = 37
        var chunks: [DumpChunk] = []
        let summary = try hosting.establishments.read(baseID: 1) { reader in
            try writer.write(from: reader) { chunks.append($0) }
        }
        #expect(chunks.count > 3, "a 64 KiB chunk size splits the dump")
        #expect(chunks.map(\.path) == chunks.indices.map { String(format: "base_1/%06d.sql", $0 + 1) })
        let whole = chunks.reduce(Data()) { $0 + $1.bytes }
        #expect(summary.bytes == Int64(whole.count))
        #expect(summary.sha256 == SHA256.hash(data: whole).hexString)
        // Each chunk ends on a statement boundary.
        for chunk in chunks { #expect(String(decoding: chunk.bytes, as: UTF8.self).hasSuffix(";\n")) }

        let restored = try DatabaseQueue()
        try restored.writeWithoutTransaction { db in try db.execute(sql: String(decoding: whole, as: UTF8.self)) }
        let restoredDigests = try restored.read { db in try SQLiteEstablishmentReader(db: db).tableDigests() }
        let sourceDigests = try hosting.establishments.read(baseID: 1) { try $0.tableDigests() }
        #expect(restoredDigests == sourceDigests)
        #expect(summary.tables == sourceDigests)
        #expect(summary.rows == sourceDigests.map(\.rows).reduce(0, +))
    }

    /// Issue #29: an export holds a chunk up to four times at once (formatted, copied out, queued, deflated),
    /// so the chunk size is what bounds its memory; at 2 MiB an export of 20,000 students passed 64 MiB.
    /// By default a chunk closes at the first statement boundary past 1 MiB, so none reaches 1.5 MiB.
    @Test func defaultChunksCloseJustPastOneMebibyte() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
                    INSERT INTO notes SELECT i, printf('%.200c', 'x') FROM n;
                    """)
        }
        var sizes: [Int] = []
        try queue.read { db in
            _ = try DumpWriter(directory: "base_1").write(from: SQLiteEstablishmentReader(db: db)) {
                sizes.append($0.bytes.count)
            }
        }
        #expect(sizes.count >= 4, "\(sizes)")
        #expect(sizes.dropLast().allSatisfy { $0 >= 1 << 20 && $0 < 3 << 19 }, "\(sizes)")
    }

    @Test func everySchemaObjectIsReadNotLost() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT UNIQUE COLLATE NOCASE, created TEXT DEFAULT CURRENT_TIMESTAMP);
                    CREATE TABLE child (parent_id INTEGER REFERENCES parent(id) ON DELETE CASCADE, note, amount DECIMAL(10,2) CHECK (amount > 0),
                                        CONSTRAINT positive CHECK (amount < 1e6));
                    CREATE INDEX child_lower ON child(lower(note)) WHERE note IS NOT NULL;
                    CREATE VIEW totals AS SELECT parent_id, SUM(amount) AS total FROM child GROUP BY parent_id;
                    CREATE TRIGGER t AFTER INSERT ON child BEGIN UPDATE parent SET code = upper(code) WHERE id = NEW.parent_id; END;
                    INSERT INTO parent (id, code) VALUES (1, 'a');
                    INSERT INTO child VALUES (1, X'00', 2.5), (1, 'b', 3);
                    """)
        }
        let schema = try queue.read { db in try SQLiteEstablishmentReader(db: db).schema() }
        let child = try #require(schema.table(named: "child"))
        #expect(child.columns.map(\.type) == [.integer, .blob, .numeric])
        #expect(child.columns.map(\.declaredType) == ["INTEGER", "", "DECIMAL(10, 2)"])
        #expect(child.primaryKey.isEmpty)
        #expect(
            child.foreignKeys.map(\.reference) == [
                ForeignKeyReference(table: "parent", columns: ["id"], onDelete: .cascade)
            ])
        #expect(child.checks == ["amount > 0", "amount < 1e6"])
        #expect(
            child.indexes == [
                IndexSchema(
                    name: "child_lower", unique: false, terms: [IndexTerm(expression: "lower(note)")],
                    predicate: "note IS NOT NULL")
            ])
        let parent = try #require(schema.table(named: "parent"))
        #expect(parent.columns[1].constraints.map(\.kind) == [.unique, .collate])
        #expect(parent.columns[2].defaultValue == "CURRENT_TIMESTAMP")
        #expect(schema.views.map(\.name) == ["totals"])
        #expect(schema.triggers.map(\.name) == ["t"])

        // Re-created from the neutral values, the database declares exactly the same schema.
        let copy = try DatabaseQueue()
        try copy.write { db in try SQLiteEstablishmentWriter(db: db).create(schema) }
        let reread = try copy.read { db in try SQLiteEstablishmentReader(db: db).schema() }
        #expect(reread == schema)
        #expect(SchemaComparison.differences(expected: schema, actual: reread).isEmpty)
    }

    @Test func whatTheFormatCannotCarryIsRefusedByName() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2))")
        }
        #expect(throws: SchemaReadError.self) {
            try queue.read { db in try SQLiteEstablishmentReader(db: db).schema() }
        }
        do {
            _ = try queue.read { db in try SQLiteEstablishmentReader(db: db).schema() }
        } catch {
            #expect("\(error)".contains("table t cannot be carried"))
            #expect("\(error)".contains("generated columns"))
        }
    }
}
