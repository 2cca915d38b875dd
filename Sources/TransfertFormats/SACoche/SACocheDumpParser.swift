import Foundation
import TransfertModel

/// Reads the SQL files of one SACoche base — MySQL dialect, as SACoche's `fonction_dump.php` writes them
/// (`Docs/sacoche.md`) — and hands tables, rows and keys to a ``DumpHandler``. Nothing is executed.
///
/// Allowed, per file `dump_<table>_NNNN.sql` and about that table only: `DROP TABLE IF EXISTS`, `CREATE
/// TABLE` (``MySQLCreateTableParser``), `ALTER TABLE … DISABLE KEYS` / `ENABLE KEYS`, and `INSERT INTO …
/// VALUES (…), (…)` with or without a column list. Every value is read by its column's type
/// (``MySQLValueCoercion``). Anything else is refused with its file, line and column. Keys are handed
/// on after every row (``finish()``), as MySQL builds them at `ENABLE KEYS`.
///
/// ```swift
/// var parser = SACocheDumpParser(handler: handler)
/// for (name, bytes) in files { try parser.parse(bytes, file: name) }
/// try parser.finish()
/// ```
public struct SACocheDumpParser<Handler: DumpHandler> {
    public var handler: Handler
    /// Tables in the order they were created.
    public private(set) var tables: [TableSchema] = []
    /// Rows read per table.
    public private(set) var rowCounts: [String: Int64] = [:]
    /// `version_base`, as `sacoche_parametre` holds it (FORMAT.md §5), once that table's rows are read.
    public private(set) var versionBase: String?
    private var tableIndex: [String: Int] = [:]
    private var droppedBeforeCreate: Set<String> = []
    /// The tokens of the statement being read, kept from one file to the next: an `INSERT` of SACoche's
    /// holds tens of thousands of tokens, and growing a new array for each file cost more than reading it.
    private var statement: [MySQLToken] = []

    /// The largest SQL file read (SACoche keeps each below the server's `max_allowed_packet`, 1 GiB at most).
    public static var maximumFileBytes: Int { 512 * 1024 * 1024 }

    public init(handler: Handler) {
        self.handler = handler
    }

    /// Parses one whole SQL file. `table` is the table its name declares (`dump_<table>_NNNN.sql`): every
    /// statement must be about it.
    public mutating func parse(_ bytes: [UInt8], file: String, table expected: String?, legacyEscapes: Bool = false)
        throws(MySQLSyntaxError)
    {
        var lexer = MySQLLexer(bytes: bytes, entry: file, legacyEscapes: legacyEscapes)
        statement.removeAll(keepingCapacity: true)
        while let token = try lexer.next() {
            if token.kind == .symbol && token.text == ";" {
                guard !statement.isEmpty else {
                    throw MySQLSyntaxError(
                        entry: file, line: token.line, column: token.column, message: "an empty statement (';' alone)")
                }
                try run(statement, file: file, expected: expected, bytes: bytes)
                statement.removeAll(keepingCapacity: true)
            } else {
                statement.append(token)
            }
        }
        if let first = statement.first {
            throw MySQLSyntaxError(
                entry: file, line: first.line, column: first.column,
                message: "the last statement has no ';': the file is truncated")
        }
    }

    /// Values MySQL would have refused or changed (``MySQLValueCoercion``), with their file, line, table,
    /// row and column; their rows are not handed on, and ``finish()`` refuses the base.
    public private(set) var valueProblems: [MySQLValueRefusal] = []
    /// Refused values listed before reading stops.
    public static var maximumValueProblems: Int { 100 }

    /// Hands on the keys of every table, once every row is in. Throws
    /// ``SACocheBundleError/valuesRefused(_:)`` when a value was refused.
    public mutating func finish() throws {
        guard valueProblems.isEmpty else { throw SACocheBundleError.valuesRefused(valueProblems) }
        for table in tables {
            for index in table.indexes { try handler.createIndex(index, on: table) }
        }
    }

