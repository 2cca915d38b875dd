import Foundation
import TransfertFormats
import TransfertModel

/// Locks and their heartbeat (`structure_lock`).
extension SQLRegistry {
    private static let lockSelect =
        "SELECT base_id, kind, message, owner_pid, owner_host, created_at, refreshed_at FROM structure_lock"

    public func acquire(_ lock: StructureLock) throws {
        try exclusively { db in
            if let existing = try db.row("\(Self.lockSelect) WHERE base_id = ?", [.integer(lock.baseID)]).map(
                Self.lock(from:)),
                !existing.isStale(at: Date())
            {
                throw LockError.locked(existing)
            }
            try insert(lock, in: db)
        }
    }

    /// Writes `lock`, replacing the one on the same establishment.
    func insert(_ lock: StructureLock, in db: any SQLStatements) throws {
        try db.execute(
            dialect.insertOrReplace(
                into: "structure_lock",
                columns: ["base_id", "kind", "message", "owner_pid", "owner_host", "created_at", "refreshed_at"],
                key: ["base_id"]),
            [
                .integer(lock.baseID), .text(lock.kind.rawValue), .text(lock.message),
                .optional(lock.ownerPID.map(Int64.init)),
                .optional(lock.ownerHost), .text(lock.createdAt), .optional(lock.refreshedAt),
            ])
    }

    public func keep(baseID: Int64, message: String) throws {
        try write { db in
            try db.execute(
                """
                UPDATE structure_lock SET kind = 'moved', message = ?, owner_pid = NULL, owner_host = NULL, refreshed_at = NULL
                WHERE base_id = ?
                """, [.text(message), .integer(baseID)])
        }
    }

    public func releaseLock(baseID: Int64) throws {
        try write { try $0.execute("DELETE FROM structure_lock WHERE base_id = ?", [.integer(baseID)]) }
    }

    public func refreshLocks(baseIDs: [Int64], at date: Date) throws {
        let now = ISO8601DateFormatter().string(from: date)
        try write { db in
            for baseID in baseIDs {
                try db.execute(
                    "UPDATE structure_lock SET refreshed_at = ? WHERE base_id = ? AND owner_pid = ? AND owner_host = ?",
                    [
                        .text(now), .integer(baseID), .integer(Int64(ProcessInfo.processInfo.processIdentifier)),
                        .text(ProcessInfo.processInfo.hostName),
                    ])
            }
        }
    }

    public func locks(at date: Date) throws -> (live: [StructureLock], cleared: [StructureLock]) {
        try exclusively { db in
            let all = try db.rows("\(Self.lockSelect) ORDER BY base_id").map(Self.lock(from:))
            let stale = all.filter { $0.isStale(at: date) }
            for lock in stale {
                try db.execute("DELETE FROM structure_lock WHERE base_id = ?", [.integer(lock.baseID)])
            }
            return (all.filter { !$0.isStale(at: date) }, stale)
        }
    }

    public func storedLocks() throws -> [StructureLock] {
        try read { try $0.rows("\(Self.lockSelect) ORDER BY base_id").map(Self.lock(from:)) }
    }

    private static func lock(from row: [SQLValue]) -> StructureLock {
        StructureLock(
            baseID: row[0].integerValue ?? 0, kind: StructureLock.Kind(rawValue: row[1].textValue ?? "") ?? .backup,
            message: row[2].textValue ?? "", ownerPID: row[3].integerValue.map { Int32(truncatingIfNeeded: $0) },
            ownerHost: row[4].textValue, createdAt: row[5].textValue ?? "", refreshedAt: row[6].textValue)
    }
}
