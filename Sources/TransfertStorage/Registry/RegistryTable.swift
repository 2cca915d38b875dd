import TransfertFormats
import TransfertModel

/// A registry table as a migration declares it, in no engine's SQL: ``RegistryDDL`` writes it in a
/// dialect's.
package struct RegistryTable: Sendable {
    package var name: String
    package var columns: [RegistryColumn]
    /// The primary key's columns; empty when the table has an auto-increment ``autoIncrementID``.
    package var primaryKey: [String]
    /// The name of a 64-bit primary key the engine numbers itself (the first column), if the table has one.
    package var autoIncrementID: String?
    package var foreignKeys: [RegistryForeignKey]
    package var indexes: [RegistryIndex]
    /// Unique keys in which NULL counts as one value (see ``SQLDialect/uniqueKeyWithNullAsValue(_:nullable:table:)``).
    package var uniqueKeysWithNullAsValue: [RegistryIndex]

    package init(
        _ name: String, autoIncrementID: String? = nil, columns: [RegistryColumn], primaryKey: [String] = [],
        foreignKeys: [RegistryForeignKey] = [], indexes: [RegistryIndex] = [],
        uniqueKeysWithNullAsValue: [RegistryIndex] = []
    ) {
        self.name = name
        self.autoIncrementID = autoIncrementID
        self.columns = columns
        self.primaryKey = primaryKey
        self.foreignKeys = foreignKeys
        self.indexes = indexes
        self.uniqueKeysWithNullAsValue = uniqueKeysWithNullAsValue
    }
}
