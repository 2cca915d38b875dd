/// How long the portal waits for a client, and how many it serves at once: what bounds a slow, silent or
/// hostile client (`portal:` in `transfert.yaml`, ``TransfertKit/PortalSettings``). The defaults are
/// nginx's.
public struct PortalLimits: Sendable, Equatable {
    /// Seconds a request may take to arrive whole — head and body — from its first byte
    /// (nginx's `client_header_timeout`, `client_body_timeout`: 60).
    public var readTimeout: Int
    /// Seconds an answer may wait for the client to take any of it (nginx's `send_timeout`: 60).
    public var writeTimeout: Int
    /// Seconds a connection may stay open with no request under way (nginx's `keepalive_timeout`: 75).
    public var idleTimeout: Int
    /// Connections open at once; past it a new one is closed as soon as it is accepted.
    public var maxConnections: Int
    /// Seconds SIGTERM leaves answers under way to finish before every connection is closed.
    public var shutdownGrace: Int

    public static let defaultReadTimeout = 60
    public static let defaultWriteTimeout = 60
    public static let defaultIdleTimeout = 75
    /// The default cap, when the open-file limit allows it (``OpenFileLimit/defaultConnectionCap``).
    public static let defaultMaxConnections = 1_024
    /// So that SIGTERM ends the process within 5 s whatever the clients do (closing 500 connections included).
    public static let defaultShutdownGrace = 2

    public init(
        readTimeout: Int = defaultReadTimeout, writeTimeout: Int = defaultWriteTimeout,
        idleTimeout: Int = defaultIdleTimeout, maxConnections: Int = defaultMaxConnections,
        shutdownGrace: Int = defaultShutdownGrace
    ) {
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.shutdownGrace = shutdownGrace
    }
}
