import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The MySQL dialect of SACoche's dumps (FORMAT.md §4 and §7): read, and written back.
@Suite("SACoche dumps")
struct SACocheDumpTests {
    /// Collects what the parser hands on.
    struct Collector: DumpHandler {
        var tables: [TableSchema] = []
        var rows: [String: [[SQLValue]]] = [:]
        var indexes: [String] = []
        private var current = ""
        mutating func createTable(_ table: TableSchema) throws { tables.append(table) }
        mutating func startInsert(into table: TableSchema, columns: [String]) throws { current = table.name }
        mutating func insertRow(_ row: some RawRow) throws {
            rows[current, default: []].append((0..<row.count).map { row.value(at: $0) })
        }
        mutating func createIndex(_ index: IndexSchema, on table: TableSchema) throws { indexes.append(index.name) }
        mutating func createView(_ view: ViewSchema) throws {}
        mutating func createTrigger(_ trigger: TriggerSchema) throws {}
    }

    static let create = """
        DROP TABLE IF EXISTS sacoche_x;\r
        CREATE TABLE sacoche_x (
          id mediumint(8) unsigned NOT NULL AUTO_INCREMENT,
          code char(6) COLLATE utf8_unicode_ci NOT NULL DEFAULT '' COMMENT 'l''UAI ; ou \\\\ rien',
          genre enum('I','M','F') COLLATE utf8_unicode_ci NOT NULL DEFAULT 'I',
          note tinyint(3) NOT NULL DEFAULT '0',
          texte text COLLATE utf8_unicode_ci,
          jour date DEFAULT NULL,
          PRIMARY KEY (id),
          UNIQUE KEY code (code),
          FULLTEXT KEY texte (texte)
        ) ENGINE=MyISAM AUTO_INCREMENT=5 DEFAULT CHARSET=utf8 COLLATE=utf8_unicode_ci;\r
        ALTER TABLE sacoche_x DISABLE KEYS;\r

        """

    func parse(_ text: String, legacy: Bool = false) throws -> Collector {
        var parser = SACocheDumpParser(handler: Collector())
        try parser.parse(Array(text.utf8), file: "dump_sacoche_x_0000.sql", table: "sacoche_x", legacyEscapes: legacy)
        try parser.finish()
        return parser.handler
    }

