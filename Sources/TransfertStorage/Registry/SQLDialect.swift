import Foundation
import TransfertFormats
import TransfertModel

/// Everything engine-specific the registry needs, so that its SQL and its one migration list
/// (``RegistryMigration/all``) are written once. A new engine (PostgreSQL) is one folder of `Backends/`:
/// an ``SQLExecutor`` and one of these.
package protocol SQLDialect: Sendable {
    /// `name` as an identifier of this engine, quoted.
    func quote(_ name: String) -> String
    /// The column type the engine stores `type` in.
    func columnType(_ type: RegistryColumnType) -> String
    /// The type and constraints of a 64-bit primary key the engine numbers itself.
    var autoIncrementPrimaryKey: String { get }
    /// What follows a `CREATE TABLE (…)`: storage engine, character set, collation (may be empty).
    var tableOptions: String { get }
    /// Whether indexes are declared inside `CREATE TABLE` (a foreign key then uses the declared index
    /// rather than one the engine would add) or by `CREATE INDEX` after it.
    var declaresIndexesInTable: Bool { get }
    /// The pieces of a unique key in which NULL counts as one value (standard SQL lets NULLs repeat in a
    /// unique key): `nullable` are the columns of `key` that may be NULL.
    func uniqueKeyWithNullAsValue(_ key: RegistryIndex, nullable: Set<String>, table: String) -> RegistryDDLParts
    /// An INSERT of one row of `columns` into `table` (values bound as `?`, in order) that leaves the row
    /// already there with the same `key` as it is. A whole statement, not a verb: engines put the conflict
    /// clause at its start (`INSERT OR IGNORE`, `INSERT IGNORE`) or at its end (`ON CONFLICT … DO NOTHING`).
    func insertOrIgnore(into table: String, columns: [String], key: [String]) -> String
    /// An INSERT of one row of `columns` into `table` (values bound as `?`) that replaces the row already
    /// there with the same `key`.
    func insertOrReplace(into table: String, columns: [String], key: [String]) -> String
    /// The comparison for which NULL equals NULL (`base_id IS ?` / `base_id <=> ?`).
    var nullSafeEquals: String { get }
    /// What a `SELECT` adds to lock the rows it reads until the transaction ends, when transactions do not
    /// already hold the write lock from their start; `nil` when they do (SQLite's `BEGIN IMMEDIATE`).
    var writerLockClause: String? { get }
    /// A query with one parameter, a table name, that returns a row when that table exists.
    var tableExistsQuery: String { get }
    /// Where registries written before the one migration list recorded their migrations, if anywhere.
    var formerMigrations: FormerMigrationHistory? { get }
}

extension SQLDialect {
    /// `INTO table (a, b) VALUES (?, ?)`: what every engine's INSERT of one row has in its middle.
    package func intoValues(_ table: String, columns: [String]) -> String {
        "INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
    }
}
