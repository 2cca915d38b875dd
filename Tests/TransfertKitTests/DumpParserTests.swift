import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// Records what the parser hands on, with values copied out of the statement buffer.
struct RecordingHandler: DumpHandler {
    var events: [String] = []
    var tables: [TableSchema] = []
    var rows: [String: [[SQLValue]]] = [:]
    var indexes: [String: [IndexSchema]] = [:]
    private var current = ""
    private var columns: [String] = []

    mutating func createTable(_ table: TableSchema) throws {
        tables.append(table)
        events.append("create \(table.name)")
    }

    mutating func startInsert(into table: TableSchema, columns: [String]) throws {
        current = table.name
        self.columns = columns
        events.append("insert \(table.name) (\(columns.joined(separator: ",")))")
    }

    mutating func insertRow(_ row: some RawRow) throws {
        rows[current, default: []].append((0..<row.count).map { row.value(at: $0) })
    }

    mutating func createIndex(_ index: IndexSchema, on table: TableSchema) throws {
        indexes[table.name, default: []].append(index)
        events.append("index \(index.name)")
    }

    var views: [ViewSchema] = []
    var triggers: [TriggerSchema] = []

    mutating func createView(_ view: ViewSchema) throws {
        views.append(view)
        events.append("view \(view.name)")
    }

    mutating func createTrigger(_ trigger: TriggerSchema) throws {
        triggers.append(trigger)
        events.append("trigger \(trigger.name)")
    }
}

/// The outcome of parsing some entries: the handler's record, or the refusal.
struct ParseOutcome {
    var handler: RecordingHandler?
    var error: DumpParseError?
}

@Suite("Dump parser")
struct DumpParserTests {
    /// Parses entries (path, text) fed in slices of `slice` bytes (everything at once when nil).
    static func parse(_ entries: [(String, Data)], slice: Int? = nil) -> ParseOutcome {
        var parser = DumpParser(handler: RecordingHandler())
        do {
            for (path, data) in entries {
                parser.startEntry(path)
                if let slice {
                    var start = data.startIndex
                    while start < data.endIndex {
                        let end = min(start + slice, data.endIndex)
                        try parser.feed(data[start..<end])
                        start = end
                    }
                } else {
                    try parser.feed(data)
                }
                try parser.finishEntry()
            }
            try parser.finish()
            return ParseOutcome(handler: parser.handler, error: nil)
        } catch let error as DumpParseError {
            return ParseOutcome(handler: nil, error: error)
        } catch {
            Issue.record("unexpected error \(error)")
            return ParseOutcome(handler: nil, error: nil)
        }
    }

    static func parse(_ text: String, entry: String = "base_1/000001.sql", slice: Int? = nil) -> ParseOutcome {
        parse([(entry, Data(text.utf8))], slice: slice)
    }

