import Foundation

/// Where something is in a dump: the ZIP entry, and the line and column in it.
public struct DumpPosition: Sendable, Equatable, CustomStringConvertible {
    public var entry: String
    public var line: Int
    public var column: Int

    public var description: String { "\(entry) line \(line), column \(column)" }
}

/// Why a dump was refused, with its position.
public struct DumpParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var position: DumpPosition
    public var message: String

    public var description: String { "\(position): \(message)" }

    static let allowed = "a dump may only hold CREATE TABLE, INSERT INTO and CREATE INDEX on its own tables, BEGIN and COMMIT"
}

/// What the parser hands on, statement by statement.
public protocol DumpHandler {
    mutating func createTable(_ table: TableSchema) throws
    /// Starts a multi-row INSERT; the rows follow through ``insertRow(_:)``.
    mutating func startInsert(into table: TableSchema, columns: [String]) throws
    /// One row of the current INSERT, valid during the call only.
    mutating func insertRow(_ row: some RawRow) throws
    /// Consecutive rows of the current INSERT; by default, one ``insertRow(_:)`` each.
    mutating func insertRows<Rows: RandomAccessCollection>(_ rows: Rows) throws where Rows.Element: RawRow
    mutating func createIndex(_ index: IndexSchema, on table: TableSchema) throws
}

