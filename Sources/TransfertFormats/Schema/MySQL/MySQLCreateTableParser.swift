import Foundation
import TransfertModel

/// Reads a MySQL `CREATE TABLE` — as `SHOW CREATE TABLE` writes it, with or without backquotes, so as
/// SACoche dumps it — into a neutral ``TableSchema`` whose ``TableSchema/mysql`` keeps what MySQL
/// declares beyond it.
///
/// The neutral part is what any engine enforces: the neutral type (``MySQLColumnType/neutralType``),
/// `NOT NULL`, `DEFAULT`, a CHECK for an integer's range or an enum's values, the primary key, and each
/// `KEY`, `UNIQUE KEY` and `FULLTEXT KEY` as an index named `<table>.<key>` (key names are per table in
/// MySQL, per database elsewhere). Foreign keys, partitions, generated columns and prefix keys are
/// refused with their line and column.
///
/// ```swift
/// var cursor = …  // the tokens after CREATE TABLE
/// let table = try MySQLCreateTableParser.parse(Array("CREATE TABLE t (id int(11) NOT NULL, PRIMARY KEY (id)) ENGINE=MyISAM".utf8), entry: "t.sql")
/// ```
public enum MySQLCreateTableParser {
    public static func parse(_ bytes: [UInt8], entry: String, line: Int = 1, ansiQuotes: Bool = false)
        throws(MySQLSyntaxError) -> TableSchema
    {
        var lexer = MySQLLexer(bytes: bytes, entry: entry, line: line, ansiQuotes: ansiQuotes)
        var tokens: [MySQLToken] = []
        while let token = try lexer.next() { tokens.append(token) }
        if tokens.last?.text == ";" && tokens.last?.kind == .symbol { tokens.removeLast() }
        var cursor = MySQLTokenCursor(tokens: tokens, entry: entry)
        return try parse(&cursor)
    }

    /// Reads from `CREATE TABLE` to the end of the statement.
    static func parse(_ cursor: inout MySQLTokenCursor) throws(MySQLSyntaxError) -> TableSchema {
        try cursor.expectWord("CREATE")
        if cursor.peekWord("TEMPORARY") { throw cursor.error("temporary tables are not part of a database") }
        try cursor.expectWord("TABLE")
        _ = cursor.acceptWords(["IF", "NOT", "EXISTS"])
        let nameToken = cursor.current
        let name = try cursor.name("table")
        try cursor.expectSymbol("(")
        var table = TableSchema(name: name, columns: [])
        var mysql = MySQLTableDefinition(columns: [])
        repeat {
            guard let token = cursor.current else { throw cursor.error("unfinished CREATE TABLE \(name)") }
            switch token.keyword {
            case "PRIMARY":
                cursor.advance()
                try cursor.expectWord("KEY")
                if !table.primaryKey.isEmpty {
                    throw cursor.error("table \(name) declares two primary keys", at: token)
                }
                let columns = try keyColumns(&cursor, table: table)
                table.constraints.append(TableConstraint(.primaryKey, columns: columns))
            case "UNIQUE", "KEY", "INDEX", "FULLTEXT":
                cursor.advance()
                let unique = token.keyword == "UNIQUE"
                let fulltext = token.keyword == "FULLTEXT"
                if unique || fulltext { if !cursor.acceptWord("KEY") { _ = cursor.acceptWord("INDEX") } }
                var keyName: String?
                if let next = cursor.current, next.isName {
                    keyName = next.text
                    cursor.advance()
                }
                let columns = try keyColumns(&cursor, table: table)
                let key = keyName ?? columns[0]
                let qualified = MySQLTableDefinition.qualifiedKeyName(key, table: name)
                if table.indexes.contains(where: { $0.name == qualified }) {
                    throw cursor.error("key \(key) is declared twice in \(name)", at: token)
                }
                table.indexes.append(IndexSchema(name: qualified, unique: unique, columns: columns))
                if fulltext { mysql.fulltextKeys.append(key) }
                mysql.keyOrder = (mysql.keyOrder ?? []) + [key]
            case "CONSTRAINT", "FOREIGN", "CHECK", "SPATIAL":
                throw cursor.error(
                    "\(token.text) in CREATE TABLE \(name) is not supported for MySQL tables: SACoche declares none; carry this base by hand",
                    at: token)
            default:
                let (column, definition) = try self.column(&cursor, table: name)
                if table.columns.contains(where: { $0.name.lowercased() == column.name.lowercased() }) {
                    throw cursor.error("column \(column.name) is declared twice in \(name)", at: token)
                }
                if !table.constraints.isEmpty || !table.indexes.isEmpty {
                    throw cursor.error("column \(column.name) is declared after the keys of \(name)", at: token)
                }
                table.columns.append(column)
                mysql.columns.append(definition)
            }
        } while cursor.acceptSymbol(",")
        try cursor.expectSymbol(")")
        try options(&cursor, into: &mysql)
        if let extra = cursor.current {
            throw cursor.error("unexpected '\(extra.text)' after CREATE TABLE \(name)", at: extra)
        }
        if table.columns.isEmpty { throw cursor.error("table \(name) has no column", at: nameToken) }
        for column in mysql.columns where column.autoIncrement {
            let keyed =
                table.primaryKey.first == column.name || table.indexes.contains { $0.columns.first == column.name }
            if !keyed {
                throw cursor.error(
                    "column \(column.name) of \(name) is AUTO_INCREMENT without being the first column of a key",
                    at: nameToken)
            }
        }
        // A string column without its own collation has the table's (MariaDB leaves it out of SHOW CREATE
        // TABLE then, MySQL 5 wrote it): one form for both.
        if let collation = mysql.collation {
            for index in mysql.columns.indices where mysql.columns[index].collation == nil {
                if (try? MySQLColumnType(parsing: mysql.columns[index].type))?.hasCollation == true {
                    mysql.columns[index].collation = collation
                }
            }
        }
        table.mysql = mysql
        return table
    }

