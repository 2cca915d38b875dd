import Foundation
import TransfertModel

/// A name in double quotes, `"` doubled inside: the quoting of the archive format's SQL (dumps, the
/// profile's schema, messages). SQLite quotes the same way, so its backend uses this too; a backend of
/// another engine quotes names its own way in the DDL and queries it writes.
package func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
