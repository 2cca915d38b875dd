import Foundation
import TransfertFormats
import TransfertModel

/// The account a server backend (MariaDB, PostgreSQL) gives each establishment, the way SACoche gives
/// each establishment its own database and account: a generated password, and the connection settings
/// written owner-only in the hosting (`credentials/base_<id>.yaml`), where the hosted application reads
/// them. Written once here for every server engine: the file is the same whatever the engine.
package struct EstablishmentAccount: Sendable {
    package var host: String
    package var port: Int
    /// The Unix socket (or, for PostgreSQL, the directory holding it), when the server is reached so.
    package var socket: String?
    package var database: String
    package var user: String
    package var password: String

    package init(host: String, port: Int, socket: String?, database: String, user: String, password: String) {
        self.host = host
        self.port = port
        self.socket = socket
        self.database = database
        self.user = user
        self.password = password
    }

    /// 24 random bytes from the system's generator, in hexadecimal: 192 bits, and no character any
    /// engine's SQL or YAML would need to escape.
    package static func generatePassword() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// `credentials/base_<id>.yaml` in `directory`.
    package static func file(baseID: Int64, in directory: URL) -> URL {
        directory.appendingPathComponent("base_\(baseID).yaml")
    }

    /// Writes the settings of establishment `baseID`, owner-only, whole or not at all.
    package func write(baseID: Int64, in directory: URL) throws {
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let text = """
            # Connection settings of establishment \(baseID), for the hosted application. Owner-only.
            host: \(YAMLScalar.quoted(host))
            port: \(port)
            \(socket.map { "socket: \(YAMLScalar.quoted($0))" } ?? "# socket: (TCP)")
            database: \(YAMLScalar.quoted(database))
            user: \(YAMLScalar.quoted(user))
            password: \(YAMLScalar.quoted(password))

            """
        try AtomicFile.write(Data(text.utf8), to: Self.file(baseID: baseID, in: directory))
    }

    /// Removes the settings file of `baseID`, if there is one.
    package static func remove(baseID: Int64, in directory: URL) {
        try? FileManager.default.removeItem(at: file(baseID: baseID, in: directory))
    }
}
