import Foundation
import TransfertModel

/// The outcome of checking every foreign key of a database once (after a restore, where checks were
/// deferred): the first violations, with where they are and what they miss, and how many there are.
public struct ForeignKeyCheck: Codable, Equatable, Sendable {
    public var violations: [ForeignKeyViolation]
    /// Every violation, including those beyond `violations`.
    public var total: Int

    public init(violations: [ForeignKeyViolation] = [], total: Int = 0) {
        self.violations = violations
        self.total = total
    }

    public var isEmpty: Bool { total == 0 }

    /// One line per violation listed, and a last line for those not listed.
    public var descriptions: [String] {
        var lines = violations.map(\.description)
        if total > violations.count {
            lines.append("… and \(total - violations.count) more row(s) whose parent is missing")
        }
        return lines
    }
}

/// A row whose foreign key points at no parent row.
public struct ForeignKeyViolation: Codable, Equatable, Sendable, CustomStringConvertible {
    public var table: String
    /// The row's id (SQLite's rowid), when the table has one.
    public var rowID: Int64?
    public var columns: [String]
    /// The row's values in `columns`, as SQL literals.
    public var values: [String]
    public var parentTable: String
    /// The parent columns; empty means the parent's primary key.
    public var parentColumns: [String]

    public init(
        table: String, rowID: Int64?, columns: [String], values: [String], parentTable: String, parentColumns: [String]
    ) {
        self.table = table
        self.rowID = rowID
        self.columns = columns
        self.values = values
        self.parentTable = parentTable
        self.parentColumns = parentColumns
    }

    public var description: String {
        let row = rowID.map { "row \($0)" } ?? "a row"
        let key =
            columns.count == 1
            ? "\(columns[0]) = \(values.first ?? "?")"
            : "(\(columns.joined(separator: ", "))) = (\(values.joined(separator: ", ")))"
        let parent = parentColumns.isEmpty ? parentTable : "\(parentTable)(\(parentColumns.joined(separator: ", ")))"
        return
            "table \(table), \(row): \(key) has no parent row in \(parentTable) (missing \(parent) = \(values.count == 1 ? values[0] : "(" + values.joined(separator: ", ") + ")"))"
    }
}
