import Foundation
import TransfertModel

/// Reads dump text under the archive-format rules (`Docs/archive-format.md` §3) and never executes it.
///
/// Bytes are pushed in any slices (as the ZIP inflates them); the parser cuts them into statements,
/// parses each one, checks it is one of the allowed forms on the dump's own tables, and hands typed
/// values to a ``DumpHandler`` — which binds them as parameters. Anything else (`ATTACH`, `PRAGMA`,
/// triggers, statements on other tables, stray text) is refused with its entry, line and column.
///
/// ```swift
/// var parser = DumpParser(handler: restorer)
/// parser.startEntry("base_12/000001.sql")
/// try parser.feed(bytes)
/// try parser.finishEntry()
/// ```
public struct DumpParser<Handler: DumpHandler> {
    public var handler: Handler
    /// Tables created so far, by name.
    public private(set) var tables: [String: TableSchema] = [:]
    public private(set) var tableOrder: [String] = []
    /// Everything the dump declared so far.
    public private(set) var schema = DatabaseSchema()
    public private(set) var sawBegin = false
    public private(set) var sawCommit = false

    /// Tables, indexes, views and triggers declared so far (see ``DumpLimits/maximumSchemaObjects``).
    private var schemaObjects = 0

    /// A hostile dump could hold one endless statement: refuse it before it fills memory.
    public var maximumStatementBytes = 64 * 1024 * 1024

    /// How the engine the rows go to converts values (``StoredValueRules``): when set, a value it would
    /// store differently from the way it was parsed (and digested) is refused, naming its table, row and
    /// column (``StoredValueCheck``).
    public var storedValueRules: StoredValueRules?
    /// Rows read so far per table, to name a refused row (counted only with ``storedValueRules``).
    private var rowsRead: [String: Int] = [:]

    private var statement: [UInt8] = []
    private var entry = ""
    private var line = 1
    private var column = 1
    private var statementLine = 1
    private var statementColumn = 1
    private var state = ScanState.normal
    private var row = ParsedRow()
    /// Whether the statement being read is a trigger still in its body, and how much of it was read.
    private var trigger = TriggerTracker()
    private var scanned = 0

    private enum ScanState { case normal, dash, comment, string, stringQuote, identifier, identifierQuote }

    public init(handler: Handler) {
        self.handler = handler
        statement.reserveCapacity(1024 * 1024)
    }

    /// Starts a new chunk of the dump; statements never span two chunks.
    public mutating func startEntry(_ path: String) {
        entry = path
        trigger = TriggerTracker()
        scanned = 0
        line = 1
        column = 1
        state = .normal
        statement.removeAll(keepingCapacity: true)
    }

