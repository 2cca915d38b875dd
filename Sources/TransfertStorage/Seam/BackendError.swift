import Foundation
import TransfertFormats
import TransfertModel

public enum BackendError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A server backend without its `database:` section.
    case missingDatabaseSettings
    /// Where the password should come from, it is not.
    case passwordMissing(String)
    /// A database URL given to the embedded backend, which has no server.
    case databaseURLWithoutServer

    public var description: String {
        switch self {
        case .missingDatabaseSettings:
            return
                "transfert.yaml: backend kinds `mariadb` and `postgres` need a `database:` section with `url` (mysql://USER@HOST:PORT/REGISTRY_DB or postgres://USER@HOST:PORT/REGISTRY_DB)"
        case .databaseURLWithoutServer:
            return "a database URL goes with a server backend (--backend mariadb or postgres), not with sqlite"
        case .passwordMissing(let reason):
            return
                "no password for the database server: \(reason). Give it with --password-file FILE, or $TRANSFERT_DB_PASSWORD, or `database.password_env` in transfert.yaml"
        }
    }
}

extension BackendError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .missingDatabaseSettings: return .backendMissingDatabaseSettings
        case .passwordMissing: return .backendPasswordMissing
        case .databaseURLWithoutServer: return .backendDatabaseURLWithoutServer
        }
    }
}
