import Foundation
import TransfertFormats
import TransfertModel

/// Where a MariaDB server is and who to connect as: parsed from `mysql://USER@HOST:PORT/DATABASE` or,
/// for a Unix socket, `mysql://USER@localhost/DATABASE?socket=/run/mysqld/mysqld.sock`.
///
/// The password never comes from the URL (a command line is visible to every user of the machine): it is
/// set apart, from a file or the environment, and ``description`` never shows it.
package struct MariaDBSettings: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var port: Int
    /// A Unix socket path; when set, `host` and `port` are not used to connect.
    package var socket: String?
    package var user: String
    package var password: String?
    package var database: String?

    package init(
        host: String = "127.0.0.1", port: Int = 3306, socket: String? = nil, user: String,
        password: String? = nil, database: String? = nil
    ) {
        self.host = host
        self.port = port
        self.socket = socket
        self.user = user
        self.password = password
        self.database = database
    }

    /// Reads `mysql://USER@HOST[:PORT]/DATABASE[?socket=PATH]` by the rules every server engine's URL
    /// follows (``DatabaseURL``). A password in the URL is refused.
    package init(url text: String) throws(DatabaseURLError) {
        let url = try DatabaseURL(text, engine: .mariadb)
        self.init(
            host: url.host, port: url.port ?? 3306, socket: url.socket, user: url.user, database: url.database)
    }

    /// Where the server is, for messages: `127.0.0.1:3306` or `socket /run/mysqld/mysqld.sock`.
    package var server: String { socket.map { "socket \($0)" } ?? "\(host):\(port)" }

    /// The URL again, without any password: what may be written in `transfert.yaml` and shown.
    package var url: String {
        DatabaseURL.text(.mariadb, user: user, host: host, port: port, socket: socket, database: database)
    }

    package var description: String { "\(user)@\(server)" }

    /// The same server and password as another account or database.
    package func with(user: String? = nil, password: String? = nil, database: String?) -> MariaDBSettings {
        var copy = self
        if let user { copy.user = user }
        if let password { copy.password = password }
        copy.database = database
        return copy
    }
}
