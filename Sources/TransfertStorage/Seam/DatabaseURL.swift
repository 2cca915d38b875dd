import Foundation
import TransfertModel

/// What a server engine's database URL says, read by the one rule set MariaDB and PostgreSQL share:
/// `SCHEME://USER@HOST[:PORT]/DATABASE[?socket=PATH]`, with no password (a command line is visible to every
/// user of the machine) and no setting this reader does not know (ignoring one would drop what the operator
/// asked for without a word). Each engine's settings type then fills in its own defaults and socket meaning.
package struct DatabaseURL: Sendable, Equatable {
    /// The host named, or 127.0.0.1 when none is.
    package let host: String
    /// The port named; nil leaves the engine's default.
    package let port: Int?
    package let user: String
    /// The one database the path names; nil when the path is empty.
    package let database: String?
    /// `?socket=` — an absolute path, which each engine reads in its own way (a file, or a directory).
    package let socket: String?

    /// The query keys a URL may carry.
    private static let knownQueryKeys: Set<String> = ["socket"]

    package init(_ text: String, engine: DatabaseURLError.Engine) throws(DatabaseURLError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            engine.schemes.contains(scheme)
        else {
            throw DatabaseURLError(engine, .invalid(text, "expected \(engine.form)"))
        }
        guard components.password == nil else { throw DatabaseURLError(engine, .passwordInURL) }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw DatabaseURLError(engine, .invalid(text, "the URL names no user (\(engine.scheme)://USER@HOST/…)"))
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw DatabaseURLError(engine, .invalid(text, "the port \(port) is not between 1 and 65535"))
        }
        var socket: String?
        for item in components.queryItems ?? [] {
            guard Self.knownQueryKeys.contains(item.name) else {
                throw DatabaseURLError(
                    engine, .invalid(text, "unknown setting `\(item.name)` in the URL (the only one known is `socket`)")
                )
            }
            guard let value = item.value, value.hasPrefix("/") else {
                throw DatabaseURLError(
                    engine,
                    .invalid(
                        text, "`socket` must be the absolute path of \(engine.socketMeaning(port: components.port))"))
            }
            socket = value
        }
        let path = components.percentEncodedPath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard path.count <= 1 else {
            throw DatabaseURLError(engine, .invalid(text, "the path must be one database name"))
        }
        self.host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        self.port = components.port
        self.user = user
        self.database = path.first.map { $0.removingPercentEncoding ?? $0 }
        self.socket = socket
    }

    /// A URL of `engine` written back from its parts, never with a password: what `transfert.yaml` keeps and
    /// messages show. The port is left out when a socket is used.
    package static func text(
        _ engine: DatabaseURLError.Engine, user: String, host: String, port: Int, socket: String?, database: String?
    ) -> String {
        var text = "\(engine.scheme)://\(user)@\(host)"
        if socket == nil { text += ":\(port)" }
        text += "/\(database ?? "")"
        if let socket { text += "?socket=\(socket)" }
        return text
    }
}
