import Foundation
import TransfertFormats
import TransfertModel

/// An error reported by a PostgreSQL server, or by the client when it could not reach one or lost it, with
/// the server it came from and what the operator can do. Passwords never appear in it: neither PostgreSQL's
/// messages nor ours repeat one, and bound values are never quoted.
package struct PostgreSQLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `127.0.0.1:5432` or `socket …`.
    package var server: String
    /// The server's SQLSTATE (`28P01` wrong password, `42501` missing privilege, …); the client's own
    /// failures use class `08` (connection exception), as libpq does.
    package var sqlState: String
    package var message: String
    /// The server's detail or hint, when it gave one.
    package var detail: String?
    /// The statement, shortened, when there was one.
    package var statement: String?

    package init(server: String, sqlState: String, message: String, detail: String? = nil, statement: String? = nil) {
        self.server = server
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.statement = statement.map { $0.count > 200 ? String($0.prefix(200)) + "…" : $0 }
    }

    /// SQLSTATEs with a meaning the operator acts on.
    package enum State {
        /// The client could not reach the server.
        package static let unreachable = "08001"
        /// The connection broke while in use.
        package static let connectionLost = "08006"
        package static let invalidPassword = "28P01"
        package static let invalidAuthorization = "28000"
        package static let insufficientPrivilege = "42501"
        package static let duplicateDatabase = "42P04"
        package static let duplicateObject = "42710"
        package static let invalidCatalog = "3D000"
        /// `character_not_in_repertoire`: here, a NUL in a text value, which PostgreSQL's text cannot hold.
        package static let characterNotInRepertoire = "22021"
        /// The server is shutting down or starting (`admin_shutdown`, `crash_shutdown`, `cannot_connect_now`).
        static let serverGoingAway: Set<String> = ["57P01", "57P02", "57P03"]
    }

    /// The server lost the connection, or was never reached: an import fails cleanly and can be run again,
    /// and the registry's executor opens a new connection.
    package var isConnectionLost: Bool { sqlState.hasPrefix("08") || State.serverGoingAway.contains(sqlState) }

    /// The account may not do this.
    package var isMissingPrivilege: Bool { sqlState == State.insufficientPrivilege }

    /// The password (or the account) was refused.
    package var isAuthenticationFailure: Bool {
        sqlState == State.invalidPassword || sqlState == State.invalidAuthorization
    }

    package var description: String {
        var text = "PostgreSQL server \(server): \(message) (SQLSTATE \(sqlState))"
        if let detail, !detail.isEmpty { text += " — \(detail)" }
        switch sqlState {
        case State.invalidPassword, State.invalidAuthorization:
            text +=
                ". Check the user and its password (--password-file FILE, $TRANSFERT_DB_PASSWORD or database.password_env)"
        case State.insufficientPrivilege:
            text +=
                ". The role lacks a privilege: see \"PostgreSQL hostings\" in Docs/user-guide.md for the privileges it needs"
        case State.unreachable: text += ". Is the server running, and is this the right address?"
        case State.invalidCatalog: text += ". Check the database name in the URL"
        case _ where isConnectionLost:
            text +=
                ". The connection was lost (server restarted?): nothing was kept of the unfinished work; run the command again"
        default: break
        }
        if let statement { text += " — in: \(statement)" }
        return text
    }
}

extension PostgreSQLError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    package var problemCode: ProblemCode { .postgresqlServer }
}
