import TransfertFormats
import TransfertModel

/// A named index (or unique key) over columns of a registry table.
package struct RegistryIndex: Sendable {
    package var name: String
    package var columns: [String]

    package init(_ name: String, on columns: [String]) {
        self.name = name
        self.columns = columns
    }
}
