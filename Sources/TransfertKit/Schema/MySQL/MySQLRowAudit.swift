import Foundation

/// Checks the rows of one MySQL table, as they are read from any backend, against its columns' rules
/// (``MySQLColumnRule``, ``MySQLValueCoercion``): the check `export --format sacoche` makes before a
/// bundle is written and `verify --deep` makes on the restored copy of a bundle meant for MySQL.
///
/// Each value is checked as the text a MySQL dump would carry (``MySQLDumpText/literal(of:at:)``), so
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

    /// `nil` for a table without a MySQL declaration: no MySQL rule applies to it. Rows must be read
    /// with `table.columnNames`, in that order.
    public init?(table: TableSchema, limit: Int = 100) throws(MySQLSyntaxError) {
        guard let rules = try MySQLColumnRule.rules(of: table) else { return nil }
        self.table = table.name
        self.rules = rules
        columns = table.columnNames
        keyIndexes = table.primaryKey.compactMap { table.columnNames.firstIndex(of: $0) }
        self.limit = limit
    }

    /// Checks one row; a refused value is added to ``problems``.
    public mutating func check(_ row: some RawRow) {
        rowsRead += 1
        for index in 0..<min(row.count, rules.count) {
            let rule = rules[index]
            // The common cases need no text: an integer in its range, a NULL where NULL is allowed.
            switch row.kind(at: index) {
            case .null where !rule.notNull: continue
            case .integer:
                if case .integer(let range) = rule.storage, rule.type.base != "year", range?.contains(row.integer(at: index)) ?? true { continue }
            default: break
            }
            let literal = MySQLDumpText.literal(of: row, at: index)
            guard case .failure(let reason) = MySQLValueCoercion.coerce(literal, rule: rule) else { continue }
            refusedCount += 1
            guard problems.count < limit else { continue }
            problems.append(MySQLValueProblem(table: table, row: rowsRead, key: key(of: row), column: columns[index],
                                              value: Self.shown(literal), reason: reason))
        }
    }

    private func key(of row: some RawRow) -> String? {
        guard !keyIndexes.isEmpty else { return nil }
        return keyIndexes.map { "\(columns[$0]) = \(Self.shown(MySQLDumpText.literal(of: row, at: $0)))" }.joined(separator: ", ")
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
    public static func problems(in schema: DatabaseSchema, reader: any EstablishmentReader, limit: Int = 100) throws -> (problems: [MySQLValueProblem], refused: Int) {
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
