import TransfertFormats
import TransfertModel

/// One step of a registry migration, in no engine's SQL.
package enum RegistrySchemaChange: Sendable {
    case createTable(RegistryTable)
    case addColumn(table: String, RegistryColumn)
    case createIndex(table: String, RegistryIndex)
    case renameColumn(table: String, from: String, to: String)
    /// A statement every engine runs as written (standard SQL), built with the dialect for its quoting,
    /// with values bound when it runs (a fresh fingerprint per registry, never one per process).
    case statement(@Sendable (any SQLDialect) -> (sql: String, values: [SQLValue]))
}
