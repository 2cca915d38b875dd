import Foundation
import TransfertFormats
import TransfertModel

/// The registry's ``SQLExecutor`` on MariaDB: one connection to the registry's database, used by one
/// caller at a time; a lost connection (the server restarted or dropped us) is opened again and the work
/// tried once more.
final class MariaDBExecutor: SQLExecutor, @unchecked Sendable {
    let settings: MariaDBSettings
    private let lock = NSLock()
    private var connection: MariaDBConnection?

    init(settings: MariaDBSettings) {
        self.settings = settings
    }

    /// Runs `body` on the connection, opening it (again) when needed; one caller at a time.
    private func withConnection<T>(_ body: (MariaDBConnection) throws -> T) throws -> T {
        try lock.withLock {
            if connection == nil { connection = try MariaDBConnection(settings) }
            do {
                return try body(connection!)
            } catch let error as MariaDBError where error.isConnectionLost {
                connection = try MariaDBConnection(settings)
                return try body(connection!)
            }
        }
    }

    func read<T>(_ body: (any SQLStatements) throws -> T) throws -> T {
        try withConnection { try body(MariaDBStatements(connection: $0)) }
    }

    func transaction<T>(_ body: (any SQLStatements) throws -> T) throws -> T {
        try withConnection { connection in
            try connection.execute("START TRANSACTION")
            do {
                let result = try body(MariaDBStatements(connection: connection))
                try connection.execute("COMMIT")
                return result
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }
}