    /// Parses `text` expecting a refusal, in one slice and in 1-byte slices (which must agree).
    static func refusal(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> DumpParseError? {
        let whole = parse(text)
        let bytewise = parse(text, slice: 1)
        #expect(whole.error == bytewise.error, "1-byte slices give the same refusal", sourceLocation: sourceLocation)
        guard let error = whole.error else {
            Issue.record("the dump was accepted", sourceLocation: sourceLocation)
            return nil
        }
        return error
    }

    static let prologue = """
        -- Transfert dump, archive format 1.
        BEGIN TRANSACTION;
        CREATE TABLE "notes" (
          "id" INTEGER PRIMARY KEY,
          "label" TEXT NOT NULL DEFAULT 'n/a',
          "score" REAL
        );

        """

    // MARK: Accepted dumps

    @Test func dumpWrittenByDumpWriterParsesBackToTheSameRowsAndSchema() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        try SampleGenerator(structures: 1, students: 20, seed: 9).fill(hosting)
        var writer = DumpWriter(directory: "base_1")
        writer.chunkSize = 16 * 1024
        writer.rowsPerStatement = 23
        var chunks: [DumpChunk] = []
        var expected: [String: [[SQLValue]]] = [:]
        let summary = try hosting.establishments.read(baseID: 1) { reader in
            let summary = try writer.write(from: reader, header: "test dump") { chunks.append($0) }
            for table in summary.schema.tables {
                try reader.forEachRow(of: table.name, columns: table.columnNames) {
                    expected[table.name, default: []].append($0)
                }
            }
            return summary
        }
        #expect(chunks.count > 3, "several entries")

        let entries = chunks.map { ($0.path, $0.bytes) }
        let outcome = Self.parse(entries)
        #expect(outcome.error == nil, "\(String(describing: outcome.error))")
        let handler = try #require(outcome.handler)
        #expect(handler.tables.map(\.name) == summary.schema.tables.map(\.name))
        #expect(
            handler.tables
                == summary.schema.tables.map {
                    var table = $0
                    table.indexes = []
                    return table
                },
            "columns, types and every constraint read back")
        #expect(handler.tables.contains { !$0.foreignKeys.isEmpty }, "foreign keys travel")
        #expect(handler.tables.contains { !$0.checks.isEmpty }, "CHECK constraints travel")
        for table in summary.schema.tables {
            #expect(handler.indexes[table.name] ?? [] == table.indexes, "indexes of \(table.name)")
            #expect(handler.rows[table.name] ?? [] == expected[table.name] ?? [], "rows of \(table.name)")
        }
        #expect(handler.rows.values.map(\.count).reduce(0, +) == Int(summary.rows))
        #expect(handler.rows["images"]?.isEmpty == false, "blobs travel too")

