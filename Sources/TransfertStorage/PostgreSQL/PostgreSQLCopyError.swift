import Foundation
import TransfertFormats
import TransfertModel

/// A value a PostgreSQL table cannot keep as it is, found while encoding a row for `COPY`: the table,
/// the column, which row of the table's load, and why. Nothing of the load is kept.
struct PostgreSQLCopyError: Error, Equatable, Sendable, CustomStringConvertible {
    var table: String
    /// Nil when the row itself is wrong (its number of values).
    var column: String?
    /// The row's position among the rows loaded into the table (1 for the first).
    var row: Int64
    var reason: String

    var description: String {
        "table \(table), row \(row) of its load\(column.map { ", column \($0)" } ?? ""): \(reason). Nothing of this establishment was kept; change the value in the source, or restore it on a SQLite hosting"
    }
}

extension PostgreSQLCopyError: LocatedError {
    /// Written out: renaming a Swift type must not change what scripts read.
    var problemCode: ProblemCode { .copyTextRefusedValue }
}
