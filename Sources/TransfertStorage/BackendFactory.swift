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
        }
    }
}
