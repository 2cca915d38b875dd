import Foundation
import GRDB
import TransfertFormats
import TransfertModel

/// The registry's ``SQLExecutor`` on SQLite, through a GRDB `DatabaseQueue`: a file (`registry.sqlite`),
/// or memory (``inMemory()``, for tests).
final class SQLiteExecutor: SQLExecutor {
    let queue: DatabaseQueue

    /// Opens (creating when `create` is true) the database at `path`.
    init(path: String, create: Bool) throws {
        guard create || FileManager.default.fileExists(atPath: path) else {
            throw RegistryError.notInitialised(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        }
        queue = try DatabaseQueue(path: path, configuration: Self.configuration)
    }

    private init(queue: DatabaseQueue) {
        self.queue = queue
    }

    /// A database in memory, gone with the executor: one connection, shared by every caller.
    static func inMemory() throws -> SQLiteExecutor {
        SQLiteExecutor(queue: try DatabaseQueue(configuration: configuration))
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        // Another `transfert` (an import, a cron job) may hold the registry briefly: wait rather than fail.
        configuration.busyMode = .timeout(30)
        configuration.foreignKeysEnabled = true
        return configuration
    }

    func read<T>(_ body: (any SQLStatements) throws -> T) throws -> T {
        try queue.read { db in try body(SQLiteStatements(db: db)) }
    }

    /// `BEGIN IMMEDIATE`: the transaction takes the write lock first, so the checks it makes still hold
    /// when it writes, even against another process.
    func transaction<T>(_ body: (any SQLStatements) throws -> T) throws -> T {
        try queue.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(SQLiteStatements(db: db))
                return .commit
            }
            return result!
        }
    }
}
