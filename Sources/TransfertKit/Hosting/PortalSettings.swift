import Foundation
import TransfertFormats
import TransfertModel

/// The `portal:` section of `transfert.yaml`: how `transfert serve` bounds slow, silent and hostile clients.
/// Every key is optional; the defaults are nginx's.
///
/// ```yaml
/// portal:
///   read_timeout: 60       # seconds a request may take to arrive whole, from its first byte
///   write_timeout: 60      # seconds an answer may wait for a client that takes none of it
///   idle_timeout: 75       # seconds a connection may stay open with no request under way
///   max_connections: 1024  # connections at once (default: 1024, less if the open-file limit is lower)
/// ```
public struct PortalSettings: Codable, Sendable, Equatable {
    public var readTimeout: Int?
    public var writeTimeout: Int?
    public var idleTimeout: Int?
    public var maxConnections: Int?

    enum CodingKeys: String, CodingKey {
        case readTimeout = "read_timeout"
        case writeTimeout = "write_timeout"
        case idleTimeout = "idle_timeout"
        case maxConnections = "max_connections"
    }

    public init(readTimeout: Int? = nil, writeTimeout: Int? = nil, idleTimeout: Int? = nil, maxConnections: Int? = nil)
    {
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }

    /// The largest cap accepted: past it, descriptors (and memory) run out long before.
    public static let maximumConnections = 1_000_000

    /// Refuses values that cannot work, naming the key.
    public func validate(file: String) throws(ConfigurationError) {
        for (key, value) in [
            ("read_timeout", readTimeout), ("write_timeout", writeTimeout), ("idle_timeout", idleTimeout),
        ] {
            if let value, !(1...3_600).contains(value) {
                throw .invalidValue(
                    file: file, key: "portal.\(key)", value: String(value),
                    expected: "a number of seconds from 1 to 3600")
            }
        }
        if let maxConnections, !(1...Self.maximumConnections).contains(maxConnections) {
            throw .invalidValue(
                file: file, key: "portal.max_connections", value: String(maxConnections),
                expected: "a number of connections from 1 to \(Self.maximumConnections)")
        }
    }

    /// The commented section `init` writes.
    static let commentedExample = """
        # The portal (`transfert serve`): how long it waits for a client, and how many it serves at once
        # (defaults: nginx's timeouts; 1024 connections, less if the open-file limit is lower).
        # portal:
        #   read_timeout: 60
        #   write_timeout: 60
        #   idle_timeout: 75
        #   max_connections: 1024
        """

    /// The section as `init` writes it when it holds values.
    func renderYAML() -> String {
        var lines = ["portal:"]
        if let readTimeout { lines.append("  read_timeout: \(readTimeout)") }
        if let writeTimeout { lines.append("  write_timeout: \(writeTimeout)") }
        if let idleTimeout { lines.append("  idle_timeout: \(idleTimeout)") }
        if let maxConnections { lines.append("  max_connections: \(maxConnections)") }
        return lines.joined(separator: "\n")
    }
}
