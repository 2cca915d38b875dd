import Foundation
import TransfertFormats
import TransfertModel

/// The registry's ``SQLExecutor`` on PostgreSQL: one connection to the registry's database, used by one
/// caller at a time; a lost connection (the server restarted or dropped us) is opened again and the work
/// tried once more (the failed attempt's transaction died with the connection: nothing of it was kept).
final class PostgreSQLExecutor: SQLExecutor, @unchecked Sendable {
    let settings: PostgreSQLSettings
    private let lock = NSLock()
    private var connection: PostgreSQLConnection?

    init(settings: PostgreSQLSettings) {
        self.settings = settings
    }

    /// Runs `body` on the connection, opening it (again) when needed; one caller at a time.
    private func withConnection<T>(_ body: (PostgreSQLConnection) throws -> T) throws -> T {
        try lock.withLock {
            if connection == nil { connection = try PostgreSQLConnection(settings) }
            do {
                return try body(connection!)
            } catch let error as PostgreSQLError where error.isConnectionLost {
                connection?.close()
                connection = nil
                connection = try PostgreSQLConnection(settings)
                return try body(connection!)
            }
        }
    }

    func read<T>(_ body: (any SQLStatements) throws -> T) throws -> T {
        try withConnection { try body(PostgreSQLStatements(connection: $0)) }
    }

    func transaction<T>(_ body: (any SQLStatements) throws -> T) throws -> T {
        try withConnection { connection in
            try connection.execute("BEGIN")
            do {
                let result = try body(PostgreSQLStatements(connection: connection))
                try connection.execute("COMMIT")
                return result
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }
}
