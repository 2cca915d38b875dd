import Foundation
import TransfertModel

/// The type affinity SQLite gives a column (https://sqlite.org/datatype3.html §3), which decides how it
/// converts a value bound to that column before storing it (see ``StoredValueCheck``).
///
/// Worked out from the declared type, as SQLite does for the DDL Transfert writes
/// (`PortableDDL` keeps the declared type as it is).
public enum SQLiteAffinity: String, Sendable, CaseIterable {
    case integer = "INTEGER"
    case real = "REAL"
    case numeric = "NUMERIC"
    case text = "TEXT"
    case blob = "BLOB"
    /// `ANY` in a STRICT table: every value is stored as it is given.
    case any = "ANY"

    /// The affinity of `column` in a table that is `strict` or not.
    public init(of column: ColumnSchema, strict: Bool) {
        // In a STRICT table `ANY` keeps values as they are; elsewhere it is just a name that SQLite's
        // rules give NUMERIC affinity.
        if strict, column.declaredType.uppercased() == "ANY" {
            self = .any
            return
        }
        switch NeutralType(sqliteDeclaredType: column.declaredType) {
        case .integer: self = .integer
        case .real: self = .real
        case .numeric: self = .numeric
        case .text: self = .text
        case .blob: self = .blob
        }
    }

    /// Whether SQLite leaves every value of every storage class as it is in this column.
    public var keepsEveryValue: Bool { self == .blob || self == .any }
}
