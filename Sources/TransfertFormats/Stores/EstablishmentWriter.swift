import Foundation
import TransfertModel

/// Write access to one establishment database, inside a transaction.
public protocol EstablishmentWriter {
    /// Runs one or more SQL statements that come from a trusted source (the application profile's
    /// migrations). Nothing read from a bundle is ever executed.
    func execute(_ sql: String) throws
    /// Creates a table with all its constraints (foreign keys included), without its indexes.
    func createTable(_ table: TableSchema) throws
    func createIndex(_ index: IndexSchema, on table: String) throws
    func createView(_ view: ViewSchema) throws
    func createTrigger(_ trigger: TriggerSchema) throws
    /// Sets `column` of the row of `table` whose `keyColumn` is `key` (the schema version after a migration).
    func setValue(_ value: SQLValue, in table: String, column: String, where keyColumn: String, is key: String) throws
    /// Rows whose foreign keys point at no parent row, checked once after a restore.
    func foreignKeyViolations(limit: Int) throws -> ForeignKeyCheck
    /// Prepares an insertion of `columns` into `table`; the returned inserter is valid inside this
    /// transaction only.
    func makeInserter(table: String, columns: [String]) throws -> any RowInserter
    /// Deletes every row of `table` except, when `keeping` is given, the row whose column holds that
    /// text (the schema-version row of a settings table, which follows the restored data).
    func deleteRows(of table: String, keeping: (column: String, value: String)?) throws
    /// Inserts one row now, not gathered with others: a refusal (a UNIQUE violation) is this row's,
    /// so a merge can name it.
    func insertNow(into table: String, columns: [String], values: [SQLValue]) throws
    /// Runs one statement written by Transfert itself (the SIS feed's state and the memberships it keeps),
    /// with `values` bound, never spliced; returns the rows it changed as the engine counts them.
    @discardableResult
    func run(_ sql: String, _ values: [SQLValue]) throws -> Int64
    /// The rows of one query written by Transfert itself, with `values` bound (for small results: page
    /// with `LIMIT` when there may be many).
    func rows(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]]
    /// Builds what a load held back until every row is in (a backend's deferred keys and indexes);
    /// called once the last row is inserted, before views, triggers and the foreign-key check.
    func finishLoad() throws
}

extension EstablishmentWriter {
    /// A backend that creates every key with its table holds nothing back.
    public func finishLoad() throws {}

    /// Creates every object of `schema`: tables, then their indexes, views and triggers.
    public func create(_ schema: DatabaseSchema) throws {
        for table in schema.tables { try createTable(table) }
        for table in schema.tables { for index in table.indexes { try createIndex(index, on: table.name) } }
        for view in schema.views { try createView(view) }
        for trigger in schema.triggers { try createTrigger(trigger) }
    }
}
