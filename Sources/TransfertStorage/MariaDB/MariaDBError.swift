import CMariaDB
import Foundation
import TransfertFormats
import TransfertModel

/// An error reported by a MariaDB server or its client library, with the server it came from and what
/// the operator can do. Passwords never appear in it.
package struct MariaDBError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `127.0.0.1:3306` or `socket …`.
    package var server: String
    /// The server's or the client library's error number (1045 access denied, 2002 no server…).
    package var code: UInt32
    package var sqlState: String
    package var message: String
    /// The statement, shortened, when there was one.
    package var statement: String?

    package init(server: String, code: UInt32, sqlState: String, message: String, statement: String? = nil) {
        self.server = server
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.statement = statement.map { $0.count > 200 ? String($0.prefix(200)) + "…" : $0 }
    }

    /// The server lost the connection, or was never reached: an import fails cleanly and can be run again.
    package var isConnectionLost: Bool { [2002, 2003, 2005, 2006, 2013, 2055].contains(code) }

    package var description: String {
        var text = "MariaDB server \(server): \(message) (error \(code))"
        switch code {
        case 1045:
            text +=
                ". Check the user and its password (--password-file FILE, $TRANSFERT_DB_PASSWORD or database.password_env)"
        case 1044, 1142, 1227, 1410:
            text += ". The account lacks a privilege: see \"MariaDB\" in Docs/user-guide.md for the privileges it needs"
        case 2002, 2003, 2005: text += ". Is the server running, and is this the right address?"
        case 2006, 2013:
            text +=
                ". The connection was lost (server restarted?): nothing was kept of the unfinished work; run the command again"
        default: break
        }
        if let statement { text += " — in: \(statement)" }
        return text
    }
}

extension MariaDBError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    package var problemCode: ProblemCode { .mariadbServer }
}
