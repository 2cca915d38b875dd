import Foundation
import TransfertFormats
import TransfertModel

/// Where a PostgreSQL server is and who to connect as: parsed from `postgres://USER@HOST:PORT/DATABASE`
/// (`postgresql://` too) or, for a Unix socket, `postgres://USER@localhost/DATABASE?socket=/run/postgresql`,
/// the directory that holds the server's `.s.PGSQL.<port>`.
///
/// The password never comes from the URL (a command line is visible to every user of the machine): it is
/// set apart, from a file or the environment, and ``description`` never shows it.
package struct PostgreSQLSettings: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var port: Int
    /// The directory of the server's Unix socket; when set, `host` is not used to connect (`port` names
    /// the socket file, `.s.PGSQL.<port>`).
    package var socket: String?
    package var user: String
    package var password: String?
    /// The database to connect to; nil connects to the user's own (PostgreSQL's default: the user's name).
    package var database: String?

    package static let defaultPort = 5432

    package init(
        host: String = "127.0.0.1", port: Int = PostgreSQLSettings.defaultPort, socket: String? = nil,
        user: String, password: String? = nil, database: String? = nil
    ) {
        self.host = host
        self.port = port
        self.socket = socket
        self.user = user
        self.password = password
        self.database = database
    }

    /// The query keys a URL may carry; any other is refused by name rather than ignored.
    private static let knownQueryKeys: Set<String> = ["socket"]

    /// Reads `postgres://USER@HOST[:PORT]/DATABASE[?socket=DIRECTORY]`. A password in the URL is refused.
    package init(url text: String) throws(PostgreSQLSettingsError) {
        guard let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else {
            throw .invalid(text, "expected postgres://USER@HOST:PORT/DATABASE")
        }
        guard components.password == nil else { throw .passwordInURL }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw .invalid(text, "the URL names no user (postgres://USER@HOST/…)")
        }
        let port = components.port ?? Self.defaultPort
        guard (1...65535).contains(port) else {
            throw .invalid(text, "the port \(port) is not between 1 and 65535")
        }
        var socket: String?
        for item in components.queryItems ?? [] {
            guard Self.knownQueryKeys.contains(item.name) else {
                throw .invalid(text, "unknown setting `\(item.name)` in the URL (the only one known is `socket`)")
            }
            guard let value = item.value, value.hasPrefix("/") else {
                throw .invalid(text, "`socket` must be the absolute path of the directory holding .s.PGSQL.\(port)")
            }
            socket = value
        }
        let path = components.percentEncodedPath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard path.count <= 1 else { throw .invalid(text, "the path must be one database name") }
        let database = path.first.map { $0.removingPercentEncoding ?? $0 }
        self.init(
            host: components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1", port: port, socket: socket,
            user: user, database: database)
    }

    /// Where the server is, for messages: `127.0.0.1:5432` or `socket /run/postgresql/.s.PGSQL.5432`.
    package var server: String { socketPath.map { "socket \($0)" } ?? "\(host):\(port)" }

    /// The socket file itself, in the directory `socket` names.
    package var socketPath: String? {
        socket.map { "\($0.hasSuffix("/") ? String($0.dropLast()) : $0)/.s.PGSQL.\(port)" }
    }

    /// The URL again, without any password: what may be written in `transfert.yaml` and shown.
    package var url: String {
        var text = "postgres://\(user)@\(host)"
        if socket == nil { text += ":\(port)" }
        text += "/\(database ?? "")"
        if let socket { text += "?socket=\(socket)" }
        return text
    }

    package var description: String { "\(user)@\(server)" }

    /// The same server and account, connected to another database.
    package func with(database: String?) -> PostgreSQLSettings {
        var copy = self
        copy.database = database
        return copy
    }

    /// The same server as another account (an establishment's own role), in `database`.
    package func with(user: String, password: String?, database: String?) -> PostgreSQLSettings {
        var copy = self
        copy.user = user
        copy.password = password
        copy.database = database
        return copy
    }
}

package enum PostgreSQLSettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String, String)
    case passwordInURL

    package var description: String {
        switch self {
        case .invalid(let url, let reason):
            // Only what follows the user is repeated: a mistyped URL may hold a password in an odd place.
            return "database URL \(url.split(separator: "@").last.map { "…@\($0)" } ?? "") is not valid: \(reason)"
        case .passwordInURL:
            return
                "the database URL holds a password, which would be visible to every user of this machine: remove it from the URL and give it with --password-file FILE or $TRANSFERT_DB_PASSWORD"
        }
    }
}

extension PostgreSQLSettingsError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    package var problemCode: ProblemCode {
        switch self {
        case .invalid: return .postgresqlSettingsInvalid
        case .passwordInURL: return .postgresqlSettingsPasswordInURL
        }
    }
}
