import TransfertFormats
import TransfertModel

/// One change of the registry's schema, identified for ever by `identifier` (recorded in
/// `registry_migration` once applied). A migration, once released, is never edited: add one.
package struct RegistryMigration: Sendable {
    package var identifier: String
    package var changes: [RegistrySchemaChange]

    package init(_ identifier: String, _ changes: [RegistrySchemaChange]) {
        self.identifier = identifier
        self.changes = changes
    }
}
