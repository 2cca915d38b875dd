import Foundation
import TransfertModel

/// Read access to one establishment database, inside a snapshot.
public protocol EstablishmentReader {
    /// The first column of the first row of `sql`, or `.null` when there is no row.
    func scalar(_ sql: String) throws -> SQLValue
    /// User tables, in a stable order (by name).
    func tableNames() throws -> [String]
    /// The columns of `table`, in declaration order.
    func columnNames(of table: String) throws -> [String]
    /// Everything the database declares — tables by name with their constraints and indexes, views,
    /// triggers — as neutral values. Throws ``SchemaReadError`` naming the object when the database holds
    /// something the archive format cannot carry: an export refuses rather than drop it.
    func schema() throws -> DatabaseSchema
    /// `SELECT COUNT(*)` of `table`.
    func rowCount(of table: String) throws -> Int64
    /// The value of `column` in the row of `table` whose `keyColumn` is `key` (a key/value table, such as
    /// where the schema version lives), or `.null`.
    func value(in table: String, column: String, where keyColumn: String, is key: String) throws -> SQLValue
    /// The engine's own consistency check of the database file or tablespace, each finding under
    /// ``ProblemCode/restoreIntegrity`` with its table as `field` when the engine names one; empty when it is sound.
    func integrityProblems() throws -> [Problem]
    /// Rows whose foreign keys point at no parent row, the first `limit` of them, and how many there are.
    func foreignKeyViolations(limit: Int) throws -> ForeignKeyCheck
    /// Calls `row` for each row of `table` in digest order (primary key, else every column), with
    /// values in `columns` order. The row is only valid during the call: it reads the backend's own
    /// buffers, which is what lets a dump stream a table without copying its values.
    func forEachRawRow(of table: String, columns: [String], _ row: (any RawRow) throws -> Void) throws
    /// The rows of one query written by Transfert itself, with `values` bound (`feed show`).
    func rows(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]]
}

extension EstablishmentReader {
    /// Every row of a query from a trusted source (the application profile's `restore_checks`), copied
    /// into values. Nothing read from a bundle is ever run.
    public func rows(_ sql: String) throws -> [[SQLValue]] { try rows(sql, []) }

    /// Calls `row` for each row of `table` in digest order, with values copied into ``SQLValue``s.
    /// The array passed is reused between calls: copy what you keep.
    public func forEachRow(of table: String, columns: [String], _ row: ([SQLValue]) throws -> Void) throws {
        var values: [SQLValue] = []
        values.reserveCapacity(columns.count)
        try forEachRawRow(of: table, columns: columns) { raw in
            values.removeAll(keepingCapacity: true)
            for index in 0..<raw.count { values.append(raw.value(at: index)) }
            try row(values)
        }
    }
}
