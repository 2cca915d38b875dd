import Foundation

/// An access lock on an establishment, kept in the registry so that the application (and other
/// Transfert commands) can refuse access and tell users why.
public struct StructureLock: Codable, Equatable, Sendable {
    public var baseID: Int64
    public var kind: Kind
    /// The message users see, in French as the application shows it.
    public var message: String
    /// The process that holds an automatic lock; `nil` for a lock kept on purpose (`--keep-locked`).
    public var ownerPID: Int32?
    public var ownerHost: String?
    /// ISO 8601, UTC.
    public var createdAt: String
    /// When the holder last said it is alive (ISO 8601, UTC); `nil` for a kept lock, which has no holder.
    public var refreshedAt: String?

    /// How often a holder refreshes its automatic locks.
    public static let heartbeatInterval: TimeInterval = 10
    /// An automatic lock not refreshed for this long is stale, whichever host holds it: six missed
    /// heartbeats, so a busy machine is not mistaken for a dead one.
    public static let staleAfter: TimeInterval = 60

    public enum Kind: String, Codable, Sendable {
        /// Taken for the time of a dump, released at the end.
        case backup
        /// Kept after an export for a real move: no write may follow the export.
        case moved
        /// Held by an import while it restores the establishment; a stale one marks a killed import.
        case restore
    }

    public static let backupMessage = "Sauvegarde de la base en cours"
    public static let movedMessage = "Établissement en cours de transfert vers un autre serveur"
    public static let restoreMessage = "Restauration de la base en cours"

    enum CodingKeys: String, CodingKey {
        case baseID = "base_id"
        case kind, message
        case ownerPID = "owner_pid"
        case ownerHost = "owner_host"
        case createdAt = "created_at"
        case refreshedAt = "refreshed_at"
    }

    /// Whether the lock no longer protects anything at `now`: an automatic lock whose holder is a dead
    /// process of this host (an export killed with SIGKILL), or whose heartbeat stopped for
    /// ``staleAfter`` (its holder died on another host, or lost the registry). A kept lock is never stale.
    /// Stale locks are removed by the next command that looks at locks, and `doctor` reports them.
    public func isStale(at now: Date, host: String = ProcessInfo.processInfo.hostName) -> Bool {
        guard let ownerPID else { return false }
        if ownerHost == host, kill(ownerPID, 0) != 0, errno == ESRCH { return true }
        let lastSign = (refreshedAt ?? createdAt)
        guard let date = RegistryTime.date(from: lastSign) else { return true }
        return now.timeIntervalSince(date) > Self.staleAfter
    }

    public init(
        baseID: Int64, kind: Kind, message: String, ownerPID: Int32?, ownerHost: String?, createdAt: String,
        refreshedAt: String? = nil
    ) {
        self.baseID = baseID
        self.kind = kind
        self.message = message
        self.ownerPID = ownerPID
        self.ownerHost = ownerHost
        self.createdAt = createdAt
        self.refreshedAt = refreshedAt ?? (ownerPID == nil ? nil : createdAt)
    }

    /// A lock held by the current process (a dump by default, or a restore).
    public static func automatic(baseID: Int64, kind: Kind = .backup) -> StructureLock {
        StructureLock(
            baseID: baseID, kind: kind, message: kind == .restore ? restoreMessage : backupMessage,
            ownerPID: ProcessInfo.processInfo.processIdentifier, ownerHost: ProcessInfo.processInfo.hostName,
            createdAt: ISO8601DateFormatter().string(from: Date()))
    }
}

public enum LockError: Error, Equatable, Sendable, CustomStringConvertible {
    case locked(StructureLock)

    public var description: String {
        switch self {
        case .locked(let lock):
            let holder = lock.ownerPID.map { "process \($0) on \(lock.ownerHost ?? "?")" } ?? "a kept lock"
            return
                "establishment \(lock.baseID) is locked (\(lock.message), \(holder), since \(lock.createdAt)): wait for it to finish, or release a kept lock with `transfert lock release --ids \(lock.baseID)`"
        }
    }
}

extension LockError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .locked: return .lockLocked
        }
    }
}
