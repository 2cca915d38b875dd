import Foundation

/// A reason users are kept out of an establishment, as the portal and `transfert lock list` show it.
///
/// SACoche's three kinds: the **webmaster** locks one, several or all establishments; an establishment's
/// **administrator** locks their own; **automatic** locks are taken by export and import while they work
/// (``StructureLock``, with a heartbeat) or kept after an export (`--keep-locked`). When several apply,
/// the one users see follows ``precedence``.
///
/// ```swift
/// let lock = AccessLock(kind: .webmaster, baseID: nil, reason: "Migration du serveur", setBy: "root@a", since: now)
/// lock.covers(baseID: 12)    // true: nil means every establishment
/// ```
public struct AccessLock: Codable, Hashable, Sendable {
    public var kind: Kind
    /// The establishment it locks; `nil` for a webmaster lock on every establishment.
    public var baseID: Int64?
    /// What users see.
    public var reason: String
    /// `user@host` for a lock a person set; the holding process for an automatic one; `nil` for a kept one.
    public var setBy: String?
    /// ISO 8601: UTC in the registry; with the hosting's offset once ``shown(in:)`` (as every JSON shows it).
    public var since: String
    /// For an automatic lock: what it protects (backup, restore, moved).
    public var purpose: StructureLock.Kind?

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case webmaster
        case administrator
        case automatic
    }

    /// The longest reason accepted: it is shown on a page, not a letter.
    public static let maximumReasonLength = 500

    enum CodingKeys: String, CodingKey {
        case kind
        case baseID = "base_id"
        case reason
        case setBy = "set_by"
        case since, purpose
    }

    /// Every key always present: `"base_id": null` is the lock on every establishment.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(baseID, forKey: .baseID)
        try container.encode(reason, forKey: .reason)
        try container.encode(setBy, forKey: .setBy)
        try container.encode(since, forKey: .since)
        try container.encode(purpose, forKey: .purpose)
    }

    /// The same lock with `since` in ISO 8601 with the offset of `time`'s zone (`2026-12-01T13:00:00+01:00`):
    /// every time the portal and `--json` write is in the hosting's zone, not the registry's UTC.
    public func shown(in time: MaintenanceTime) -> AccessLock {
        var shown = self
        if let date = RegistryTime.date(from: since) { shown.since = time.iso(date) }
        return shown
    }

    public init(
        kind: Kind, baseID: Int64?, reason: String, setBy: String?, since: String, purpose: StructureLock.Kind? = nil
    ) {
        self.kind = kind
        self.baseID = baseID
        self.reason = reason
        self.setBy = setBy
        self.since = since
        self.purpose = purpose
    }

    /// The automatic lock of an export or import, as users see it.
    public init(_ lock: StructureLock) {
        self.init(
            kind: .automatic, baseID: lock.baseID, reason: lock.message,
            setBy: lock.ownerPID.map { "process \($0) on \(lock.ownerHost ?? "?")" },
            since: lock.createdAt, purpose: lock.kind)
    }

    public func covers(baseID: Int64) -> Bool { self.baseID == nil || self.baseID == baseID }

    /// Which lock users see when several apply: lower first. The webmaster's decision for every
    /// establishment comes first, then the webmaster's on this one, then (rank 2) a maintenance window in
    /// progress, then the establishment's administrator, then the automatic locks of the tools at work.
    /// The order is SACoche's (webmaster, administrator, automatic), with the window placed where it
    /// explains the automatic locks taken during it.
    public var precedence: Int {
        switch kind {
        case .webmaster: return baseID == nil ? 0 : 1
        case .administrator: return 3
        case .automatic: return 4
        }
    }

    /// The rank of a maintenance window in progress among ``precedence``.
    public static let windowPrecedence = 2

    /// The variable the webmaster's console sets on the commands it runs for a signed-in user
    /// (`OperationLog.consoleUserVariable` is this one): a window or a lock then names the person who
    /// clicked, not the system account that serves the console.
    public static let consoleUserVariable = "TRANSFERT_CONSOLE_USER"

    /// `user@host` of whoever runs this command, for `setBy` (`user@host (console)` when the console ran it
    /// for its signed-in user).
    public static var currentOperator: String {
        if let name = ProcessInfo.processInfo.environment[consoleUserVariable], !name.isEmpty {
            return "\(name)@\(ProcessInfo.processInfo.hostName) (console)"
        }
        // The person behind sudo first; then the account's name from the system, not the environment.
        let account = getpwuid(getuid()).flatMap { String(validatingCString: $0.pointee.pw_name) }
        let user =
            ProcessInfo.processInfo.environment["SUDO_USER"] ?? account ?? ProcessInfo.processInfo.environment["USER"]
            ?? "uid \(getuid())"
        return "\(user)@\(ProcessInfo.processInfo.hostName)"
    }
}