        // The same bytes pushed one at a time, and in odd slices, give exactly the same result.
        for slice in [1, 7, 4093] {
            let sliced = Self.parse(entries, slice: slice)
            #expect(sliced.error == nil)
            #expect(sliced.handler?.rows == handler.rows, "slices of \(slice) bytes")
            #expect(sliced.handler?.events == handler.events, "slices of \(slice) bytes")
        }
    }

    @Test func everyLiteralForm() throws {
        let text =
            Self.prologue + """
                CREATE TABLE "t" ("a" BLOB, "b" NUMERIC);
                INSERT INTO "notes" ("id", "label", "score") VALUES
                (1,'L''Haÿ ; "x"
                ligne',2.5),
                (-9223372036854775808,'',-1e-05),
                (9223372036854775807,CAST(X'610062' AS TEXT),9e999),
                (+4,'-- not a comment',NULL);
                INSERT INTO "t" ("b", "a") VALUES (-0.0, X'00FFab'), (NULL, x'');
                CREATE UNIQUE INDEX "notes_label_key" ON "notes" ("label");
                COMMIT;
                -- trailing comment
                """
        for slice in [nil, 1] as [Int?] {
            let outcome = Self.parse(text, slice: slice)
            #expect(outcome.error == nil, "\(String(describing: outcome.error))")
            let handler = try #require(outcome.handler)
            #expect(
                handler.rows["notes"] == [
                    [.integer(1), .text("L'Haÿ ; \"x\"\nligne"), .real(2.5)],
                    [.integer(.min), .text(""), .real(-1e-05)],
                    [.integer(.max), .text("a\u{0}b"), .real(.infinity)],
                    [.integer(4), .text("-- not a comment"), .null],
                ])
            #expect(handler.rows["t"] == [[.real(-0.0), .blob(Data([0x00, 0xFF, 0xAB]))], [.null, .blob(Data())]])
            #expect(handler.tables.first?.columns.map(\.defaultValue) == [nil, "'n/a'", nil])
            #expect(handler.tables.first?.primaryKey == ["id"])
            #expect(
                handler.indexes["notes"] == [IndexSchema(name: "notes_label_key", unique: true, columns: ["label"])])
            #expect(
                handler.events == [
                    "create notes", "create t", "insert notes (id,label,score)", "insert t (b,a)",
                    "index notes_label_key",
                ])
        }
    }

    @Test func numberAndNullEdgeCases() throws {
        let text =
            Self.prologue + """
                INSERT INTO "notes" ("id", "label", "score") VALUES
                (1,'a',9223372036854775808),
                (2,'b',-9223372036854775809),
                (3,'c',1E3),
                (4,'d',.5),
                (5,'e',null),
                (6,'f',Null),
                (007,'g',-0),
                (8,'h',+12);
                COMMIT;
                """
        for slice in [nil, 1, 7] as [Int?] {
            let outcome = Self.parse(text, slice: slice)
            #expect(outcome.error == nil, "\(String(describing: outcome.error))")
            let rows = try #require(outcome.handler?.rows["notes"])
            #expect(
                rows.map { $0[2] } == [
                    .real(9_223_372_036_854_775_808), .real(-0x1p63), .real(1000), .real(0.5),
                    .null, .null, .integer(0), .integer(12),
                ])
            #expect(rows[6][0] == .integer(7))
        }
        // A name that merely starts with NULL is not a literal.
        let nullish = try #require(
            Self.refusal(Self.prologue + "INSERT INTO \"notes\" (\"id\") VALUES (NULLX);\nCOMMIT;\n"))
        #expect(nullish.message.contains("NULLX is not a literal"), "\(nullish)")
    }

    @Test func linesAreCountedThroughMultiLineStringsAndComments() throws {
        let text =
            Self.prologue + """
                INSERT INTO "notes" ("id", "label") VALUES (1, 'one
                two; three
                four');
                -- a comment; with 'quotes'
                INSERT INTO "notes" ("id", "label") VALUES (2, 'é'), (3, nope);
                COMMIT;
                """
        let error = try #require(Self.refusal(text))
        #expect(error.position.line == 12, "\(error)")
        #expect(
            error.position.column == "INSERT INTO \"notes\" (\"id\", \"label\") VALUES (2, 'é'), (3, ".count + 1,
            "\(error)")
        let after = try #require(Self.refusal(Self.prologue + "INSERT INTO \"notes\" (\"id\") VALUES (1);  VACUUM;\n"))
        #expect(after.position == DumpPosition(entry: "base_1/000001.sql", line: 8, column: 41), "\(after)")
    }

    // MARK: Refusals, with entry, line and column

    @Test func attachIsRefusedWithItsPosition() throws {
        let error = try #require(Self.refusal(Self.prologue + "ATTACH DATABASE '/tmp/x.db' AS y;\nCOMMIT;\n"))
        #expect(error.position.entry == "base_1/000001.sql")
        #expect(error.position.line == 8)
        #expect(error.position.column == 1, "the column of ATTACH: \(error)")
        #expect(error.message.hasPrefix("ATTACH is not allowed"), "\(error)")
        #expect(error.description.hasPrefix("base_1/000001.sql line 8, column 1: ATTACH is not allowed"), "\(error)")
    }

    @Test func pragmaIsRefused() throws {
        let error = try #require(Self.refusal(Self.prologue + "  PRAGMA writable_schema = 1;\nCOMMIT;\n"))
        #expect(error.position.line == 8)
        #expect(error.position.column == 3, "\(error)")
        #expect(error.message.hasPrefix("PRAGMA is not allowed"), "\(error)")
    }

    @Test func triggersAndViewsAreReadAndHandedOnWhateverTheSlices() throws {
        let text =
            Self.prologue + """
                CREATE TRIGGER "t" AFTER INSERT ON "notes" WHEN NEW."score" > 1 BEGIN
                  UPDATE "notes" SET "label" = CASE WHEN "label" = ';' THEN 'x' ELSE "label" END WHERE "id" = NEW."id";
                  DELETE FROM "notes" WHERE "id" < 0;
                END;
                CREATE VIEW "best" AS SELECT "id" FROM "notes" WHERE "score" > 10;
                COMMIT;
                """
        for slice in [nil, 1, 5] as [Int?] {
            let outcome = Self.parse(text, slice: slice)
            #expect(outcome.error == nil, "\(String(describing: outcome.error))")
            let handler = try #require(outcome.handler)
            #expect(handler.triggers.map(\.name) == ["t"])
            #expect(handler.triggers.first?.table == "notes")
            #expect(
                handler.triggers.first?.definition.hasSuffix("DELETE FROM \"notes\" WHERE \"id\" < 0; END") == true,
                "\(String(describing: handler.triggers.first))")
            #expect(
                handler.views == [ViewSchema(name: "best", select: "SELECT \"id\" FROM \"notes\" WHERE \"score\" > 10")]
            )
        }
    }

    @Test func aTriggerThatNeverEndsIsRefusedWithoutReadingItAgainAtEverySemicolon() throws {
        // 200,000 statements inside an unclosed trigger body: each stretch is read once, so this is refused
        // as fast as it is scanned (read again at every ';', it would take hours).
        let body = String(repeating: "SELECT 1;", count: 200_000)
        let text = Self.prologue + "CREATE TRIGGER \"t\" AFTER INSERT ON \"notes\" BEGIN " + body + "\n"
        let error = try #require(Self.refusal(text))
        #expect(error.message.contains("truncated"), "\(error)")
    }

    @Test func tooManySchemaObjectsAreRefused() throws {
        let tables = (0...10_000).map { "CREATE TABLE \"t\($0)\" (\"a\" INTEGER);" }.joined(separator: "\n")
        let error = try #require(Self.refusal("BEGIN TRANSACTION;\n" + tables + "\nCOMMIT;\n"))
        #expect(error.message.contains("more than 10000 tables, indexes, views and triggers"), "\(error)")
    }

    @Test func triggerReachingOutsideTheDatabaseIsRefused() throws {
        let text =
            Self.prologue + """
                CREATE TRIGGER "t" AFTER INSERT ON "notes" BEGIN SELECT load_extension('/tmp/x.so'); END;
                COMMIT;
                """
        let error = try #require(Self.refusal(text))
        #expect(error.position.line == 8)
        #expect(error.position.column == 57, "the column of load_extension: \(error)")
        #expect(error.message.contains("load_extension is not allowed"), "\(error)")
        let noBody = try #require(
            Self.refusal(Self.prologue + "CREATE TRIGGER \"t\" AFTER INSERT ON \"notes\" SELECT 1;\nCOMMIT;\n"))
        #expect(noBody.message.contains("BEGIN … END"), "\(noBody)")
    }

    @Test func otherStatementsAreRefused() throws {
        let cases: [(String, String)] = [
            ("DELETE FROM \"notes\";", "DELETE is not allowed"),
            ("DROP TABLE \"notes\";", "DROP is not allowed"),
            ("CREATE VIRTUAL TABLE \"v\" USING fts5(x);", "virtual tables are not supported"),
            ("CREATE TEMP TABLE \"v\" (\"a\" TEXT);", "temporary objects"),
            ("PRAGMA foreign_keys = OFF;", "PRAGMA is not allowed"),
            ("SELECT load_extension('x');", "SELECT is not allowed"),
            ("'stray';", "unexpected text"),
        ]
        for (statement, message) in cases {
            let error = try #require(Self.refusal(Self.prologue + statement + "\nCOMMIT;\n"))
            #expect(error.position.line == 8, "\(statement)")
            #expect(error.message.contains(message), "\(statement): \(error)")
        }
    }

    @Test func insertIntoATableTheDumpDidNotCreate() throws {
        let text =
            Self.prologue + "INSERT INTO \"notes\" (\"id\", \"label\") VALUES (1, 'a');\n"
            + "INSERT INTO \"users\" (\"id\", \"login\") VALUES (1, 'admin');\nCOMMIT;\n"
        let error = try #require(Self.refusal(text))
        #expect(error.position.line == 9)
        #expect(error.position.column == 13, "the column of the table name: \(error)")
        #expect(error.message.contains("INSERT INTO users: this dump did not create that table"), "\(error)")
    }

    @Test func indexOnATableTheDumpDidNotCreate() throws {
        let error = try #require(Self.refusal(Self.prologue + "CREATE INDEX \"i\" ON \"users\" (\"id\");\nCOMMIT;\n"))
        #expect(error.position.line == 8)
        #expect(error.message.contains("index i is on table users, which is not created before it"), "\(error)")
    }

    @Test func functionCallAsAValueIsRefusedAtTheValue() throws {
        let text =
            Self.prologue
            + "INSERT INTO \"notes\" (\"id\", \"label\", \"score\") VALUES\n(1, 'a', 2.0),\n(2, randomblob(5), 1.0);\nCOMMIT;\n"
        let error = try #require(Self.refusal(text))
        #expect(error.position.line == 10)
        #expect(error.position.column == 5, "the column of randomblob: \(error)")
        #expect(error.message.contains("RANDOMBLOB is not a literal"), "\(error)")
    }

    @Test func castOtherThanHexToTextIsRefused() throws {
        let text = Self.prologue + "INSERT INTO \"notes\" (\"id\", \"label\") VALUES (1, CAST(1 AS TEXT));\nCOMMIT;\n"
        let error = try #require(Self.refusal(text))
        #expect(error.message.contains("CAST is only allowed as CAST(X'…' AS TEXT)"), "\(error)")
    }

    @Test func wrongValueCountAndUnknownColumn() throws {
        let short = try #require(
            Self.refusal(Self.prologue + "INSERT INTO \"notes\" (\"id\", \"label\") VALUES (1, 'a'), (2);\nCOMMIT;\n"))
        #expect(short.message.contains("has 1 values for 2 columns"), "\(short)")
        let unknown = try #require(
            Self.refusal(Self.prologue + "INSERT INTO \"notes\" (\"id\", \"rowid\") VALUES (1, 2);\nCOMMIT;\n"))
        #expect(unknown.message.contains("names column rowid"), "\(unknown)")
    }

    @Test func statementAfterCommit() throws {
        let text =
            Self.prologue
            + "COMMIT;\n-- an afterthought\nINSERT INTO \"notes\" (\"id\", \"label\") VALUES (3, 'late');\n"
        let error = try #require(Self.refusal(text))
        #expect(error.position.line == 10, "\(error)")
        #expect(error.message.contains("nothing may follow COMMIT"), "\(error)")
    }

    @Test func statementBeforeBegin() throws {
        let error = try #require(Self.refusal("CREATE TABLE \"t\" (\"a\" TEXT);\nBEGIN TRANSACTION;\nCOMMIT;\n"))
        #expect(error.position.line == 1)
        #expect(error.message.contains("must start with BEGIN TRANSACTION"), "\(error)")
    }

    @Test func missingCommitIsTruncation() throws {
        let text = Self.prologue + "INSERT INTO \"notes\" (\"id\", \"label\") VALUES (1, 'a');\n"
        let error = try #require(Self.refusal(text))
        #expect(error.position.entry == "base_1/000001.sql")
        #expect(error.message.contains("no COMMIT at its end: it is truncated"), "\(error)")
    }

    @Test func entryCutInTheMiddleOfAStatement() throws {
        let text = Self.prologue + "INSERT INTO \"notes\" (\"id\", \"label\") VALUES (1, 'a'),\n(2, 'b"
        let error = try #require(Self.refusal(text))
        #expect(error.position.line == 8, "the line where the cut statement starts: \(error)")
        #expect(error.message.contains("ends in the middle of a statement"), "\(error)")
    }

    @Test func statementsNeverSpanTwoEntries() throws {
        let first = Self.prologue + "INSERT INTO \"notes\" (\"id\", \"label\") VALUES (1, 'a'),\n"
        let outcome = Self.parse([
            ("base_1/000001.sql", Data(first.utf8)),
            ("base_1/000002.sql", Data("(2, 'b');\nCOMMIT;\n".utf8)),
        ])
        let error = try #require(outcome.error)
        #expect(error.position.entry == "base_1/000001.sql")
        #expect(error.message.contains("ends in the middle of a statement"), "\(error)")
    }

    @Test func positionsInALaterEntryCountFromItsOwnFirstLine() throws {
        let outcome = Self.parse([
            ("base_1/000001.sql", Data(Self.prologue.utf8)),
            ("base_1/000002.sql", Data("-- chunk 2\n\nVACUUM;\nCOMMIT;\n".utf8)),
        ])
        let error = try #require(outcome.error)
        #expect(error.position == DumpPosition(entry: "base_1/000002.sql", line: 3, column: 1), "\(error)")
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let text =
            Self.prologue
            + "INSERT INTO \"notes\" (\"id\", \"label\") VALUES (1, 'Élève « Zoé »'), (2, nope);\nCOMMIT;\n"
        let error = try #require(Self.refusal(text))
        let prefix = "INSERT INTO \"notes\" (\"id\", \"label\") VALUES (1, 'Élève « Zoé »'), (2, "
        #expect(error.position.line == 8)
        #expect(error.position.column == prefix.unicodeScalars.count + 1, "\(error)")
    }

    @Test func reservedAndDuplicateTables() throws {
        let reserved = try #require(
            Self.refusal("BEGIN TRANSACTION;\nCREATE TABLE \"sqlite_master\" (\"a\" TEXT);\nCOMMIT;\n"))
        #expect(reserved.message.contains("reserved to SQLite"), "\(reserved)")
        let twice = try #require(Self.refusal(Self.prologue + "CREATE TABLE \"notes\" (\"a\" TEXT);\nCOMMIT;\n"))
        #expect(twice.message.contains("created twice"), "\(twice)")
        let conflict = try #require(
            Self.refusal("BEGIN TRANSACTION;\nCREATE TABLE \"t\" (\"a\" TEXT UNIQUE ON CONFLICT REPLACE);\nCOMMIT;\n"))
        #expect(conflict.message.contains("ON CONFLICT clauses are not supported"), "\(conflict)")
        let orphanKey = try #require(
            Self.refusal(
                "BEGIN TRANSACTION;\nCREATE TABLE \"t\" (\"a\" INTEGER REFERENCES \"elsewhere\" (\"id\"));\nCOMMIT;\n"))
        #expect(orphanKey.message.contains("foreign key to elsewhere, which this dump does not create"), "\(orphanKey)")
    }

    @Test func oneByteSlicesGiveTheSameResultAsOneSlice() throws {
        let texts = [
            Self.prologue
                + "INSERT INTO \"notes\" (\"id\", \"label\") VALUES (1, 'a;b'), (2, '--x'), (3, '\"');\nCOMMIT;\n",
            Self.prologue + "INSERT INTO \"notes\" (\"id\", \"label\") VALUES (1, 'a''b');\n  ATTACH 'x' AS y;\n",
            Self.prologue
                + "-- comment; with a semicolon\nINSERT INTO \"notes\" (\"id\", \"label\") VALUES (-1, '-');\nCOMMIT;\n",
            Self.prologue + "INSERT INTO \"notes\" (\"id\", \"label\") VALUES (1, 'unterminated);\nCOMMIT;\n",
        ]
        for text in texts {
            let whole = Self.parse(text)
            for slice in [1, 2, 3] {
                let sliced = Self.parse(text, slice: slice)
                #expect(sliced.error == whole.error, "slices of \(slice): \(text)")
                #expect(sliced.handler?.rows == whole.handler?.rows, "slices of \(slice): \(text)")
                #expect(sliced.handler?.events == whole.handler?.events, "slices of \(slice): \(text)")
            }
        }
        #expect(
            Self.parse(texts[0]).handler?.rows["notes"]?.map { $0[1] } == [.text("a;b"), .text("--x"), .text("\"")])
        #expect(Self.parse(texts[1]).error?.position.column == 3)
        #expect(Self.parse(texts[2]).handler?.rows["notes"]?.first == [.integer(-1), .text("-")])
    }

    @Test func oversizedStatementIsRefusedBeforeItFillsMemory() throws {
        var parser = DumpParser(handler: RecordingHandler())
        parser.maximumStatementBytes = 1024
        parser.startEntry("base_1/000001.sql")
        try parser.feed(Data("BEGIN TRANSACTION;\nINSERT INTO \"t\" (\"a\") VALUES ('".utf8))
        #expect(throws: DumpParseError.self) {
            for _ in 0..<10 { try parser.feed(Data(String(repeating: "x", count: 200).utf8)) }
        }
    }
}