extension DumpHandler {
    public mutating func insertRows<Rows: RandomAccessCollection>(_ rows: Rows) throws where Rows.Element: RawRow {
        for row in rows { try insertRow(row) }
    }
}

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
    public private(set) var sawBegin = false
    public private(set) var sawCommit = false

    /// A hostile dump could hold one endless statement: refuse it before it fills memory.
    public var maximumStatementBytes = 64 * 1024 * 1024

    private var statement: [UInt8] = []
    private var entry = ""
    private var line = 1
    private var column = 1
    private var statementLine = 1
    private var statementColumn = 1
    private var state = ScanState.normal
    private var row = ParsedRow()

    private enum ScanState { case normal, dash, comment, string, stringQuote, identifier, identifierQuote }

    public init(handler: Handler) {
        self.handler = handler
        statement.reserveCapacity(1024 * 1024)
    }

    /// Starts a new chunk of the dump; statements never span two chunks.
    public mutating func startEntry(_ path: String) {
        entry = path
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
                if byte == 0x27 { state = .string }
                else if byte == 0x22 { state = .identifier }
                else if byte == 0x2D { state = .dash }
                else if byte == 0x3B {
                    statement.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[segmentStart...index]))
                    index += 1
                    segmentStart = index
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
                    if byte == 0x0A { line -= 1 } // reconsidered in the normal state
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
                if byte == 0x27 { state = .string } else {
                    state = .normal
                    if byte == 0x0A { line -= 1 } // reconsidered in the normal state
                    continue
                }
            case .identifier:
                if byte == 0x22 { state = .identifierQuote }
            case .identifierQuote:
                if byte == 0x22 { state = .identifier } else {
                    state = .normal
                    if byte == 0x0A { line -= 1 } // reconsidered in the normal state
                    continue
                }
            }
            index += 1
        }
        if segmentStart < count {
            statement.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[segmentStart..<count]))
            if statement.count > maximumStatementBytes {
                throw error("a statement is longer than \(maximumStatementBytes / 1024 / 1024) MiB; the dump is damaged or hostile", at: statementPosition)
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
            throw error("the entry ends in the middle of a statement (a missing ';' or an unclosed quote): the dump is truncated", at: statementPosition)
        }
        if !statement.isEmpty { column = columnAfterStatement() }
        statement.removeAll(keepingCapacity: true)
    }

    /// Checks the dump as a whole once every entry was read.
    public func finish() throws {
        let position = DumpPosition(entry: entry, line: line, column: column)
        if !sawBegin { throw DumpParseError(position: position, message: "the dump has no BEGIN TRANSACTION: it is incomplete") }
        if !sawCommit { throw DumpParseError(position: position, message: "the dump has no COMMIT at its end: it is truncated") }
    }

    private var statementPosition: DumpPosition { DumpPosition(entry: entry, line: statementLine, column: statementColumn) }

    private mutating func advance(_ byte: UInt8) {
        if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
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
            if cursor.atTerminator { return } // an empty statement (";")
            if sawCommit { throw cursor.error("nothing may follow COMMIT") }
            let keywordStart = cursor.index
            let keyword = cursor.word()
            switch keyword {
            case "BEGIN":
                if sawBegin { throw cursor.error("a second BEGIN") }
                if cursor.peekWord() == "TRANSACTION" { _ = cursor.word() }
                try cursor.expectEnd()
                sawBegin = true
            case "COMMIT":
                if cursor.peekWord() == "TRANSACTION" { _ = cursor.word() }
                try cursor.expectEnd()
                sawCommit = true
            case "CREATE":
                try requireBegin(cursor)
                cursor.skipSpace()
                let kindStart = cursor.index
                let kind = cursor.word()
                if kind == "TABLE" {
                    try createTable(&cursor)
                } else if kind == "INDEX" {
                    try createIndex(&cursor, unique: false)
                } else if kind == "UNIQUE" && cursor.word() == "INDEX" {
                    try createIndex(&cursor, unique: true)
                } else {
                    throw cursor.error("CREATE \(kind) is not allowed: \(DumpParseError.allowed)", at: kindStart)
                }
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

    private mutating func createTable(_ cursor: inout StatementCursor) throws {
        let name = try cursor.identifier()
        if name.lowercased().hasPrefix("sqlite_") { throw cursor.error("table \(name) is reserved to SQLite") }
        if tables[name] != nil { throw cursor.error("table \(name) is created twice") }
        try cursor.expect(0x28, "(")
        var columns: [ColumnSchema] = []
        var primaryKey: [String] = []
        repeat {
            cursor.skipSpace()
            if cursor.peekWord() == "PRIMARY" {
                _ = cursor.word()
                guard cursor.word() == "KEY" else { throw cursor.error("expected PRIMARY KEY") }
                if !primaryKey.isEmpty { throw cursor.error("table \(name) has two primary keys") }
                primaryKey = try cursor.identifierList()
                continue
            }
            let columnName = try cursor.identifier()
            if columns.contains(where: { $0.name == columnName }) { throw cursor.error("column \(columnName) is declared twice") }
            let typeWord = cursor.word()
            guard let type = NeutralType(rawValue: typeWord) else {
                throw cursor.error("column \(columnName) has type '\(typeWord)'; the portable types are INTEGER, REAL, TEXT, BLOB and NUMERIC")
            }
            var column = ColumnSchema(name: columnName, type: type, notNull: false)
            constraints: while true {
                switch cursor.peekWord() {
                case "PRIMARY":
                    _ = cursor.word()
                    guard cursor.word() == "KEY" else { throw cursor.error("expected PRIMARY KEY") }
                    if !primaryKey.isEmpty { throw cursor.error("table \(name) has two primary keys") }
                    primaryKey = [columnName]
                case "NOT":
                    _ = cursor.word()
                    guard cursor.word() == "NULL" else { throw cursor.error("expected NOT NULL") }
                    column.notNull = true
                case "DEFAULT":
                    _ = cursor.word()
                    column.defaultLiteral = try cursor.defaultLiteral()
                default:
                    break constraints
                }
            }
            columns.append(column)
        } while try cursor.commaOrClose()
        try cursor.expectEnd()
        if columns.isEmpty { throw cursor.error("table \(name) has no column") }
        for key in primaryKey where !columns.contains(where: { $0.name == key }) {
            throw cursor.error("primary key column \(key) is not a column of \(name)")
        }
        let table = TableSchema(name: name, columns: columns, primaryKey: primaryKey, indexes: [])
        tables[name] = table
        tableOrder.append(name)
        try handler.createTable(table)
    }

    private mutating func createIndex(_ cursor: inout StatementCursor, unique: Bool) throws {
        let name = try cursor.identifier()
        guard cursor.word() == "ON" else { throw cursor.error("expected ON after the index name") }
        let tableName = try cursor.identifier()
        guard var table = tables[tableName] else { throw cursor.error("index \(name) is on table \(tableName), which this dump did not create") }
        let columns = try cursor.identifierList()
        try cursor.expectEnd()
        for column in columns where !table.columns.contains(where: { $0.name == column }) {
            throw cursor.error("index \(name) names column \(column), which \(tableName) does not have")
        }
        if tables.values.contains(where: { $0.indexes.contains { $0.name == name } }) { throw cursor.error("index \(name) is created twice") }
        let index = IndexSchema(name: name, unique: unique, columns: columns)
        table.indexes.append(index)
        tables[tableName] = table
        try handler.createIndex(index, on: table)
    }

    private mutating func insert(_ cursor: inout StatementCursor) throws {
        cursor.skipSpace()
        let tableStart = cursor.index
        let tableName = try cursor.identifier()
        guard let table = tables[tableName] else {
            throw cursor.error("INSERT INTO \(tableName): this dump did not create that table; statements on other tables are not allowed", at: tableStart)
        }
        let columns = try cursor.identifierList()
        for column in columns where !table.columns.contains(where: { $0.name == column }) {
            throw cursor.error("INSERT INTO \(tableName) names column \(column), which the table does not have")
        }
        if Set(columns).count != columns.count { throw cursor.error("INSERT INTO \(tableName) names a column twice") }
        guard cursor.word() == "VALUES" else { throw cursor.error("expected VALUES (only literal rows are allowed)") }
        try handler.startInsert(into: table, columns: columns)
        repeat {
            try cursor.expect(0x28, "(")
            row.reset(bytes: cursor.bytes)
            repeat {
                try cursor.literal(into: &row)
            } while try cursor.commaOrClose()
            if row.count != columns.count {
                throw cursor.error("a row of \(tableName) has \(row.count) values for \(columns.count) columns")
            }
            try handler.insertRow(row)
            cursor.skipSpace()
        } while cursor.consume(0x2C)
        try cursor.expectEnd()
    }
}

/// One row of an INSERT, read in place from the statement text (see ``RawRow``).
public struct ParsedRow: RawRow {
    struct Value {
        var kind: SQLValueKind
        var integer: Int64 = 0
        var real: Double = 0
        /// For text and blobs: a range in the statement bytes (text without doubled quotes), or in
        /// `decoded` when the literal needed decoding (doubled quotes, hexadecimal).
        var start = 0
        var length = 0
        var isDecoded = false
    }

    var values: [Value] = []
    var decoded: [UInt8] = []
    var bytes = UnsafeRawBufferPointer(start: nil, count: 0)

    mutating func reset(bytes: UnsafeRawBufferPointer) {
        values.removeAll(keepingCapacity: true)
        decoded.removeAll(keepingCapacity: true)
        self.bytes = bytes
    }

    public var count: Int { values.count }
    public func kind(at index: Int) -> SQLValueKind { values[index].kind }
    public func integer(at index: Int) -> Int64 { values[index].integer }
    public func real(at index: Int) -> Double { values[index].real }

    public func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let value = values[index]
        if value.isDecoded {
            return try decoded.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[value.start..<value.start + value.length])) }
        }
        return try body(UnsafeRawBufferPointer(rebasing: bytes[value.start..<value.start + value.length]))
    }
}