    private static func keyColumns(_ cursor: inout MySQLTokenCursor, table: TableSchema) throws(MySQLSyntaxError)
        -> [String]
    {
        let start = cursor.current
        let columns = try cursor.nameList("key column")
        for column in columns where !table.columnNames.contains(where: { $0.lowercased() == column.lowercased() }) {
            throw cursor.error(
                "a key of \(table.name) names column \(column), which the table does not have", at: start)
        }
        if cursor.acceptWord("USING") {
            guard cursor.acceptWord("BTREE") || cursor.acceptWord("HASH") else {
                throw cursor.error("expected BTREE or HASH after USING\(cursor.found)")
            }
        }
        if cursor.peekWord("COMMENT") { throw cursor.error("key comments are not supported") }
        return columns.map { column in table.columnNames.first { $0.lowercased() == column.lowercased() } ?? column }
    }

    private static func column(_ cursor: inout MySQLTokenCursor, table: String) throws(MySQLSyntaxError) -> (
        ColumnSchema, MySQLColumnDefinition
    ) {
        let name = try cursor.name("column")
        let type = try MySQLColumnType.read(&cursor)
        var definition = MySQLColumnDefinition(name: name, type: type.text)
        var notNull = false
        var defaultValue: String?
        while let token = cursor.current, !(token.kind == .symbol && (token.text == "," || token.text == ")")) {
            switch token.keyword {
            case "NOT":
                cursor.advance()
                try cursor.expectWord("NULL")
                notNull = true
            case "NULL":
                cursor.advance()
            case "CHARACTER", "CHARSET":
                cursor.advance()
                if token.keyword == "CHARACTER" { try cursor.expectWord("SET") }
                _ = try cursor.name("character set")  // the table's charset (utf8): text is UTF-8 here anyway
            case "COLLATE":
                cursor.advance()
                definition.collation = MySQLNames.canonicalCollation(try cursor.name("collation"))
            case "DEFAULT":
                cursor.advance()
                defaultValue = try self.defaultValue(&cursor, type: type, column: name)
            case "ON":
                cursor.advance()
                try cursor.expectWord("UPDATE")
                try currentTimestamp(&cursor)
                definition.onUpdateCurrentTimestamp = true
            case "AUTO_INCREMENT":
                cursor.advance()
                guard type.isInteger else {
                    throw cursor.error("column \(name) is AUTO_INCREMENT but not an integer", at: token)
                }
                definition.autoIncrement = true
            case "COMMENT":
                cursor.advance()
                definition.comment = try cursor.string("the comment")
            case "GENERATED", "AS", "VIRTUAL", "PERSISTENT", "STORED", "INVISIBLE":
                throw cursor.error(
                    "generated or invisible columns (\(token.text)) are not supported: column \(name) of \(table)",
                    at: token)
            default:
                throw cursor.error(
                    "unexpected '\(token.text)' in the definition of column \(name) of \(table)", at: token)
            }
        }
        var column = ColumnSchema(name: name, declaredType: type.sqliteDeclaredType)
        if notNull { column.constraints.append(ColumnConstraint(.notNull)) }
        if let defaultValue { column.constraints.append(ColumnConstraint(.defaultValue, expression: defaultValue)) }
        if let check = type.checkExpression(column: name) {
            column.constraints.append(ColumnConstraint(.check, expression: check))
        }
        return (column, definition)
    }

    private static func currentTimestamp(_ cursor: inout MySQLTokenCursor) throws(MySQLSyntaxError) {
        guard cursor.acceptWord("CURRENT_TIMESTAMP") else {
            throw cursor.error("expected CURRENT_TIMESTAMP\(cursor.found)")
        }
        if cursor.acceptSymbol("(") { try cursor.expectSymbol(")") }
    }

