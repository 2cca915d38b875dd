import TransfertFormats
import TransfertModel

/// A column of a registry table, as a migration declares it.
package struct RegistryColumn: Sendable {
    package enum Default: Sendable {
        case text(String)
        case integer(Int64)
    }

    package var name: String
    package var type: RegistryColumnType
    package var nullable: Bool
    package var unique: Bool
    package var defaultValue: Default?

    package init(
        _ name: String, _ type: RegistryColumnType, nullable: Bool = false, unique: Bool = false,
        default defaultValue: Default? = nil
    ) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.unique = unique
        self.defaultValue = defaultValue
    }

    /// A column that may be NULL.
    package static func optional(_ name: String, _ type: RegistryColumnType, unique: Bool = false) -> RegistryColumn {
        RegistryColumn(name, type, nullable: true, unique: unique)
    }
}