    /// Pushes the next bytes of the current entry.
    ///
    /// This is the hot loop of every restore: ordinary bytes are skipped in tight loops that only look
    /// for the few bytes that change the scanner's state, and the column is worked out once per
    /// statement (from its text) rather than tracked byte by byte.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws {
        var segmentStart = 0
        var index = 0
        let count = bytes.count
        while index < count {
            if statement.isEmpty && index == segmentStart && state == .normal {
                let byte = bytes[index]
                if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                    // Whitespace between statements is not kept.
                    advance(byte)
                    index += 1
                    segmentStart = index
                    continue
                }
                statementLine = line
                statementColumn = column
            }
            let byte = bytes[index]
            if byte == 0x0A { line += 1 }
            switch state {
            case .normal:
                if byte == 0x27 {
                    state = .string
                } else if byte == 0x22 {
                    state = .identifier
                } else if byte == 0x2D {
                    state = .dash
                } else if byte == 0x3B {
                    statement.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[segmentStart...index]))
                    index += 1
                    segmentStart = index
                    // A trigger's body holds statements of its own: read on to its `END;`.
                    if statement.first.map({ $0 | 0x20 == 0x63 }) == true {
                        let complete = trigger.feed(statement[scanned...])
                        scanned = statement.count
                        if !complete { continue }
                    }
                    trigger = TriggerTracker()
                    scanned = 0
                    column = columnAfterStatement()
                    try completeStatement()
                    continue
                }
                index += 1
                // Up to the next quote, '-', ';' or newline.
                if state == .normal {
                    while index < count, !Self.isNormalStop(bytes[index]) { index += 1 }
                }
                continue
            case .dash:
                state = byte == 0x2D ? .comment : .normal
                if state == .normal {
                    if byte == 0x0A { line -= 1 }  // reconsidered in the normal state
                    continue
                }
            case .comment:
                if byte == 0x0A { state = .normal }
            case .string:
                index += 1
                if byte == 0x27 {
                    state = .stringQuote
                } else {
                    // Up to the next quote or newline.
                    while index < count, bytes[index] != 0x27, bytes[index] != 0x0A { index += 1 }
                }
                continue
            case .stringQuote:
                if byte == 0x27 {
                    state = .string
                } else {
                    state = .normal
                    if byte == 0x0A { line -= 1 }  // reconsidered in the normal state
                    continue
                }
            case .identifier:
                if byte == 0x22 { state = .identifierQuote }
            case .identifierQuote:
                if byte == 0x22 {
                    state = .identifier
                } else {
                    state = .normal
                    if byte == 0x0A { line -= 1 }  // reconsidered in the normal state
                    continue
                }
            }
            index += 1
        }
        if segmentStart < count {
            statement.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[segmentStart..<count]))
            if statement.count > maximumStatementBytes {
                throw error(
                    "a statement is longer than \(maximumStatementBytes / 1024 / 1024) MiB; the dump is damaged or hostile",
                    at: statementPosition)
            }
        }
    }

    /// `'`, `"`, `-`, `;` or a newline: the bytes the normal state must look at.
    @inline(__always)
    private static func isNormalStop(_ byte: UInt8) -> Bool {
        let stops: UInt64 = 1 << 0x27 | 1 << 0x22 | 1 << 0x2D | 1 << 0x3B | 1 << 0x0A
        return byte < 64 && (stops >> UInt64(byte)) & 1 != 0
    }

    /// The column just after the statement now complete in `statement`: counted back to its last
    /// newline, or on from where it started.
    private func columnAfterStatement() -> Int {
        statement.withUnsafeBytes { bytes in
            var characters = 0
            var index = bytes.count
            while index > 0 {
                index -= 1
                let byte = bytes[index]
                if byte == 0x0A { return characters + 1 }
                if byte & 0xC0 != 0x80 { characters += 1 }
            }
            return statementColumn + characters
        }
    }

    public mutating func feed(_ data: Data) throws {
        try data.withUnsafeBytes { try feed($0) }
    }

    /// Ends the current entry: only comments and blank space may follow its last statement.
    public mutating func finishEntry() throws {
        if state == .comment || state == .dash || state == .stringQuote || state == .identifierQuote { state = .normal }
        // What is left after the last ';' may only be blank space and comments.
        let onlyComments = statement.withUnsafeBytes { bytes in
            var cursor = StatementCursor(bytes: bytes, position: statementPosition)
            cursor.skipSpace()
            return cursor.index == bytes.count
        }
        if state != .normal || !onlyComments {
            throw error(
                "the entry ends in the middle of a statement (a missing ';' or an unclosed quote): the dump is truncated",
                at: statementPosition)
        }
        if !statement.isEmpty { column = columnAfterStatement() }
        statement.removeAll(keepingCapacity: true)
    }

    /// Checks the dump as a whole once every entry was read.
    public func finish() throws {
        let position = DumpPosition(entry: entry, line: line, column: column)
        if !sawBegin {
            throw DumpParseError(position: position, message: "the dump has no BEGIN TRANSACTION: it is incomplete")
        }
        if !sawCommit {
            throw DumpParseError(position: position, message: "the dump has no COMMIT at its end: it is truncated")
        }
        // A foreign key may name a table created later in the dump, never one outside it.
        for table in schema.tables {
            for key in table.foreignKeys
            where schema.table(named: key.reference.table) == nil
                && !schema.tables.contains(where: { $0.name.lowercased() == key.reference.table.lowercased() })
            {
                throw DumpParseError(
                    position: position,
                    message:
                        "table \(table.name) has a foreign key to \(key.reference.table), which this dump does not create"
                )
            }
        }
    }

    private var statementPosition: DumpPosition {
        DumpPosition(entry: entry, line: statementLine, column: statementColumn)
    }

    private mutating func advance(_ byte: UInt8) {
        if byte == 0x0A {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    private func error(_ message: String, at position: DumpPosition) -> DumpParseError {
        DumpParseError(position: position, message: message)
    }

    // MARK: Statements

    private mutating func completeStatement() throws {
        defer { statement.removeAll(keepingCapacity: true) }
        let position = statementPosition
        try statement.withUnsafeBytes { bytes in
            var cursor = StatementCursor(bytes: bytes, position: position)
            cursor.skipSpace()
            if cursor.atTerminator { return }  // an empty statement (";")
            if sawCommit { throw cursor.error("nothing may follow COMMIT") }
            let keywordStart = cursor.index
            let keyword = cursor.word()
            switch keyword {
            case "BEGIN":
                if sawBegin { throw cursor.error("a second BEGIN") }
                if cursor.peekWord() == "TRANSACTION" { _ = cursor.word() }
                try cursor.expectEnd()
                sawBegin = true
            case "PRAGMA" where cursor.peekWord() == "DEFER_FOREIGN_KEYS":
                // The one pragma a dump holds, so that it also loads by hand into a connection that
                // enforces foreign keys (rows come table by table, not parents first). A restore defers
                // the checks itself: nothing to hand on.
                try requireBegin(cursor)
                _ = cursor.word()
                try cursor.expect(0x3D, "=")
                guard cursor.word() == "ON" else {
                    throw cursor.error("only PRAGMA defer_foreign_keys = ON is allowed")
                }
                try cursor.expectEnd()
            case "COMMIT":
                if cursor.peekWord() == "TRANSACTION" { _ = cursor.word() }
                try cursor.expectEnd()
                sawCommit = true
            case "CREATE":
                try requireBegin(cursor)
                try create(statement: bytes, at: position, cursor: cursor)
            case "INSERT":
                try requireBegin(cursor)
                guard cursor.word() == "INTO" else { throw cursor.error("expected INSERT INTO") }
                try insert(&cursor)
            case "":
                throw cursor.error("unexpected text: \(DumpParseError.allowed)", at: keywordStart)
            default:
                throw cursor.error("\(keyword) is not allowed: \(DumpParseError.allowed)", at: keywordStart)
            }
        }
    }

    private func requireBegin(_ cursor: StatementCursor) throws {
        if !sawBegin { throw cursor.error("the dump must start with BEGIN TRANSACTION") }
    }

    /// CREATE TABLE, INDEX, VIEW or TRIGGER: read by the schema parser (the same one that reads
    /// profiles), checked against what the dump created before, and handed on as neutral values.
    private mutating func create(
        statement bytes: UnsafeRawBufferPointer, at position: DumpPosition, cursor: StatementCursor
    ) throws {
        let parsed: SchemaStatement
        do throws(SchemaSyntaxError) {
            parsed = try SchemaStatementParser.parse(Array(bytes))
            // A hostile dump could declare objects by the hundred thousand (each checked against the
            // others): a real establishment has a few hundred at most.
            guard schemaObjects < DumpLimits.maximumSchemaObjects else {
                throw SchemaSyntaxError(
                    offset: 0,
                    message:
                        "more than \(DumpLimits.maximumSchemaObjects) tables, indexes, views and triggers: the dump is damaged or hostile"
                )
            }
            try SchemaStatementParser.add(parsed, to: &schema, at: 0)
            schemaObjects += 1
        } catch {
            throw cursor.error(error.message, at: error.offset)
        }
        switch parsed {
        case .table(let table):
            tables[table.name] = table
            tableOrder.append(table.name)
            try handler.createTable(table)
        case .index(let index, let tableName):
            guard var table = tables[tableName] else {
                throw cursor.error("index \(index.name) is on table \(tableName), which this dump did not create")
            }
            table.indexes.append(index)
            tables[tableName] = table
            try handler.createIndex(index, on: table)
        case .view(let view):
            try handler.createView(view)
        case .trigger(let trigger):
            try handler.createTrigger(trigger)
        }
    }

    private mutating func insert(_ cursor: inout StatementCursor) throws {
        cursor.skipSpace()
        let tableStart = cursor.index
        let tableName = try cursor.identifier()
        guard let table = tables[tableName] else {
            throw cursor.error(
                "INSERT INTO \(tableName): this dump did not create that table; statements on other tables are not allowed",
                at: tableStart)
        }
        let columns = try cursor.identifierList()
        for column in columns where !table.columns.contains(where: { $0.name == column }) {
            throw cursor.error("INSERT INTO \(tableName) names column \(column), which the table does not have")
        }
        if Set(columns).count != columns.count { throw cursor.error("INSERT INTO \(tableName) names a column twice") }
        guard cursor.word() == "VALUES" else { throw cursor.error("expected VALUES (only literal rows are allowed)") }
        try handler.startInsert(into: table, columns: columns)
        let check = storedValueRules.map { StoredValueCheck(rules: $0, table: table, columns: columns) }
        let checking = check.map { !$0.checksNothing } ?? false
        var rowNumber = storedValueRules == nil ? 0 : rowsRead[tableName, default: 0]
        repeat {
            let rowStart = cursor.index
            try cursor.expect(0x28, "(")
            row.reset(bytes: cursor.bytes)
            repeat {
                try cursor.literal(into: &row)
            } while try cursor.commaOrClose()
            if row.count != columns.count {
                throw cursor.error("a row of \(tableName) has \(row.count) values for \(columns.count) columns")
            }
            rowNumber += 1
            if checking, let (index, change) = check!.firstChange(in: row) {
                throw cursor.error(
                    Self.conversionRefusal(
                        table: table, row: rowNumber, column: columns[index], index: index,
                        value: row.literal(at: index), change: change, check: check!),
                    at: try Self.start(ofValue: index, inRowAt: rowStart, of: cursor))
            }
            try handler.insertRow(row)
            cursor.skipSpace()
        } while cursor.consume(0x2C)
        try cursor.expectEnd()
        if storedValueRules != nil { rowsRead[tableName] = rowNumber }
    }

    /// Where value `index` of the row starting at `rowStart` begins: the row is read again (only for a
    /// refusal, so that rows accepted pay nothing for it).
    private static func start(ofValue index: Int, inRowAt rowStart: Int, of cursor: StatementCursor) throws -> Int {
        var again = cursor
        again.index = rowStart
        var scratch = ParsedRow()
        scratch.reset(bytes: cursor.bytes)
        try again.expect(0x28, "(")
        for _ in 0..<index {
            try again.literal(into: &scratch)
            _ = try again.commaOrClose()
        }
        again.skipSpace()
        return again.index
    }

    /// Why a value the engine would convert is refused, in words an operator acts on.
    static func conversionRefusal(
        table: TableSchema, row: Int, column: String, index: Int, value: String, change: StoredValueChange,
        check: StoredValueCheck
    ) -> String {
        let engine = table.columns.first { $0.name == column }.map { check.describe($0, at: index) } ?? "the engine"
        return
            "table \(table.name), row \(row), column \(column): the value \(value) would be stored by \(engine) \(change.stored), so the restored table would differ from the digest of the rows as written. \(advice(check.rules))"
    }

    /// What to do about a refused value: on SQLite the source's engine would have converted it already;
    /// MariaDB keeps one kind per column where SQLite keeps any.
    static func advice(_ rules: StoredValueRules) -> String {
        switch rules {
        case .sqliteTypeAffinity:
            return
                "A dump written by transfert never holds such a value: the bundle was made or altered by hand; export the establishment again from its source"
        case .mariadbColumnTypes, .postgresqlColumnTypes:
            return
                "SQLite keeps a value of any kind in any column, \(rules.engine) only values of the column's type: correct the value (or the column's declared type) in the source establishment and export it again, or import it into a SQLite hosting"
        }
    }
}
