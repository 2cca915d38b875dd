import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The SMTP relay that delivers the outbox: the optional `smtp:` section of `transfert.yaml`.
///
/// ```yaml
/// smtp:
///   host: "smtp.example.org"
///   port: 587                            # default: 587 (starttls), 465 (tls), 25 (none)
///   security: starttls                   # starttls | tls | none
///   username: "webmestre@example.org"    # optional: AUTH only when given
///   password_env: "TRANSFERT_SMTP_PASSWORD"   # or password: "…"
///   batch_size: 20                       # messages per connection
///   attempts: 3                          # tries per message on temporary failures
///   ca_file: "/etc/ssl/certs/relay-ca.pem"   # optional: the CA that signed the relay's certificate
///   timeout: 120                         # seconds a message may take before the relay counts as gone
/// ```
///
/// The password is never printed: ``description`` and every error leave it out.
public struct SMTPRelay: Codable, Sendable, Equatable, CustomStringConvertible {
    public var host: String
    /// `nil`: the usual port of ``security``.
    public var port: Int?
    public var security: Security
    public var username: String?
    /// The password written in the configuration (the file is owner-only). Prefer ``passwordEnvironmentVariable``.
    public var password: String?
    /// The name of an environment variable holding the password.
    public var passwordEnvironmentVariable: String?
    /// Messages sent over one connection before it is closed and a new one opened.
    public var batchSize: Int?
    /// Tries per message when the failure is temporary (a 4xx reply, a lost connection).
    public var attempts: Int?
    /// A PEM file of the certificate authorities to trust for the relay (an internal relay signed by the
    /// organisation's own CA); `nil`: the system's. The certificate and its name are always checked.
    public var caFile: String?
    /// Seconds one message may take (connection included) before the relay is taken for gone and the
    /// message kept for the next run; default 120.
    public var timeout: Int?

    public enum Security: String, Codable, Sendable, CaseIterable {
        /// Plain connection upgraded with STARTTLS, refused if the relay does not offer it (port 587).
        case starttls
        /// TLS from the first byte, "SMTPS" (port 465).
        case tls
        /// No encryption: only for a relay on the same machine or network.
        case none

