import Foundation
import TransfertFormats
import TransfertModel

/// A server engine's database URL that cannot be used. One type for MariaDB and PostgreSQL, since the rules
/// are one; each engine keeps its own problem codes (`mariadb_settings.*`, `postgresql_settings.*`), which
/// scripts read.
package struct DatabaseURLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The engine whose URL it was: its schemes, its form for messages, its problem codes.
    package enum Engine: Sendable, Equatable {
        case mariadb
        case postgresql

        /// The schemes a URL of this engine may start with.
        var schemes: Set<String> {
            switch self {
            case .mariadb: return ["mysql", "mariadb"]
            case .postgresql: return ["postgres", "postgresql"]
            }
        }

        /// The scheme this program writes.
        var scheme: String {
            switch self {
            case .mariadb: return "mysql"
            case .postgresql: return "postgres"
            }
        }

        /// The URL's form, for a message.
        var form: String { "\(scheme)://USER@HOST:PORT/DATABASE" }

        /// What `?socket=` names.
        func socketMeaning(port: Int?) -> String {
            switch self {
            case .mariadb: return "the server's socket file"
            case .postgresql: return "the directory holding .s.PGSQL.\(port ?? PostgreSQLSettings.defaultPort)"
            }
        }
    }

    package enum Problem: Sendable, Equatable {
        /// The URL and why it cannot be used.
        case invalid(String, String)
        case passwordInURL
    }

    package let engine: Engine
    package let problem: Problem

    package init(_ engine: Engine, _ problem: Problem) {
        self.engine = engine
        self.problem = problem
    }

    package static func invalid(_ engine: Engine, _ url: String, _ reason: String) -> DatabaseURLError {
        DatabaseURLError(engine, .invalid(url, reason))
    }

    package var description: String {
        switch problem {
        case .invalid(let url, let reason):
            // Only what follows the user is repeated: a mistyped URL may hold a password in an odd place.
            return "database URL \(url.split(separator: "@").last.map { "…@\($0)" } ?? "") is not valid: \(reason)"
        case .passwordInURL:
            return
                "the database URL holds a password, which would be visible to every user of this machine: remove it from the URL and give it with --password-file FILE or $TRANSFERT_DB_PASSWORD"
        }
    }
}

extension DatabaseURLError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    package var problemCode: ProblemCode {
        switch (engine, problem) {
        case (.mariadb, .invalid): return .mariadbSettingsInvalid
        case (.mariadb, .passwordInURL): return .mariadbSettingsPasswordInURL
        case (.postgresql, .invalid): return .postgresqlSettingsInvalid
        case (.postgresql, .passwordInURL): return .postgresqlSettingsPasswordInURL
        }
    }
}
