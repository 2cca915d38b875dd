import Foundation
import TransfertFormats
import TransfertModel

/// The `backend:` section of `transfert.yaml`: which engine holds the registry and the establishment
/// databases, and how to reach it.
///
/// ```yaml
/// backend:
///   kind: sqlite
/// ```
public struct BackendSettings: Codable, Sendable, Equatable {
    public var kind: BackendKind
    /// How to reach a database server (server backends only).
    public var database: DatabaseServerSettings?

    public init(kind: BackendKind = .sqlite, database: DatabaseServerSettings? = nil) {
        self.kind = kind
        self.database = database
    }

    /// The section's lines under `backend:` (with `indent` before each).
    package func renderYAML(indent: String) -> String {
        var lines = ["kind: \(kind.rawValue)"]
        if let database {
            lines.append("database:")
            lines.append("  url: \(YAMLScalar.quoted(database.url))")
            if let variable = database.passwordEnvironmentVariable {
                lines.append("  password_env: \(YAMLScalar.quoted(variable))")
            }
            if let file = database.passwordFile { lines.append("  password_file: \(YAMLScalar.quoted(file))") }
            lines.append("  prefix: \(YAMLScalar.quoted(database.prefix))")
        }
        return lines.enumerated().map { $0.offset == 0 ? $0.element : indent + $0.element }.joined(separator: "\n")
    }
}

/// The engines a hosting can live on.
public enum BackendKind: String, Codable, Sendable, CaseIterable {
    /// The embedded default: SQLite files in the hosting directory.
    case sqlite
    /// A MariaDB (or MySQL) server: a registry database and one database per establishment.
    case mariadb
    /// A PostgreSQL server (15 or later): a registry database and one database and role per establishment.
    case postgres
}

/// Where a database server is (`url`, never with a password), where its password comes from, and the
/// prefix of the databases and accounts Transfert creates there.
public struct DatabaseServerSettings: Codable, Sendable, Equatable {
    /// `mysql://USER@HOST:PORT/REGISTRY_DB` or `mysql://USER@localhost/REGISTRY_DB?socket=PATH`;
    /// `postgres://USER@HOST:PORT/REGISTRY_DB` or `postgres://USER@localhost/REGISTRY_DB?socket=DIRECTORY`.
    public var url: String
    /// The environment variable holding the password (never the password itself).
    public var passwordEnvironmentVariable: String?
    /// A file holding the password (owner-only), relative to the hosting directory or absolute.
    public var passwordFile: String?
    /// Databases are `<prefix>base_<id>`, accounts `<prefix>user_<id>`.
    public var prefix: String

    public init(
        url: String, passwordEnvironmentVariable: String? = nil, passwordFile: String? = nil,
        prefix: String = "transfert_"
    ) {
        self.url = url
        self.passwordEnvironmentVariable = passwordEnvironmentVariable
        self.passwordFile = passwordFile
        self.prefix = prefix
    }

    enum CodingKeys: String, CodingKey {
        case url, prefix
        case passwordEnvironmentVariable = "password_env"
        case passwordFile = "password_file"
    }

    /// The environment variable read when the configuration names no source.
    public static let defaultPasswordVariable = "TRANSFERT_DB_PASSWORD"

    /// The password, from `password_file` (first line; relative to the hosting), else the environment
    /// variable `password_env`, else `$TRANSFERT_DB_PASSWORD`; nil when none is set (a socket login).
    public func password(hostingDirectory: URL) throws(BackendError) -> String? {
        if let file = passwordFile {
            let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : hostingDirectory.appendingPathComponent(file)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw .passwordMissing("the password file \(url.path) cannot be read")
            }
            return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        let variable = passwordEnvironmentVariable ?? Self.defaultPasswordVariable
        if let value = ProcessInfo.processInfo.environment[variable] { return value }
        if passwordEnvironmentVariable != nil {
            throw .passwordMissing("$\(variable), which transfert.yaml names, is not set")
        }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decode(String.self, forKey: .url)
        passwordEnvironmentVariable = try container.decodeIfPresent(String.self, forKey: .passwordEnvironmentVariable)
        passwordFile = try container.decodeIfPresent(String.self, forKey: .passwordFile)
        prefix = try container.decodeIfPresent(String.self, forKey: .prefix) ?? "transfert_"
    }
}
