#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's open-file limit (RLIMIT_NOFILE), which every connection counts against: the portal's cap on
/// connections stays under it, leaving ``reserve`` descriptors for the registry, databases, logs and the
/// event loops, so that running out of descriptors is refused cleanly rather than met in `accept`.
public enum OpenFileLimit {
    /// Descriptors kept for everything but connections.
    public static let reserve = 64

    /// The soft limit now, or nil when it cannot be read or is unlimited.
    public static var current: Int? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {
            return nil
        }
        return Int(exactly: limit.rlim_cur)
    }

    /// The cap when none is configured: ``PortalLimits/defaultMaxConnections``, or less when the limit is
    /// lower (its half at least, so that a small limit still serves).
    public static var defaultConnectionCap: Int {
        guard let current else { return PortalLimits.defaultMaxConnections }
        return max(1, min(PortalLimits.defaultMaxConnections, max(current - reserve, current / 2)))
    }

    /// Raises the soft limit, within the hard one, so that `connections` plus ``reserve`` fit; returns the
    /// soft limit reached (nil: unknown or unlimited, nothing to do).
    @discardableResult
    public static func make(room connections: Int) -> Int? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {
            return nil
        }
        let (wanted, overflow) = connections.addingReportingOverflow(reserve)
        guard !overflow, let wantedLimit = rlim_t(exactly: wanted), wantedLimit > limit.rlim_cur else {
            return Int(exactly: limit.rlim_cur)
        }
        var raised = limit
        raised.rlim_cur = min(wantedLimit, limit.rlim_max)
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return Int(exactly: raised.rlim_cur) }
        return Int(exactly: limit.rlim_cur)
    }
}
