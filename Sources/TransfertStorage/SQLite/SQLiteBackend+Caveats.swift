import Foundation
import TransfertFormats
import TransfertModel

extension SQLiteBackend {
    /// SQLite has no Unicode collation: MySQL columns declared with one (`utf8_unicode_ci`: case- and
    /// accent-insensitive) compare byte for byte here. Their values are kept exactly, and the collation
    /// is kept in the table's MySQL declaration, so a bundle written from here declares it again.
    package func caveats(for schema: DatabaseSchema) -> [String] {
        let collations = Set(schema.tables.compactMap(\.mysql).flatMap { $0.columns.compactMap(\.collation) })
        guard !collations.isEmpty else { return [] }
        return [
            "SQLite has no \(collations.sorted().joined(separator: ", ")) collation: text compares byte for byte here (values are kept exactly, and the collation is kept in each table's MySQL declaration for a SACoche export)"
        ]
    }
}
