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

    /// Reads `postgres://USER@HOST[:PORT]/DATABASE[?socket=DIRECTORY]` by the rules every server engine's
    /// URL follows (``DatabaseURL``). A password in the URL is refused.
    package init(url text: String) throws(DatabaseURLError) {
        let url = try DatabaseURL(text, engine: .postgresql)
        self.init(
            host: url.host, port: url.port ?? Self.defaultPort, socket: url.socket, user: url.user,
            database: url.database)
    }

    /// Where the server is, for messages: `127.0.0.1:5432` or `socket /run/postgresql/.s.PGSQL.5432`.
    package var server: String { socketPath.map { "socket \($0)" } ?? "\(host):\(port)" }

    /// The socket file itself, in the directory `socket` names.
    package var socketPath: String? {
        socket.map { "\($0.hasSuffix("/") ? String($0.dropLast()) : $0)/.s.PGSQL.\(port)" }
    }

    /// The URL again, without any password: what may be written in `transfert.yaml` and shown.
    package var url: String {
        DatabaseURL.text(.postgresql, user: user, host: host, port: port, socket: socket, database: database)
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
