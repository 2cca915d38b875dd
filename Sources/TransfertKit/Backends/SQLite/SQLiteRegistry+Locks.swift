import Foundation
import GRDB

/// Locks and their heartbeat (`structure_lock`).
extension SQLiteRegistry {
    public func acquire(_ lock: StructureLock) throws {
        try immediateTransaction { db in
            if let existing = try Self.lock(baseID: lock.baseID, in: db), !existing.isStale(at: Date()) {
                throw LockError.locked(existing)
            }
            try Self.insert(lock, in: db)
        }
    }

    static func insert(_ lock: StructureLock, in db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO structure_lock (base_id, kind, message, owner_pid, owner_host, created_at, refreshed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [lock.baseID, lock.kind.rawValue, lock.message, lock.ownerPID, lock.ownerHost, lock.createdAt,
                             lock.refreshedAt])
    }

    public func keep(baseID: Int64, message: String) throws {
        try queue.write { db in
            try db.execute(sql: """
                UPDATE structure_lock SET kind = 'moved', message = ?, owner_pid = NULL, owner_host = NULL, refreshed_at = NULL
                WHERE base_id = ?
                """, arguments: [message, baseID])
        }
    }

    public func releaseLock(baseID: Int64) throws {
        try queue.write { db in try db.execute(sql: "DELETE FROM structure_lock WHERE base_id = ?", arguments: [baseID]) }
    }

    public func refreshLocks(baseIDs: [Int64], at date: Date) throws {
        let now = ISO8601DateFormatter().string(from: date)
        try queue.write { db in
            for baseID in baseIDs {
                try db.execute(sql: "UPDATE structure_lock SET refreshed_at = ? WHERE base_id = ? AND owner_pid = ? AND owner_host = ?",
                               arguments: [now, baseID, ProcessInfo.processInfo.processIdentifier, ProcessInfo.processInfo.hostName])
            }
        }
    }

    public func locks(at date: Date) throws -> (live: [StructureLock], cleared: [StructureLock]) {
        try queue.write { db in
            let all = try Row.fetchAll(db, sql: "SELECT * FROM structure_lock ORDER BY base_id").map(Self.lock(from:))
            let stale = all.filter { $0.isStale(at: date) }
            for lock in stale {
                try db.execute(sql: "DELETE FROM structure_lock WHERE base_id = ?", arguments: [lock.baseID])
            }
            return (all.filter { !$0.isStale(at: date) }, stale)
        }
    }

    public func storedLocks() throws -> [StructureLock] {
        try queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM structure_lock ORDER BY base_id").map(Self.lock(from:)) }
    }

    private static func lock(baseID: Int64, in db: Database) throws -> StructureLock? {
        try Row.fetchOne(db, sql: "SELECT * FROM structure_lock WHERE base_id = ?", arguments: [baseID]).map(lock(from:))
    }

    private static func lock(from row: Row) -> StructureLock {
        StructureLock(baseID: row["base_id"], kind: StructureLock.Kind(rawValue: row["kind"]) ?? .backup,
                      message: row["message"], ownerPID: row["owner_pid"], ownerHost: row["owner_host"],
                      createdAt: row["created_at"], refreshedAt: row["refreshed_at"])
    }
}
