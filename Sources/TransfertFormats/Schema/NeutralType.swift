import Foundation
import TransfertModel

/// The neutral column types of the archive format. Every backend maps its own types onto these
/// (see the mapping table in `Docs/archive-format.md`).
///
/// A column keeps its declared type as written too (``ColumnSchema/declaredType``): a backend of the
/// same family re-creates it as it was, another one maps the neutral type.
public enum NeutralType: String, Codable, Sendable, CaseIterable {
    case integer = "INTEGER"
    case real = "REAL"
    case text = "TEXT"
    case blob = "BLOB"
    case numeric = "NUMERIC"

    /// SQLite's type-affinity rules (https://sqlite.org/datatype3.html §3.1), in their order.
    public init(sqliteDeclaredType declared: String) {
        let type = declared.uppercased()
        if type.contains("INT") {
            self = .integer
        } else if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") {
            self = .text
        } else if type.isEmpty || type.contains("BLOB") {
            self = .blob
        } else if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") {
            self = .real
        } else {
            self = .numeric
        }
    }
}
