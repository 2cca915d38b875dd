import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The `backup:` section of `transfert.yaml`: where backups go and how long they are kept.
///
/// ```yaml
/// backup:
///   directory: "/srv/backups/serveur-a"   # default: <hosting>/backups; may be another disk
///   keep_automatic: 2                     # nightly backups kept per establishment
///   retention_days: 365                   # yearly, manual and anonymised backups kept this long
/// ```
public struct BackupSettings: Codable, Sendable, Equatable {
    /// Absolute, or relative to the hosting directory; `nil`: `backups` inside the hosting.
    public var directory: String?
    /// Automatic (nightly) backups kept per establishment; `nil`: 2.
    public var keepAutomatic: Int?
    /// Days yearly, manual and private backups are kept; `nil`: 365.
    public var retentionDays: Int?

    public static let defaultKeepAutomatic = 2
    public static let defaultRetentionDays = 365

    enum CodingKeys: String, CodingKey {
        case directory
        case keepAutomatic = "keep_automatic"
        case retentionDays = "retention_days"
    }

    public init(directory: String? = nil, keepAutomatic: Int? = nil, retentionDays: Int? = nil) {
        self.directory = directory
        self.keepAutomatic = keepAutomatic
        self.retentionDays = retentionDays
    }

    /// ``keepAutomatic`` or its default.
    public var automaticKept: Int { keepAutomatic ?? Self.defaultKeepAutomatic }
    /// ``retentionDays`` or its default.
    public var retention: Int { retentionDays ?? Self.defaultRetentionDays }

    /// The backup directory of the hosting at `hostingDirectory`.
    public func directoryURL(hosting hostingDirectory: URL) -> URL {
        guard let directory else { return hostingDirectory.appendingPathComponent("backups") }
        return directory.hasPrefix("/")
            ? URL(fileURLWithPath: directory) : hostingDirectory.appendingPathComponent(directory)
    }

    /// Refuses values that would keep nothing or keep forever by mistake, naming the key.
    public func validate(file: String) throws(ConfigurationError) {
        if let directory, directory.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .invalidValue(
                file: file, key: "backup.directory", value: directory,
                expected: "a directory path (absolute, or relative to the hosting)")
        }
        if let keepAutomatic, !(1...1_000).contains(keepAutomatic) {
            throw .invalidValue(
                file: file, key: "backup.keep_automatic", value: String(keepAutomatic),
                expected: "a number of backups from 1 to 1000")
        }
        if let retentionDays, !(1...36_500).contains(retentionDays) {
            throw .invalidValue(
                file: file, key: "backup.retention_days", value: String(retentionDays),
                expected: "a number of days from 1 to 36500")
        }
    }

    /// The commented section `init` writes.
    static let commentedExample = """
        # Backups (`transfert backup`): where they go (default: backups/ in this directory; may be
        # another disk), how many nightly backups are kept per establishment, and how many days
        # yearly, manual and anonymised backups are kept.
        # backup:
        #   directory: "/srv/backups"
        #   keep_automatic: 2
        #   retention_days: 365
        """

    /// The section as `init` writes it when it holds values.
    func renderYAML() -> String {
        var lines = ["backup:"]
        if let directory { lines.append("  directory: \(YAMLScalar.quoted(directory))") }
        lines.append("  keep_automatic: \(automaticKept)")
        lines.append("  retention_days: \(retention)")
        return lines.joined(separator: "\n")
    }
}
