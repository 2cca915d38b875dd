import TransfertFormats

extension DatabaseSchema {
    /// The schema without Transfert's own tables (a SIS feed's state): a fresh establishment has none, and
    /// an imported one that carries them is not different for that.
    var withoutTransfertTables: DatabaseSchema {
        var schema = self
        schema.tables.removeAll { FeedStateTables.isOwn($0.name) }
        return schema
    }
}