    private mutating func run(_ tokens: [MySQLToken], file: String, expected: String?, bytes: [UInt8])
        throws(MySQLSyntaxError)
    {
        var cursor = MySQLTokenCursor(tokens: tokens, entry: file)
        let first = tokens[0]
        // Captures no cursor: it is called while the cursor is passed inout.
        func checkTable(_ name: String, _ token: MySQLToken?) throws(MySQLSyntaxError) {
            if let expected, name != expected {
                let place = token ?? first
                throw MySQLSyntaxError(
                    entry: file, line: place.line, column: place.column,
                    message:
                        "a statement about table \(name) in the file of table \(expected): each file holds one table's statements"
                )
            }
        }
        switch first.keyword {
        case "DROP":
            guard cursor.acceptWords(["DROP", "TABLE", "IF", "EXISTS"]) else {
                throw cursor.error("only DROP TABLE IF EXISTS is allowed (before the CREATE TABLE of the same table)")
            }
            let token = cursor.current
            let name = try cursor.name("table")
            try checkTable(name, token)
            if let extra = cursor.current {
                throw cursor.error("DROP TABLE names one table only, found '\(extra.text)'", at: extra)
            }
            if tableIndex[name] != nil {
                throw cursor.error("table \(name) is dropped after it was created", at: token)
            }
            droppedBeforeCreate.insert(name)
        case "CREATE":
            let table: TableSchema
            do {
                table = try MySQLCreateTableParser.parse(&cursor)
            }
            try checkTable(table.name, tokens.count > 2 ? tokens[2] : first)
            guard tableIndex[table.name] == nil else {
                throw cursor.error("table \(table.name) is created twice", at: first)
            }
            guard tables.count < DumpLimits.maximumSchemaObjects else {
                throw cursor.error("more than \(DumpLimits.maximumSchemaObjects) tables", at: first)
            }
            do { try handler.createTable(table) } catch {
                throw cursor.error("table \(table.name) cannot be created: \(error)", at: first)
            }
            tableIndex[table.name] = tables.count
            tables.append(table)
            rowCounts[table.name] = 0
        case "ALTER":
            guard cursor.acceptWords(["ALTER", "TABLE"]) else {
                throw cursor.error("only ALTER TABLE … DISABLE KEYS / ENABLE KEYS is allowed")
            }
            let token = cursor.current
            let name = try cursor.name("table")
            try checkTable(name, token)
            guard cursor.acceptWords(["DISABLE", "KEYS"]) || cursor.acceptWords(["ENABLE", "KEYS"]), cursor.isAtEnd
            else {
                throw cursor.error("only ALTER TABLE … DISABLE KEYS / ENABLE KEYS is allowed", at: first)
            }
            guard tableIndex[name] != nil else {
                throw cursor.error("ALTER TABLE \(name) comes before its CREATE TABLE", at: token)
            }
        case "INSERT":
            try insert(&cursor, checkTable: checkTable)
        default:
            throw cursor.error(
                "'\(first.text)' is not a statement SACoche writes: a SACoche dump holds only DROP TABLE IF EXISTS, CREATE TABLE, ALTER TABLE … DISABLE/ENABLE KEYS and INSERT INTO … VALUES",
                at: first)
        }
    }

