import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The `console:` section of `transfert.yaml`: how the webmaster's console (`transfert console`) serves.
///
/// ```yaml
/// console:
///   upload_limit_mib: 4096          # largest CSV or ZIP a browser may upload
///   import_directory: "import"      # bundles the console offers to import without an upload
///   session_idle_minutes: 30        # a session unused this long is closed
///   session_hours: 12               # and any session after this long
///   tls_certificate: "/etc/ssl/console.pem"   # HTTPS by the console itself (else: a reverse proxy)
///   tls_key: "/etc/ssl/private/console.key"
/// ```
public struct ConsoleSettings: Codable, Sendable, Equatable {
    public var uploadLimitMiB: Int?
    public var importDirectory: String?
    public var sessionIdleMinutes: Int?
    public var sessionHours: Int?
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// Days a finished job (its record, output and produced files) is kept.
    public var keepJobsDays: Int?

    public static let defaultUploadLimitMiB = 4_096
    public static let defaultSessionIdleMinutes = 30
    public static let defaultSessionHours = 12
    public static let defaultKeepJobsDays = 7

    enum CodingKeys: String, CodingKey {
        case uploadLimitMiB = "upload_limit_mib"
        case importDirectory = "import_directory"
        case sessionIdleMinutes = "session_idle_minutes"
        case sessionHours = "session_hours"
        case tlsCertificate = "tls_certificate"
        case tlsKey = "tls_key"
        case keepJobsDays = "keep_jobs_days"
    }

    public init(
        uploadLimitMiB: Int? = nil, importDirectory: String? = nil, sessionIdleMinutes: Int? = nil,
        sessionHours: Int? = nil, tlsCertificate: String? = nil, tlsKey: String? = nil, keepJobsDays: Int? = nil
    ) {
        self.keepJobsDays = keepJobsDays
        self.uploadLimitMiB = uploadLimitMiB
        self.importDirectory = importDirectory
        self.sessionIdleMinutes = sessionIdleMinutes
        self.sessionHours = sessionHours
        self.tlsCertificate = tlsCertificate
        self.tlsKey = tlsKey
    }

    /// The largest upload, in bytes.
    public var uploadLimitBytes: Int64 { Int64(uploadLimitMiB ?? Self.defaultUploadLimitMiB) * 1_048_576 }
    /// Seconds a session may stay unused.
    public var sessionIdleSeconds: Int { (sessionIdleMinutes ?? Self.defaultSessionIdleMinutes) * 60 }
    /// Seconds a session lives at most, used or not.
    public var sessionLifetimeSeconds: Int { (sessionHours ?? Self.defaultSessionHours) * 3_600 }

    /// Seconds a finished job is kept.
    public var jobRetentionSeconds: TimeInterval { TimeInterval(keepJobsDays ?? Self.defaultKeepJobsDays) * 86_400 }

    /// The server's import directory: absolute, or relative to the hosting; default `<hosting>/import`.
    public func importDirectoryURL(hosting hostingDirectory: URL) -> URL {
        resolved(importDirectory ?? "import", hosting: hostingDirectory)
    }

    /// The certificate and key files, when both are set.
    public func tlsFiles(hosting hostingDirectory: URL) -> (certificate: URL, key: URL)? {
        guard let tlsCertificate, let tlsKey else { return nil }
        return (resolved(tlsCertificate, hosting: hostingDirectory), resolved(tlsKey, hosting: hostingDirectory))
    }

    private func resolved(_ path: String, hosting hostingDirectory: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : hostingDirectory.appendingPathComponent(path)
    }

    /// Refuses values that cannot work, naming the key.
    public func validate(file: String) throws(ConfigurationError) {
        if let uploadLimitMiB, !(1...1_048_576).contains(uploadLimitMiB) {
            throw .invalidValue(
                file: file, key: "console.upload_limit_mib", value: String(uploadLimitMiB),
                expected: "a size in MiB from 1 to 1048576")
        }
        if let sessionIdleMinutes, !(1...1_440).contains(sessionIdleMinutes) {
            throw .invalidValue(
                file: file, key: "console.session_idle_minutes", value: String(sessionIdleMinutes),
                expected: "a number of minutes from 1 to 1440")
        }
        if let sessionHours, !(1...168).contains(sessionHours) {
            throw .invalidValue(
                file: file, key: "console.session_hours", value: String(sessionHours),
                expected: "a number of hours from 1 to 168")
        }
        if let keepJobsDays, !(1...3_650).contains(keepJobsDays) {
            throw .invalidValue(
                file: file, key: "console.keep_jobs_days", value: String(keepJobsDays),
                expected: "a number of days from 1 to 3650")
        }
        if (tlsCertificate == nil) != (tlsKey == nil) {
            throw .invalidValue(
                file: file, key: tlsCertificate == nil ? "console.tls_certificate" : "console.tls_key",
                value: "(missing)", expected: "both console.tls_certificate and console.tls_key, or neither")
        }
        if let importDirectory, importDirectory.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .invalidValue(
                file: file, key: "console.import_directory", value: importDirectory,
                expected: "a directory path (absolute, or relative to the hosting)")
        }
    }

    /// The commented section `init` writes.
    static let commentedExample = """
        # The webmaster's console (`transfert console`): upload limit, the server directory it offers
        # bundles from, how long sessions last, and HTTPS by the console itself (else put it behind a
        # reverse proxy that terminates TLS).
        # console:
        #   upload_limit_mib: 4096
        #   import_directory: "import"
        #   session_idle_minutes: 30
        #   session_hours: 12
        #   keep_jobs_days: 7
        #   tls_certificate: "/etc/ssl/certs/console.pem"
        #   tls_key: "/etc/ssl/private/console.key"
        """

    /// The section as `init` writes it when it holds values.
    func renderYAML() -> String {
        var lines = ["console:"]
        lines.append("  upload_limit_mib: \(uploadLimitMiB ?? Self.defaultUploadLimitMiB)")
        if let importDirectory { lines.append("  import_directory: \(YAMLScalar.quoted(importDirectory))") }
        lines.append("  session_idle_minutes: \(sessionIdleMinutes ?? Self.defaultSessionIdleMinutes)")
        lines.append("  session_hours: \(sessionHours ?? Self.defaultSessionHours)")
        lines.append("  keep_jobs_days: \(keepJobsDays ?? Self.defaultKeepJobsDays)")
        if let tlsCertificate { lines.append("  tls_certificate: \(YAMLScalar.quoted(tlsCertificate))") }
        if let tlsKey { lines.append("  tls_key: \(YAMLScalar.quoted(tlsKey))") }
        return lines.joined(separator: "\n")
    }
}