        public var defaultPort: Int {
            switch self {
            case .starttls: return 587
            case .tls: return 465
            case .none: return 25
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case host, port, security, username, password
        case passwordEnvironmentVariable = "password_env"
        case batchSize = "batch_size"
        case attempts
        case caFile = "ca_file"
        case timeout
    }

    public init(
        host: String, port: Int? = nil, security: Security = .starttls, username: String? = nil,
        password: String? = nil, passwordEnvironmentVariable: String? = nil, batchSize: Int? = nil,
        attempts: Int? = nil
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.passwordEnvironmentVariable = passwordEnvironmentVariable
        self.batchSize = batchSize
        self.attempts = attempts
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        host = try container.decode(String.self, forKey: .host)
        port = try container.decodeIfPresent(Int.self, forKey: .port)
        security = try container.decodeIfPresent(Security.self, forKey: .security) ?? .starttls
        username = try container.decodeIfPresent(String.self, forKey: .username)
        password = try container.decodeIfPresent(String.self, forKey: .password)
        passwordEnvironmentVariable = try container.decodeIfPresent(String.self, forKey: .passwordEnvironmentVariable)
        batchSize = try container.decodeIfPresent(Int.self, forKey: .batchSize)
        attempts = try container.decodeIfPresent(Int.self, forKey: .attempts)
        caFile = try container.decodeIfPresent(String.self, forKey: .caFile)
        timeout = try container.decodeIfPresent(Int.self, forKey: .timeout)
    }

    public var effectivePort: Int { port ?? security.defaultPort }
    public var effectiveBatchSize: Int { batchSize ?? 20 }
    public var effectiveAttempts: Int { attempts ?? 3 }
    public var effectiveTimeout: Int { timeout ?? 120 }

    /// `smtp.example.org:587 (starttls, as webmestre@example.org)` — never the password.
    public var description: String {
        "\(host):\(effectivePort) (\(security.rawValue)\(username.map { ", as \($0)" } ?? ""))"
    }

    /// The password to log in with: from the environment variable when one is named, else from the file.
    public func resolvedPassword(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> String?
    {
        if let variable = passwordEnvironmentVariable {
            guard let value = environment[variable], !value.isEmpty else {
                throw .invalidValue(
                    file: Hosting.configurationFileName, key: "smtp.password_env", value: variable,
                    expected: "the name of a set environment variable: export \(variable)=… before sending")
            }
            return value
        }
        return password
    }

    /// Checks what an operator may have mistyped, naming the key.
    public func validate(file: String) throws(ConfigurationError) {
        let trimmed = host.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.contains("/"), !trimmed.contains(" ") else {
            throw .invalidValue(
                file: file, key: "smtp.host", value: host, expected: "a host name or address, e.g. smtp.example.org")
        }
        if let timeout, !(1...3600).contains(timeout) {
            throw .invalidValue(
                file: file, key: "smtp.timeout", value: String(timeout), expected: "seconds between 1 and 3600")
        }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw .invalidValue(
                file: file, key: "smtp.ca_file", value: caFile,
                expected: "a readable PEM file of certificate authorities")
        }
        if let port, !(1...65535).contains(port) {
            throw .invalidValue(
                file: file, key: "smtp.port", value: String(port), expected: "a port between 1 and 65535")
        }
        if password != nil && passwordEnvironmentVariable != nil {
            throw .invalidValue(
                file: file, key: "smtp.password", value: "(hidden)",
                expected: "either `password` or `password_env`, not both: remove one")
        }
        if (password != nil || passwordEnvironmentVariable != nil) && (username ?? "").isEmpty {
            throw .invalidValue(
                file: file, key: "smtp.username", value: username ?? "",
                expected: "the login that goes with the password")
        }
        if let batchSize, !(1...1000).contains(batchSize) {
            throw .invalidValue(
                file: file, key: "smtp.batch_size", value: String(batchSize),
                expected: "a number of messages between 1 and 1000")
        }
        if let attempts, !(1...10).contains(attempts) {
            throw .invalidValue(
                file: file, key: "smtp.attempts", value: String(attempts),
                expected: "a number of tries between 1 and 10")
        }
    }

    /// The commented `smtp:` block `init` writes and the guide shows.
    static let commentedExample = """
        # The SMTP relay that delivers letters (`transfert outbox send`, `--send`). Without it, letters
        # stay in outbox/ as .eml files. Uncomment and edit:
        # smtp:
        #   host: "smtp.example.org"
        #   port: 587                   # default: 587 for starttls, 465 for tls, 25 for none
        #   security: starttls          # starttls | tls (implicit TLS, "smtps") | none
        #   username: "webmestre@example.org"          # optional: no AUTH without it
        #   password_env: "TRANSFERT_SMTP_PASSWORD"    # the variable holding the password, or
        #   # password: "…"                            # the password itself (this file is owner-only)
        #   batch_size: 20              # messages per connection
        #   attempts: 3                 # tries per message on temporary failures (4xx, lost connection)
        #   # ca_file: "/etc/ssl/certs/relay-ca.pem"   # optional: the authority that signed the relay's certificate
        #   timeout: 120                # seconds a message may take before the relay counts as gone
        """

    /// This relay as YAML lines (under `smtp:`), the password left as it is written.
    func renderYAML() -> String {
        var lines = ["smtp:", "  host: \(YAMLScalar.quoted(host))"]
        if let port { lines.append("  port: \(port)") }
        lines.append("  security: \(security.rawValue)")
        if let username { lines.append("  username: \(YAMLScalar.quoted(username))") }
        if let passwordEnvironmentVariable {
            lines.append("  password_env: \(YAMLScalar.quoted(passwordEnvironmentVariable))")
        }
        if let password { lines.append("  password: \(YAMLScalar.quoted(password))") }
        if let batchSize { lines.append("  batch_size: \(batchSize)") }
        if let attempts { lines.append("  attempts: \(attempts)") }
        if let caFile { lines.append("  ca_file: \(YAMLScalar.quoted(caFile))") }
        if let timeout { lines.append("  timeout: \(timeout)") }
        return lines.joined(separator: "\n")
    }
}