/// Reads tokens of one complete statement.
struct StatementCursor {
    let bytes: UnsafeRawBufferPointer
    let position: DumpPosition
    var index = 0

    init(bytes: UnsafeRawBufferPointer, position: DumpPosition) {
        self.bytes = bytes
        self.position = position
    }

    /// The position of the cursor, for error messages.
    var here: DumpPosition { position(at: index) }

    /// The position of byte `offset` of the statement.
    func position(at offset: Int) -> DumpPosition {
        var line = position.line, column = position.column
        for byte in UnsafeRawBufferPointer(rebasing: bytes[0..<min(offset, bytes.count)]) {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return DumpPosition(entry: position.entry, line: line, column: column)
    }

    func error(_ message: String) -> DumpParseError { DumpParseError(position: here, message: message) }

    /// An error pointing at the token that starts at byte `offset` (the refused keyword or value).
    func error(_ message: String, at offset: Int) -> DumpParseError { DumpParseError(position: position(at: offset), message: message) }

    var atTerminator: Bool { index < bytes.count && bytes[index] == 0x3B }

    @inline(__always)
    mutating func skipSpace() {
        // Most tokens follow the previous one directly: decide that without a loop.
        if index < bytes.count {
            let byte = bytes[index]
            if byte > 0x20 && byte != 0x2D { return }
        }
        skipSpaceAndComments()
    }

    private mutating func skipSpaceAndComments() {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1; continue }
            if byte == 0x2D, index + 1 < bytes.count, bytes[index + 1] == 0x2D {
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                continue
            }
            return
        }
    }

    /// A bare keyword, upper-cased; "" when the next token is not a word.
    mutating func word() -> String {
        skipSpace()
        let start = index
        while index < bytes.count, Self.isWordByte(bytes[index]) { index += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self).uppercased()
    }

    mutating func peekWord() -> String {
        let saved = index
        defer { index = saved }
        return word()
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
    }

    /// `"quoted"` (with `""` escapes) or a bare word.
    mutating func identifier() throws -> String {
        skipSpace()
        guard index < bytes.count else { throw error("expected a name") }
        if bytes[index] == 0x22 {
            index += 1
            var name: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == 0x22 {
                    if index < bytes.count, bytes[index] == 0x22 { name.append(0x22); index += 1; continue }
                    guard !name.isEmpty, name.count <= 1024 else { throw error("a name must have 1 to 1024 bytes") }
                    guard let text = String(validating: name, as: UTF8.self) else { throw error("a name is not valid UTF-8") }
                    return text
                }
                name.append(byte)
            }
            throw error("unclosed quoted name")
        }
        let name = word()
        guard !name.isEmpty, let first = name.utf8.first, !(first >= 0x30 && first <= 0x39) else { throw error("expected a name") }
        // Bare names keep their case as written.
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(index - name.utf8.count)..<index]), as: UTF8.self)
    }

    /// `("a", "b", …)`
    mutating func identifierList() throws -> [String] {
        try expect(0x28, "(")
        var names: [String] = []
        repeat {
            names.append(try identifier())
            if names.count > 2000 { throw error("more than 2000 columns") }
        } while try commaOrClose()
        return names
    }

    mutating func expect(_ byte: UInt8, _ text: String) throws {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { throw error("expected '\(text)'") }
        index += 1
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        if index < bytes.count, bytes[index] == byte { index += 1; return true }
        return false
    }

    /// After an item of a list: `true` on `,`, `false` on `)`.
    mutating func commaOrClose() throws -> Bool {
        skipSpace()
        guard index < bytes.count else { throw error("expected ',' or ')'") }
        switch bytes[index] {
        case 0x2C: index += 1; return true
        case 0x29: index += 1; return false
        default: throw error("expected ',' or ')'")
        }
    }

    /// The statement's `;`, then nothing.
    mutating func expectEnd() throws {
        skipSpace()
        guard index < bytes.count, bytes[index] == 0x3B else { throw error("unexpected text before ';': \(DumpParseError.allowed)") }
        index += 1
        skipSpace()
        guard index == bytes.count else { throw error("unexpected text after ';'") }
    }

    /// A literal default: NULL, a number or a quoted string, returned as written.
    mutating func defaultLiteral() throws -> String {
        skipSpace()
        let start = index
        var row = ParsedRow()
        row.reset(bytes: bytes)
        try literal(into: &row)
        guard row.values.first?.kind != .blob else { throw error("a DEFAULT must be NULL, a number or a string") }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    /// NULL, an integer, a real, `'text'`, `X'hex'` or `CAST(X'hex' AS TEXT)`.
    mutating func literal(into row: inout ParsedRow) throws {
        skipSpace()
        guard index < bytes.count else { throw error("expected a value") }
        let byte = bytes[index]
        if byte | 0x20 == 0x6E, isNull(at: index) { // NULL, in any case
            index += 4
            row.values.append(.init(kind: .null))
            return
        }
        switch byte {
        case 0x27: // '
            try text(into: &row)
        case 0x2D, 0x2B, 0x2E, 0x30...0x39: // - + . digits
            try number(into: &row)
        case 0x58, 0x78: // X'…'
            guard index + 1 < bytes.count, bytes[index + 1] == 0x27 else { fallthrough }
            index += 1
            try hex(into: &row, kind: .blob)
        default:
            let start = index
            let keyword = word()
            if keyword == "NULL" {
                row.values.append(.init(kind: .null))
            } else if keyword == "CAST" {
                try expect(0x28, "(")
                skipSpace()
                guard index + 1 < bytes.count, bytes[index] == 0x58 || bytes[index] == 0x78, bytes[index + 1] == 0x27 else {
                    throw error("CAST is only allowed as CAST(X'…' AS TEXT)")
                }
                index += 1
                try hex(into: &row, kind: .text)
                guard word() == "AS", word() == "TEXT" else { throw error("CAST is only allowed as CAST(X'…' AS TEXT)") }
                try expect(0x29, ")")
            } else {
                throw error(keyword.isEmpty ? "expected a value" : "\(keyword) is not a literal: only NULL, numbers, 'text' and X'…' are allowed", at: start)
            }
        }
    }

    /// `NULL` (any case) at `offset`, not followed by a name character.
    private func isNull(at offset: Int) -> Bool {
        guard offset + 4 <= bytes.count else { return false }
        guard bytes[offset] | 0x20 == 0x6E, bytes[offset + 1] | 0x20 == 0x75,
              bytes[offset + 2] | 0x20 == 0x6C, bytes[offset + 3] | 0x20 == 0x6C else { return false }
        return offset + 4 == bytes.count || !Self.isWordByte(bytes[offset + 4])
    }

    private mutating func text(into row: inout ParsedRow) throws {
        index += 1
        let start = index
        var escaped = false
        let base = bytes.baseAddress!
        while index < bytes.count {
            // The closing quote, found by memchr (strings can be long).
            guard let found = memchr(base + index, 0x27, bytes.count - index) else { index = bytes.count; break }
            index = base.distance(to: UnsafeRawPointer(found))
            if index + 1 < bytes.count, bytes[index + 1] == 0x27 { escaped = true; index += 2; continue }
            break
        }
        guard index < bytes.count else { throw error("unclosed string") }
        let end = index
        index += 1
        if !escaped {
            row.values.append(.init(kind: .text, start: start, length: end - start))
            return
        }
        let decodedStart = row.decoded.count
        var i = start
        while i < end {
            row.decoded.append(bytes[i])
            i += bytes[i] == 0x27 ? 2 : 1
        }
        row.values.append(.init(kind: .text, start: decodedStart, length: row.decoded.count - decodedStart, isDecoded: true))
    }

    private mutating func hex(into row: inout ParsedRow, kind: SQLValueKind) throws {
        index += 1 // the quote
        let decodedStart = row.decoded.count
        while index < bytes.count, bytes[index] != 0x27 {
            guard index + 1 < bytes.count, let high = Self.nibble(bytes[index]), let low = Self.nibble(bytes[index + 1]) else {
                throw error("X'…' must hold an even number of hexadecimal digits")
            }
            row.decoded.append(high << 4 | low)
            index += 2
        }
        guard index < bytes.count else { throw error("unclosed X'…'") }
        index += 1
        row.values.append(.init(kind: kind, start: decodedStart, length: row.decoded.count - decodedStart, isDecoded: true))
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x37
        case 0x61...0x66: return byte - 0x57
        default: return nil
        }
    }

    private mutating func number(into row: inout ParsedRow) throws {
        let start = index
        var negative = false
        if bytes[index] == 0x2D || bytes[index] == 0x2B { negative = bytes[index] == 0x2D; index += 1 }
        // The common case, a plain integer, is read in the same pass as it is scanned.
        var magnitude: UInt64 = 0
        var fits = true
        while index < bytes.count {
            let digit = bytes[index] &- 0x30
            guard digit <= 9 else { break }
            let (multiplied, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(UInt64(digit))
            fits = fits && !overflow1 && !overflow2
            magnitude = added
            index += 1
        }
        if fits, index > start + (negative || bytes[start] == 0x2B ? 1 : 0),
           index == bytes.count || (bytes[index] != 0x2E && bytes[index] | 0x20 != 0x65) {
            if negative && magnitude <= UInt64(Int64.max) + 1 {
                row.values.append(.init(kind: .integer, integer: magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)))
                return
            }
            if !negative && magnitude <= UInt64(Int64.max) {
                row.values.append(.init(kind: .integer, integer: Int64(magnitude)))
                return
            }
        }
        index = start
        if bytes[index] == 0x2D || bytes[index] == 0x2B { index += 1 }
        var isReal = false
        var digits = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 { digits += 1; index += 1 }
            else if byte == 0x2E || byte == 0x65 || byte == 0x45 {
                isReal = true
                index += 1
                if (byte == 0x65 || byte == 0x45), index < bytes.count, bytes[index] == 0x2D || bytes[index] == 0x2B { index += 1 }
            } else { break }
        }
        guard digits > 0 else { throw error("expected a number") }
        if !isReal, let value = Self.parseInteger(UnsafeRawBufferPointer(rebasing: bytes[start..<index])) {
            row.values.append(.init(kind: .integer, integer: value))
            return
        }
        // Reals, and integers too large for 64 bits (read as reals, as SQLite does).
        var text = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        text.append(0)
        var end: UnsafeMutablePointer<CChar>?
        let value = text.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { strtod($0.baseAddress!, &end) }
        }
        row.values.append(.init(kind: .real, real: value))
    }

    private static func parseInteger(_ text: UnsafeRawBufferPointer) -> Int64? {
        var negative = false
        var index = 0
        if text[0] == 0x2D { negative = true; index = 1 } else if text[0] == 0x2B { index = 1 }
        var magnitude: UInt64 = 0
        while index < text.count {
            let (multiplied, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(UInt64(text[index] - 0x30))
            if overflow1 || overflow2 { return nil }
            magnitude = added
            index += 1
        }
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return .min }
            return magnitude <= UInt64(Int64.max) ? -Int64(magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }
}