    private mutating func insert(
        _ cursor: inout MySQLTokenCursor, checkTable: (String, MySQLToken?) throws(MySQLSyntaxError) -> Void
    ) throws(MySQLSyntaxError) {
        let statement = cursor.current
        try cursor.expectWord("INSERT")
        try cursor.expectWord("INTO")
        let nameToken = cursor.current
        let name = try cursor.name("table")
        try checkTable(name, nameToken)
        guard let position = tableIndex[name], let mysql = tables[position].mysql else {
            throw cursor.error(
                "INSERT INTO \(name), a table with no CREATE TABLE before it (a missing or misordered file)",
                at: nameToken)
        }
        let table = tables[position]
        var columns = table.columnNames
        if let next = cursor.current, next.kind == .symbol, next.text == "(" {
            let listed = try cursor.nameList("column")
            for column in listed where !columns.contains(column) {
                throw cursor.error(
                    "INSERT INTO \(name) names column \(column), which the table does not have", at: nameToken)
            }
            if Set(listed).count != listed.count {
                throw cursor.error("INSERT INTO \(name) names a column twice", at: nameToken)
            }
            columns = listed
        }
        // One rule per column, worked out once per statement: type, NOT NULL, charset (MySQLColumnRule).
        var ruleByColumn: [String: MySQLColumnRule] = [:]
        for (column, declared) in zip(table.columns, mysql.columns) {
            ruleByColumn[column.name] = try MySQLColumnRule(
                column: declared, of: mysql, notNull: column.notNull || table.primaryKey.contains(column.name))
        }
        let rules = columns.map { ruleByColumn[$0]! }
        let rowsBefore = rowCounts[name] ?? 0
        try cursor.expectWord("VALUES")
        do { try handler.startInsert(into: table, columns: columns) } catch {
            throw cursor.error("\(error)", at: statement)
        }
        let versionColumns =
            name == "sacoche_parametre"
            ? (columns.firstIndex(of: "parametre_nom"), columns.firstIndex(of: "parametre_valeur")) : (nil, nil)
        var rows: [SQLValueRow] = []
        var rowNumber = 0
        repeat {
            let open = cursor.current
            try cursor.expectSymbol("(")
            rowNumber += 1
            var values: [SQLValue] = []
            values.reserveCapacity(columns.count)
            var refused = false
            repeat {
                guard let token = cursor.current else {
                    throw cursor.error("row \(rowNumber) of INSERT INTO \(name) is unfinished")
                }
                let literal: MySQLLiteral
                switch token.kind {
                case .number: literal = .number(token.text)
                case .singleQuoted, .doubleQuoted: literal = token.bytes.map { .bytes($0) } ?? .string(token.text)
                case .word where token.keyword == "NULL": literal = .null
                case .symbol where token.text == "-":
                    cursor.advance()
                    guard let number = cursor.current, number.kind == .number else {
                        throw cursor.error("'-' must be followed by a number\(cursor.found)")
                    }
                    literal = .number("-" + number.text)
                default:
                    throw cursor.error("'\(token.text)' is not a value (a number, a quoted string or NULL)", at: token)
                }
                let index = values.count
                guard index < columns.count else {
                    throw cursor.error(
                        "row \(rowNumber) of INSERT INTO \(name) has more values than the table's \(columns.count) columns",
                        at: open)
                }
                switch MySQLValueCoercion.coerce(literal, rule: rules[index]) {
                case .success(let value): values.append(value)
                case .failure(let reason):
                    // Every refused value is listed (up to a limit), not just the first: the row is left out and reading goes on.
                    let refusal = MySQLValueRefusal(
                        entry: cursor.entry, line: token.line, column: token.column,
                        problem: MySQLValueProblem(
                            table: name, row: rowsBefore + Int64(rowNumber), key: nil, column: columns[index],
                            value: MySQLRowAudit.shown(literal), reason: reason))
                    guard valueProblems.count < Self.maximumValueProblems else {
                        throw MySQLSyntaxError(
                            entry: cursor.entry, line: token.line, column: token.column,
                            message:
                                "\(refusal.problem) (and more: reading stopped after \(Self.maximumValueProblems) refused values)"
                        )
                    }
                    valueProblems.append(refusal)
                    refused = true
                    values.append(.null)
                }
                cursor.advance()
            } while cursor.acceptSymbol(",")
            guard values.count == columns.count else {
                throw cursor.error(
                    "row \(rowNumber) of INSERT INTO \(name) has \(values.count) values where the table has \(columns.count) columns",
                    at: open)
            }
            try cursor.expectSymbol(")")
            if let key = versionColumns.0, let valueIndex = versionColumns.1, values[key] == .text("version_base"),
                versionBase == nil
            {
                versionBase = values[valueIndex].textValue
            }
            if !refused { rows.append(SQLValueRow(values: values)) }
            if rows.count >= 512 { try flush(&rows, cursor: cursor, statement: statement) }
        } while cursor.acceptSymbol(",")
        if let extra = cursor.current {
            throw cursor.error("unexpected '\(extra.text)' after the rows of INSERT INTO \(name)", at: extra)
        }
        try flush(&rows, cursor: cursor, statement: statement)
        rowCounts[name, default: 0] += Int64(rowNumber)
    }

    private mutating func flush(_ rows: inout [SQLValueRow], cursor: MySQLTokenCursor, statement: MySQLToken?)
        throws(MySQLSyntaxError)
    {
        guard !rows.isEmpty else { return }
        do { try handler.insertRows(rows) } catch let error as MySQLSyntaxError { throw error } catch {
            throw cursor.error("\(error)", at: statement)
        }
        rows.removeAll(keepingCapacity: true)
    }
}