    @Test func createTableBecomesNeutralValuesAndKeepsItsMySQLDeclaration() throws {
        let collected = try parse(Self.create)
        let table = try #require(collected.tables.first)
        #expect(table.columnNames == ["id", "code", "genre", "note", "texte", "jour"])
        #expect(table.columns.map(\.declaredType) == ["MEDIUMINT(8)", "CHAR(6)", "TEXT", "TINYINT(3)", "TEXT", "TEXT"])
        #expect(
            table.checks == [
                #""id" BETWEEN 0 AND 16777215"#, #""genre" IN ('', 'I', 'M', 'F')"#, #""note" BETWEEN -128 AND 127"#,
            ])
        #expect(table.columns.map(\.defaultValue) == [nil, "''", "'I'", "0", nil, nil])
        #expect(table.primaryKey == ["id"])
        #expect(
            table.indexes.map(\.name) == ["sacoche_x.code", "sacoche_x.texte"]
                && table.indexes.map(\.unique) == [true, false])
        let mysql = try #require(table.mysql)
        #expect(
            mysql.columns.map(\.type) == [
                "mediumint(8) unsigned", "char(6)", "enum('I','M','F')", "tinyint(3)", "text", "date",
            ])
        #expect(mysql.columns[0].autoIncrement && mysql.columns[1].comment == "l'UAI ; ou \\ rien")
        #expect(
            mysql.columns.map(\.collation) == [nil, "utf8_unicode_ci", "utf8_unicode_ci", nil, "utf8_unicode_ci", nil])
        #expect(
            mysql.fulltextKeys == ["texte"] && mysql.engine == "MyISAM" && mysql.autoIncrement == 5
                && mysql.keyOrder == ["code", "texte"])
        #expect(collected.indexes == ["sacoche_x.code", "sacoche_x.texte"], "keys are handed on after the rows")
    }

    @Test func everyValueRenderingOfEverySACocheVersionReadsToTheSameValues() throws {
        // 2017 rules, the 2016 ones (leading zeros bare), the oldest (everything quoted), MySQL escapes,
        // raw CR/LF inside a string, NULL, a negative number quoted or not.
        let text =
            Self.create + """
                INSERT INTO sacoche_x VALUES \r
                (1,"020700","M",-3,"a\\"b\\\\c\\nd\\te\\0f\\Zg\\'h",NULL),\r
                (2,020700,"F","-3","ligne 1\r
                ligne 2 ; « é » \\% \\_",NULL),\r
                ("3","3","I","0","","2017-09-19"),\r
                (4,3,"",0,"",NULL);\r
                ALTER TABLE sacoche_x ENABLE KEYS;\r

                """
        let rows = try #require(try parse(text).rows["sacoche_x"])
        #expect(rows.map { $0[0] } == [.integer(1), .integer(2), .integer(3), .integer(4)])
        #expect(
            rows.map { $0[1] } == [.text("020700"), .text("020700"), .text("3"), .text("3")],
            "a bare number in a char column is text")
        #expect(
            rows.map { $0[3] } == [.integer(-3), .integer(-3), .integer(0), .integer(0)],
            "a quoted number in an int column is an integer")
        #expect(rows[0][4] == .text("a\"b\\c\nd\te\u{0}f\u{1A}g'h"))
        #expect(
            rows[1][4] == .text("ligne 1\r\nligne 2 ; « é » \\% \\_"),
            "CR/LF raw inside the quotes; \\% and \\_ keep their backslash")
        #expect(rows[2][5] == .text("2017-09-19") && rows[0][5] == .null)
        #expect(rows[3][2] == .text(""), "'' is MySQL's error value of every enum")
    }

    @Test func theOldestWriterEscapedOnlyQuotes() throws {
        let text =
            Self.create + #"INSERT INTO sacoche_x VALUES ("1","C:\t\n","I","0","dit \"oui\" \\o/",NULL);"# + "\r\n"
        let rows = try #require(try parse(text, legacy: true).rows["sacoche_x"])
        #expect(rows[0][1] == .text(#"C:\t\n"#) && rows[0][4] == .text(#"dit "oui" \\o/"#))
    }

    @Test(arguments: [
        (
            "INSERT INTO sacoche_x VALUES (1,\"x\",\"I\",0,\"\",NULL,7);",
            "line 14, column 30: row 1 of INSERT INTO sacoche_x has more values than the table's 6 columns"
        ),
        (
            "INSERT INTO sacoche_x VALUES (1,\"x\",\"I\",0,\"\",NULL)",
            "the last statement has no ';': the file is truncated"
        ),
        ("INSERT INTO sacoche_x VALUES (1,\"x", "a string opened here is never closed"),
        ("SET NAMES utf8;", "line 14, column 1: 'SET' is not a statement SACoche writes"),
        ("/*!40000 ALTER TABLE sacoche_x ENABLE KEYS */;", "a comment ('/*')"),
        ("INSERT INTO sacoche_y VALUES (1);", "a statement about table sacoche_y in the file of table sacoche_x"),
        (
            "INSERT INTO sacoche_x VALUES (1,\"x\",\"I\",0,\"\",NULL); DROP TABLE sacoche_x;",
            "only DROP TABLE IF EXISTS is allowed"
        ),
    ])
    func whatSACocheNeverWritesIsRefusedWithItsPlace(statement: String, message: String) throws {
        #expect(throws: MySQLSyntaxError.self) { try parse(Self.create + statement + "\r\n") }
        do { _ = try parse(Self.create + statement + "\r\n") } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    /// A file whose last byte is the backslash of an open string: it is unclosed, said at once (the lexer
    /// once stood still on that backslash forever, so a crafted bundle hung every command that read it).
    @Test(arguments: ["\"\\", "'\\", "\"abc\\", "'é\\", "\"a\\nb\\"])
    func aBackslashAsTheLastByteIsAnUnclosedString(value: String) throws {
        for legacy in [false, true] {
            var lexer = MySQLLexer(bytes: Array(value.utf8), entry: "dump_sacoche_x_0000.sql", legacyEscapes: legacy)
            #expect(throws: MySQLSyntaxError.self) { _ = try lexer.next() }
        }
        let text = Self.create + "INSERT INTO sacoche_x VALUES (1," + value
        var parser = SACocheDumpParser(handler: Collector())
        do {
            try parser.parse(Array(text.utf8), file: "dump_sacoche_x_0000.sql", table: "sacoche_x")
            Issue.record("an unclosed string was accepted")
        } catch {
            #expect("\(error)".contains("line 14, column 33: a string opened here is never closed"), "\(error)")
        }
    }

    /// Values with and without escapes, valid UTF-8 or not, read the same whichever way the lexer takes.
    @Test func quotedValuesAreDecodedWithAndWithoutEscapes() throws {
        let cases: [(String, String)] = [
            ("\"plain\"", "plain"), ("''", ""), ("'l''UAI'", "l'UAI"), ("\"a\\\\b\"", "a\\b"),
            (
                "\"élève — 🙂 long enough to leave Swift's inline strings\"",
                "élève — 🙂 long enough to leave Swift's inline strings"
            ),
            ("\"x\\ny\"", "x\ny"), ("'\\%'", "\\%"),
        ]
        for (written, text) in cases {
            var lexer = MySQLLexer(bytes: Array(written.utf8), entry: "e")
            let token = try #require(try lexer.next())
            #expect(token.text == text && token.bytes == nil, "\(written)")
        }
        for written in [[0x22, 0xFF, 0x41, 0x22], [0x22, 0x5C, 0x6E, 0xC3, 0x22]] as [[UInt8]] {
            var lexer = MySQLLexer(bytes: written, entry: "e")
            let token = try #require(try lexer.next())
            let expected: [UInt8] = written[1] == 0x5C ? [0x0A, 0xC3] : [0xFF, 0x41]
            #expect(token.bytes == expected && token.text == String(decoding: expected, as: UTF8.self))
        }
    }

    /// A value MySQL (strict mode) would refuse or change: every one is listed with its file, line,
    /// table, row, column and value, and the base is refused at the end.
    @Test(arguments: [
        (
            "INSERT INTO sacoche_x VALUES (1,\"x\",\"Z\",0,\"\",NULL);",
            "dump_sacoche_x_0000.sql line 14, column 37: table sacoche_x, row 1, column genre, value 'Z': 'Z' is not one of the values of enum('I','M','F')"
        ),
        (
            "INSERT INTO sacoche_x VALUES (\"-1\",\"x\",\"I\",0,\"\",NULL);",
            "line 14, column 31: table sacoche_x, row 1, column id, value '-1': -1 is out of the range of mediumint(8) unsigned (0…16777215)"
        ),
        (
            "INSERT INTO sacoche_x VALUES (1,\"x\",\"I\",\"douze\",\"\",NULL);",
            "column note, value 'douze': 'douze' is not an integer"
        ),
        (
            "INSERT INTO sacoche_x VALUES (99999999999999999999,\"x\",\"I\",0,\"\",NULL);",
            "99999999999999999999 is beyond 64 bits"
        ),
        (
            "INSERT INTO sacoche_x VALUES (1,\"0250010AB\",\"I\",0,\"\",NULL);",
            "has 9 characters, more than char(6) holds"
        ),
        (
            "INSERT INTO sacoche_x VALUES (1,\"x\",\"I\",0,\"\",\"2017-9-1\");",
            "'2017-9-1' is not a date as MySQL writes it"
        ),
        ("INSERT INTO sacoche_x VALUES (1,\"x\",\"I\",0,\"\",\"2017-02-30\");", "2017-02 has no day 30"),
        ("INSERT INTO sacoche_x VALUES (1,\"x\",\"I\",0,\"🙂\",NULL);", "a 4-byte UTF-8 character"),
        (
            "INSERT INTO sacoche_x VALUES (1,NULL,\"I\",0,\"\",NULL);",
            "column code, value NULL: NULL in a NOT NULL column"
        ),
        (
            "INSERT INTO sacoche_x VALUES (1,\"a\",\"I\",0,\"\",NULL),\r\n(2,\"b\",\"I\",0,\"\",\"2017-13-01\");",
            "line 15, column 17: table sacoche_x, row 2, column jour"
        ),
    ])
    func aValueMySQLWouldRefuseIsListedWithItsPlace(statement: String, message: String) throws {
        #expect(throws: SACocheBundleError.self) { try parse(Self.create + statement + "\r\n") }
        do { _ = try parse(Self.create + statement + "\r\n") } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test func everyRefusedValueIsListedNotJustTheFirst() throws {
        let text =
            Self.create
            + "INSERT INTO sacoche_x VALUES (1,\"a\",\"Z\",0,\"\",NULL),\r\n(2,\"b\",\"I\",0,\"\",\"2017-02-29\"),\r\n(3,\"c\",\"I\",300,\"\",NULL);\r\n"
        var parser = SACocheDumpParser(handler: Collector())
        try parser.parse(Array(text.utf8), file: "dump_sacoche_x_0000.sql", table: "sacoche_x")
        #expect(parser.valueProblems.map(\.line) == [14, 15, 16])
        #expect(parser.handler.rows["sacoche_x"] == nil, "refused rows are not handed on")
        #expect(throws: SACocheBundleError.self) { try parser.finish() }
    }

    @Test func readingStopsAfterAHundredRefusedValues() throws {
        let rows = (1...101).map { "(\($0),\"c\($0)\",\"Z\",0,\"\",NULL)" }.joined(separator: ",\r\n")
        #expect(throws: MySQLSyntaxError.self) {
            try parse(Self.create + "INSERT INTO sacoche_x VALUES \r\n" + rows + ";\r\n")
        }
        do { _ = try parse(Self.create + "INSERT INTO sacoche_x VALUES \r\n" + rows + ";\r\n") } catch {
            #expect(
                "\(error)".contains("table sacoche_x, row 101, column genre")
                    && "\(error)".contains("reading stopped after 100 refused values"), "\(error)")
        }
    }

    @Test func valuesAreWrittenAsSACoche2017WritesThem() {
        let row = SQLValueRow(values: [
            .integer(0), .integer(42), .integer(-1), .text("020700"), .text("0"), .text("7"), .null,
            .text("a\"b\\c\r\nd"), .real(12.5), .text(""),
        ])
        var buffer: [UInt8] = []
        for index in 0..<row.count {
            if index > 0 { buffer.append(0x2C) }
            MySQLDumpText.appendValue(of: row, at: index, to: &buffer)
        }
        #expect(
            String(decoding: buffer, as: UTF8.self)
                == "0,42,\"-1\",\"020700\",0,7,NULL,\"a\\\"b\\\\c\r\nd\",\"12.5\",\"\"")
        #expect(MySQLDumpText.rowsPerFile(table: "sacoche_user", packet: 5000) == 1250)
        #expect(MySQLDumpText.rowsPerFile(table: "sacoche_siecle_import", packet: 5000) == 1)
        #expect(MySQLDumpText.rowsPerFile(table: "sacoche_saisie", packet: 1000) == 1000)
    }

    @Test func createTableIsWrittenBackAsMySQL5PrintsIt() throws {
        let table = try #require(try parse(Self.create).tables.first)
        let written = try MySQLDumpText.createTable(table, autoIncrement: 5, baseID: 1)
        let original = Self.create.components(separatedBy: "\r\n")[1]  // the CREATE TABLE, without its ';'
        #expect(written + ";" == original)
        // And what is written reads back as the same table.
        var cursor = MySQLTokenCursor(tokens: try tokens(written), entry: "again")
        #expect(try MySQLCreateTableParser.parse(&cursor) == table)
    }

    func tokens(_ text: String) throws -> [MySQLToken] {
        var lexer = MySQLLexer(bytes: Array(text.utf8), entry: "again")
        var result: [MySQLToken] = []
        while let token = try lexer.next() { result.append(token) }
        return result
    }

    @Test func theTableDeclarationRidesAlongInSQLiteDDL() throws {
        let table = try #require(try parse(Self.create).tables.first)
        let ddl = PortableDDL.createTable(table)
        #expect(ddl.contains("\n  -- transfert-mysql {"))
        guard case .table(let reread) = try SchemaStatementParser.parse(Array(ddl.utf8)) else {
            Issue.record("not a table")
            return
        }
        var expected = table
        expected.indexes = []  // indexes are separate statements in SQLite
        #expect(reread == expected)
    }

    @Test func namesAndOrder() {
        let files = [
            "dump_sacoche_saisie_0010.sql", "dump_sacoche_saisie_0002.sql", "dump_sacoche_devoir_0.sql",
            "dump_sacoche_saisie_0001.sql",
        ]
        #expect(
            files.sorted(by: SACocheNames.naturalOrder) == [
                "dump_sacoche_devoir_0.sql", "dump_sacoche_saisie_0001.sql",
                "dump_sacoche_saisie_0002.sql", "dump_sacoche_saisie_0010.sql",
            ])
        #expect(SACocheNames.tableAndChunk(ofEntry: "dump_sacoche_user_0003.sql")! == ("sacoche_user", 3))
        #expect(SACocheNames.tableAndChunk(ofEntry: "dump_sacoche_user_000.sql")! == ("sacoche_user", 0))
        #expect(SACocheNames.tableAndChunk(ofEntry: "dump_sacoche_user.sql") == nil)
        #expect(SACocheNames.baseID(ofInnerZip: "dump_SACoche_16_2017-10-02_14-05-37_1918102982.zip") == 16)
        #expect(
            SACocheNames.isInnerZip("dump_SACoche_16_2017-10-02_14-05-37_1918102982.zip")
                && !SACocheNames.isInnerZip("2016-12-08"))
        let guid = SACocheBundleSource.guid(bundleName: "bases_dump_x", innerZip: "dump_SACoche_1_x.zip")
        #expect(
            guid == SACocheBundleSource.guid(bundleName: "bases_dump_x", innerZip: "dump_SACoche_1_x.zip"),
            "the same on every run")
        #expect(guid != SACocheBundleSource.guid(bundleName: "bases_dump_y", innerZip: "dump_SACoche_1_x.zip"))
    }
}
