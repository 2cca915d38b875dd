import Foundation
import TransfertFormats
import TransfertModel

/// Opens (or creates, for `init`) the backend a hosting's configuration names: the one place that knows
/// every backend, so that nothing else branches on the engine.
public enum BackendFactory {
    public static func make(_ settings: BackendSettings, hostingDirectory: URL, create: Bool) throws
        -> any HostingBackend
    {
        switch settings.kind {
        case .sqlite:
            return try SQLiteBackend(directory: hostingDirectory, create: create)
        case .mariadb:
            guard let database = settings.database else { throw BackendError.missingDatabaseSettings }
            var server = try MariaDBSettings(url: database.url)
            server.password = try database.password(hostingDirectory: hostingDirectory)
            if create { try MariaDBProvisioning(settings: server, prefix: database.prefix).prepare() }
            return try MariaDBBackend(
                settings: server, prefix: database.prefix,
                credentialsDirectory: hostingDirectory.appendingPathComponent("credentials"), create: create)
        case .postgres:
            guard let database = settings.database else { throw BackendError.missingDatabaseSettings }
            var server = try PostgreSQLSettings(url: database.url)
            server.password = try database.password(hostingDirectory: hostingDirectory)
            if create { try PostgreSQLProvisioning(settings: server, prefix: database.prefix).prepare() }
            return try PostgreSQLBackend(
                settings: server, prefix: database.prefix,
                credentialsDirectory: hostingDirectory.appendingPathComponent("credentials"), create: create)
        }
    }

    /// Checks a `--database-url` for `kind` as the backend will read it, before anything is written.
    /// Throws the reason (a password in the URL, a wrong scheme, an unknown setting…).
    public static func checkDatabaseURL(_ url: String, for kind: BackendKind) throws {
        switch kind {
        case .sqlite: throw BackendError.databaseURLWithoutServer
        case .mariadb: _ = try MariaDBSettings(url: url)
        case .postgres: _ = try PostgreSQLSettings(url: url)
        }
    }

    /// `user@host:port` (or the socket) of a server backend's URL, for messages; nil when unreadable.
    public static func serverDescription(_ url: String, for kind: BackendKind) -> String? {
        switch kind {
        case .sqlite: return nil
        case .mariadb: return (try? MariaDBSettings(url: url))?.description
        case .postgres: return (try? PostgreSQLSettings(url: url))?.description
        }
    }
}
