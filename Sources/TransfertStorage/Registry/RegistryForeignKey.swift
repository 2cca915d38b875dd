import TransfertFormats
import TransfertModel

/// A foreign key of a registry table: `column` refers to `parentColumn` of `parent`.
package struct RegistryForeignKey: Sendable {
    package var column: String
    package var parent: String
    package var parentColumn: String
    /// Rows go with their parent row.
    package var cascadeOnDelete: Bool

    package init(_ column: String, references parent: String, _ parentColumn: String, cascadeOnDelete: Bool = false) {
        self.column = column
        self.parent = parent
        self.parentColumn = parentColumn
        self.cascadeOnDelete = cascadeOnDelete
    }
}