    /// The DEFAULT as a neutral literal: a number for numeric columns, a quoted string otherwise;
    /// `nil` for `DEFAULT NULL` (what a nullable column has anyway).
    private static func defaultValue(_ cursor: inout MySQLTokenCursor, type: MySQLColumnType, column: String)
        throws(MySQLSyntaxError) -> String?
    {
        guard let token = cursor.current else { throw cursor.error("expected a default value") }
        if token.keyword == "NULL" {
            cursor.advance()
            return nil
        }
        if token.keyword == "CURRENT_TIMESTAMP" {
            try currentTimestamp(&cursor)
            return "CURRENT_TIMESTAMP"
        }
        var negative = false
        if token.kind == .symbol && token.text == "-" {
            negative = true
            cursor.advance()
        }
        guard let value = cursor.current, value.kind == .number || (value.isString && !negative) else {
            throw cursor.error("the default of column \(column) is not a literal\(cursor.found)")
        }
        cursor.advance()
        let literal: MySQLLiteral =
            value.kind == .number ? .number((negative ? "-" : "") + value.text) : .string(value.text)
        switch MySQLValueCoercion.coerce(literal, to: type) {
        case .success(.integer(let n)): return String(n)
        case .success(.real(let r)): return String(r)
        case .success(.text(let s)): return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .success(.blob(let b)): return "X'" + b.map { String(format: "%02X", $0) }.joined() + "'"
        case .success(.null): return nil
        case .failure(let reason): throw cursor.error("the default of column \(column): \(reason)", at: value)
        }
    }

    private static func options(_ cursor: inout MySQLTokenCursor, into mysql: inout MySQLTableDefinition)
        throws(MySQLSyntaxError)
    {
        while let token = cursor.current {
            _ = cursor.acceptWord("DEFAULT")
            guard let option = cursor.current else { throw cursor.error("unfinished table options") }
            cursor.advance()
            var key = option.keyword
            if key == "CHARACTER" {
                try cursor.expectWord("SET")
                key = "CHARSET"
            }
            _ = cursor.acceptSymbol("=")
            switch key {
            case "ENGINE": mysql.engine = try cursor.name("engine")
            case "CHARSET": mysql.charset = MySQLNames.canonicalCharset(try cursor.name("character set"))
            case "COLLATE": mysql.collation = MySQLNames.canonicalCollation(try cursor.name("collation"))
            case "COMMENT": mysql.comment = try cursor.string("the table comment")
            case "AUTO_INCREMENT":
                guard let number = cursor.current, number.kind == .number, let value = Int64(number.text) else {
                    throw cursor.error("AUTO_INCREMENT= needs an integer\(cursor.found)")
                }
                cursor.advance()
                mysql.autoIncrement = value
            case "ROW_FORMAT", "PACK_KEYS", "CHECKSUM", "DELAY_KEY_WRITE", "STATS_PERSISTENT", "PAGE_CHECKSUM",
                "TRANSACTIONAL":
                cursor.advance()  // storage tuning that changes no value
            default:
                throw cursor.error("table option \(option.text) is not supported", at: token)
            }
            _ = cursor.acceptSymbol(",")
        }
    }
}

/// Charset and collation names as MySQL 5 wrote them: MariaDB ≥ 10.6 and MySQL 8 say `utf8mb3` for
/// what SACoche declared `utf8`.
public enum MySQLNames {
    public static func canonicalCharset(_ name: String) -> String {
        let lower = name.lowercased()
        return lower == "utf8mb3" ? "utf8" : lower
    }

    public static func canonicalCollation(_ name: String) -> String {
        let lower = name.lowercased()
        return lower.hasPrefix("utf8mb3_") ? "utf8_" + lower.dropFirst("utf8mb3_".count) : lower
    }
}

extension MySQLCreateTableParser {
    /// Reads a script of `CREATE TABLE` statements (an application profile's schema in MySQL dialect, as
    /// SACoche's `_sql/structure/*.sql` declare it).
    public static func parseScript(_ text: String, entry: String) throws(MySQLSyntaxError) -> DatabaseSchema {
        var lexer = MySQLLexer(bytes: Array(text.utf8), entry: entry)
        var schema = DatabaseSchema()
        var statement: [MySQLToken] = []
        func finish() throws(MySQLSyntaxError) {
            guard !statement.isEmpty else { return }
            var cursor = MySQLTokenCursor(tokens: statement, entry: entry)
            let table = try parse(&cursor)
            if schema.table(named: table.name) != nil {
                throw cursor.error("table \(table.name) is created twice", at: statement.first)
            }
            schema.tables.append(table)
            statement.removeAll()
        }
        while let token = try lexer.next() {
            if token.kind == .symbol && token.text == ";" { try finish() } else { statement.append(token) }
        }
        try finish()
        return schema
    }
}
