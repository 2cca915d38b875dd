import Foundation
import NIOCore
import PostgresNIO

extension PostgreSQLError {
    /// What PostgresNIO (or the network under it) reported, as an error a person can act on. The client's
    /// own description is never used: it may carry the statement's bound values.
    init(_ error: any Error, server: String, statement: String?, connecting: Bool = false) {
        if let error = error as? PostgreSQLError {
            self = error
            return
        }
        guard let error = error as? PSQLError else {
            // A failure below the protocol (socket, DNS): the server was not reached, or was lost.
            self.init(
                server: server, sqlState: connecting ? State.unreachable : State.connectionLost,
                message: connecting ? "cannot connect: \(error)" : "the connection failed: \(error)",
                statement: statement)
            return
        }
        switch error.code {
        case .server:
            let info = error.serverInfo
            self.init(
                server: server, sqlState: info?[.sqlState] ?? "XX000",
                message: info?[.message] ?? "the server refused the statement",
                detail: info?[.detail] ?? info?[.hint], statement: statement)
        case .authMechanismRequiresPassword:
            self.init(
                server: server, sqlState: State.invalidPassword,
                message: "the server asks for a password and none was given")
        case .unsupportedAuthMechanism, .saslError:
            self.init(
                server: server, sqlState: State.invalidAuthorization,
                message:
                    "the server asks for an authentication method Transfert does not speak (use scram-sha-256 or md5 in pg_hba.conf)"
            )
        case .connectionError, .sslUnsupported, .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            let reason = error.underlying.map { "\($0)" } ?? "\(error.code)"
            self.init(
                server: server, sqlState: connecting ? State.unreachable : State.connectionLost,
                message: connecting ? "cannot connect (\(reason))" : "the connection failed (\(reason))",
                statement: statement)
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            self.init(
                server: server, sqlState: connecting ? State.unreachable : State.connectionLost,
                message: "the server closed the connection", statement: statement)
        default:
            self.init(
                server: server, sqlState: "XX000", message: "the client failed: \(error.code)", statement: statement)
        }
    }
}
