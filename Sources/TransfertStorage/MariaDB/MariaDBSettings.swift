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

    /// Reads `mysql://USER@HOST[:PORT]/DATABASE[?socket=PATH]`. A password in the URL is refused.
    package init(url text: String) throws(MariaDBSettingsError) {
        guard let components = URLComponents(string: text),
            components.scheme == "mysql" || components.scheme == "mariadb"
        else {
            throw .invalid(text, "expected mysql://USER@HOST:PORT/DATABASE")
        }
        guard components.password == nil else { throw .passwordInURL }
        guard let user = components.user, !user.isEmpty else {
            throw .invalid(text, "the URL names no user (mysql://USER@HOST/…)")
        }
        self.init(
            host: components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1", port: components.port ?? 3306,
            user: user.removingPercentEncoding ?? user)
        socket = components.queryItems?.first { $0.name == "socket" }?.value
        let path = components.path.split(separator: "/").map(String.init)
        guard path.count <= 1 else { throw .invalid(text, "the path must be one database name") }
        database = path.first
    }

    /// Where the server is, for messages: `127.0.0.1:3306` or `socket /run/mysqld/mysqld.sock`.
    package var server: String { socket.map { "socket \($0)" } ?? "\(host):\(port)" }

    /// The URL again, without any password: what may be written in `transfert.yaml` and shown.
    package var url: String {
        var text = "mysql://\(user)@\(host)"
        if socket == nil { text += ":\(port)" }
        text += "/\(database ?? "")"
        if let socket { text += "?socket=\(socket)" }
        return text
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

package enum MariaDBSettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String, String)
    case passwordInURL

    package var description: String {
        switch self {
        case .invalid(let url, let reason):
            return "database URL \(url.split(separator: "@").last.map { "…@\($0)" } ?? "") is not valid: \(reason)"
        case .passwordInURL:
            return
                "the database URL holds a password, which would be visible to every user of this machine: remove it from the URL and give it with --password-file FILE or $TRANSFERT_DB_PASSWORD"
        }
    }
}

extension MariaDBSettingsError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    package var problemCode: ProblemCode {
        switch self {
        case .invalid: return .mariadbSettingsInvalid
        case .passwordInURL: return .mariadbSettingsPasswordInURL
        }
    }
}
