import Foundation
import TransfertModel

/// Checks the rows of one MySQL table, as they are read from any backend, against its columns' rules
/// (``MySQLColumnRule``, ``MySQLValueCoercion``): the check `export --format sacoche` makes before a
/// bundle is written and `verify --deep` makes on the restored copy of a bundle meant for MySQL.
///
/// Each value is checked as the text a MySQL dump would carry (``MySQLLiteral/init(of:at:)``), so
/// that what is checked is what a MySQL server would be given.
///
/// ```swift
/// if var audit = try MySQLRowAudit(table: table) {
///     try reader.forEachRawRow(of: table.name, columns: table.columnNames) { audit.check($0) }
///     print(audit.problems)
/// }
/// ```
public struct MySQLRowAudit {
    public let table: String
    let columns: [String]
    let rules: [MySQLColumnRule]
    let keyIndexes: [Int]
    let limit: Int
    /// The first `limit` values refused.
    public private(set) var problems: [MySQLValueProblem] = []
    /// Every value refused, the ones past `limit` included.
    public private(set) var refusedCount = 0
    public private(set) var rowsRead: Int64 = 0
    /// Per column, the last text or blob accepted and the short ones accepted so far: real tables repeat
    /// their values (a date for a whole class, a grade code), and a value seen is not checked again.
    private var lastAccepted: [[UInt8]?]
    private var acceptedShort: [Set<ShortValue>]
    /// Per column, worked out once: NOT NULL, and the range an integer needs no other check within.
    private let notNull: [Bool]
    private let integerRanges: [ClosedRange<Int64>?]
    static let remembered = 512

    /// `nil` for a table without a MySQL declaration: no MySQL rule applies to it. Rows must be read
    /// with `table.columnNames`, in that order.
    public init?(table: TableSchema, limit: Int = 100) throws(MySQLSyntaxError) {
        guard let rules = try MySQLColumnRule.rules(of: table) else { return nil }
        self.table = table.name
        self.rules = rules
        columns = table.columnNames
        keyIndexes = table.primaryKey.compactMap { table.columnNames.firstIndex(of: $0) }
        self.limit = limit
        lastAccepted = Array(repeating: nil, count: rules.count)
        notNull = rules.map(\.notNull)
        integerRanges = rules.map { rule in
            guard case .integer(let range) = rule.storage else { return nil }
            if case .year = rule.format { return nil }  // 1…1900 are in range and refused
            return range ?? Int64.min...Int64.max
        }
        acceptedShort = Array(repeating: [], count: rules.count)
    }

    /// Checks one row; a refused value is added to ``problems``.
    public mutating func check(_ row: some RawRow) {
        rowsRead += 1
        for index in 0..<min(row.count, rules.count) {
            // The common cases need no text: an integer in its range, a NULL where NULL is allowed.
            switch row.kind(at: index) {
            case .null where !notNull[index]: continue
            case .integer:
                if let range = integerRanges[index], range.contains(row.integer(at: index)) { continue }
            case .text, .blob:
                let seen = row.withBytes(at: index) { bytes -> Bool in
                    if let last = lastAccepted[index], Self.same(last, bytes) { return true }
                    guard let key = ShortValue(bytes), acceptedShort[index].contains(key) else { return false }
                    lastAccepted[index] = Array(bytes)
                    return true
                }
                if seen { continue }
            default: break
            }
            let literal = MySQLLiteral(of: row, at: index)
            guard case .failure(let reason) = MySQLValueCoercion.coerce(literal, rule: rules[index]) else {
                remember(row, at: index)
                continue
            }
            refusedCount += 1
            guard problems.count < limit else { continue }
            problems.append(
                MySQLValueProblem(
                    table: table, row: rowsRead, key: key(of: row), column: columns[index],
                    value: Self.shown(literal), reason: reason))
        }
    }

    /// Byte equality without generic iteration (a few bytes, millions of times).
    static func same(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let base = b.baseAddress, !a.isEmpty else { return true }
        return a.withUnsafeBytes { memcmp($0.baseAddress!, base, a.count) == 0 }
    }

    private mutating func remember(_ row: some RawRow, at index: Int) {
        let kind = row.kind(at: index)
        guard kind == .text || kind == .blob else { return }
        let (bytes, key) = row.withBytes(at: index) { (Array($0), ShortValue($0)) }
        lastAccepted[index] = bytes
        if let key, acceptedShort[index].count < Self.remembered { acceptedShort[index].insert(key) }
    }

    private func key(of row: some RawRow) -> String? {
        guard !keyIndexes.isEmpty else { return nil }
        return keyIndexes.map { "\(columns[$0]) = \(Self.shown(MySQLLiteral(of: row, at: $0)))" }.joined(
            separator: ", ")
    }

    static func shown(_ literal: MySQLLiteral) -> String {
        switch literal {
        case .null: return "NULL"
        case .number(let text): return text
        case .string(let text):
            let cut = text.count > 60 ? String(text.prefix(60)) + "… (\(text.unicodeScalars.count) characters)" : text
            return "'" + cut.replacingOccurrences(of: "'", with: "''") + "'"
        case .bytes(let bytes): return "\(bytes.count) bytes that are not UTF-8"
        }
    }

    /// Reads every row of every MySQL table of an establishment and checks it: `verify --deep` on the
    /// restored copy of a bundle meant for MySQL.
    public static func problems(in schema: DatabaseSchema, reader: any EstablishmentReader, limit: Int = 100) throws
        -> (problems: [MySQLValueProblem], refused: Int)
    {
        var problems: [MySQLValueProblem] = []
        var refused = 0
        for table in schema.tables {
            guard var audit = try MySQLRowAudit(table: table, limit: max(0, limit - problems.count)) else { continue }
            try reader.forEachRawRow(of: table.name, columns: table.columnNames) { audit.check($0) }
            problems += audit.problems
            refused += audit.refusedCount
        }
        return (problems, refused)
    }
}

/// A value of at most 24 bytes held inline (no allocation), to remember the short values a column
/// repeats: grade codes, dates, flags.
struct ShortValue: Hashable {
    var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
    var count: UInt8

    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= 24 else { return nil }
        count = UInt8(bytes.count)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
    }

    static func == (a: ShortValue, b: ShortValue) -> Bool {
        a.count == b.count && a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
    }
}
