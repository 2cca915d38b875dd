import Foundation

/// Opens (or creates, for `init`) the backend a hosting's configuration names: the one place that knows
/// every backend, so that nothing else branches on the engine.
public enum BackendFactory {
    public static func make(_ settings: BackendSettings, hostingDirectory: URL, create: Bool) throws -> any HostingBackend {
        switch settings.kind {
        case .sqlite:
            return try SQLiteBackend(directory: hostingDirectory, create: create)
        case .mariadb:
            guard let database = settings.database else { throw BackendError.missingDatabaseSettings }
            var server = try MariaDBSettings(url: database.url)
            server.password = try database.password(hostingDirectory: hostingDirectory)
            if create { try MariaDBProvisioning(settings: server, prefix: database.prefix).prepare() }
            return try MariaDBBackend(settings: server, prefix: database.prefix,
                                      credentialsDirectory: hostingDirectory.appendingPathComponent("credentials"), create: create)
        }
    }
}

public enum BackendError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A server backend without its `database:` section.
    case missingDatabaseSettings
    /// Where the password should come from, it is not.
    case passwordMissing(String)

    public var description: String {
        switch self {
        case .missingDatabaseSettings:
            return "transfert.yaml: backend kind `mariadb` needs a `database:` section with `url` (mysql://USER@HOST:PORT/REGISTRY_DB)"
        case .passwordMissing(let reason):
            return "no password for the database server: \(reason). Give it with --password-file FILE, or $TRANSFERT_DB_PASSWORD, or `database.password_env` in transfert.yaml"
        }
    }
}

extension BackendError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .missingDatabaseSettings: return .backendMissingDatabaseSettings
        case .passwordMissing: return .backendPasswordMissing
        }
    }
}
