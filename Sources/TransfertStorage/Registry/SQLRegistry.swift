import Foundation
import TransfertFormats
import TransfertModel

/// The registry of a hosting, written once for every engine: the SQL of each concern (one extension per
/// file: structures, zones, locks, access locks, journal, import runs, outbox, maintenance, moves, letter
/// languages) runs on an ``SQLExecutor``, with what engines spell differently asked of an ``SQLDialect``,
/// and its schema comes from the one migration list (``RegistryMigration/all``).
///
/// Writes that check before they write (id claims, locks, windows) run ``exclusively(_:)``: every such
/// writer, in any process on any host, waits for the previous one, so the checks still hold when it writes.
/// Every write, through ``write(_:)`` or ``exclusively(_:)``, raises ``revision()``: nothing writes another way.
public final class SQLRegistry: Registry {
    let executor: any SQLExecutor
    let dialect: any SQLDialect

    /// Brings the registry reached through `executor` up to date (creating its tables in an empty database).
    package init(executor: any SQLExecutor, dialect: any SQLDialect) throws {
        self.executor = executor
        self.dialect = dialect
        try RegistryMigrator(executor: executor, dialect: dialect).migrate()
    }

    /// The migrations this registry has applied, oldest first (for `doctor` and tests).
    public func appliedMigrations() throws -> [String] {
        try RegistryMigrator(executor: executor, dialect: dialect).applied()
    }

    public func fingerprint() throws -> String {
        try read { try $0.row("SELECT value FROM hosting_meta WHERE meta_key = 'fingerprint'")?.first?.textValue ?? "" }
    }

    func read<T>(_ body: (any SQLStatements) throws -> T) throws -> T { try executor.read(body) }

    /// Runs `body` in one transaction, all or nothing, and raises the revision (``revision()``) in it.
    @discardableResult
    func write<T>(_ body: (any SQLStatements) throws -> T) throws -> T {
        try executor.transaction { db in
            let result = try body(db)
            try Self.raiseRevision(in: db)
            return result
        }
    }

    /// Runs `body` in a transaction that writers enter one at a time: SQLite's `BEGIN IMMEDIATE` takes the
    /// write lock first; elsewhere the `hosting_meta` fingerprint row is locked first
    /// (``SQLDialect/writerLockClause``).
    @discardableResult
    func exclusively<T>(_ body: (any SQLStatements) throws -> T) throws -> T {
        try executor.transaction { db in
            if let lock = dialect.writerLockClause {
                _ = try db.rows("SELECT value FROM hosting_meta WHERE meta_key = 'fingerprint' \(lock)")
            }
            let result = try body(db)
            try Self.raiseRevision(in: db)
            return result
        }
    }

    /// The number every write transaction raises: equal between two reads, nothing was written in between.
    public func revision() throws -> Int64 {
        try read { try $0.row("SELECT revision FROM registry_revision WHERE id = 1")?.first?.integerValue ?? 0 }
    }

    /// Last statement of every write transaction: the row is locked only from there to the commit, after
    /// the `hosting_meta` lock ``exclusively(_:)`` takes first, so writers always lock in the same order.
    private static func raiseRevision(in db: any SQLStatements) throws {
        try db.execute("UPDATE registry_revision SET revision = revision + 1 WHERE id = 1")
    }
}
