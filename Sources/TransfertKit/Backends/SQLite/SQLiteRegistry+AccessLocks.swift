import Foundation
import GRDB

/// Locks people set (`access_lock`).
extension SQLiteRegistry {
    public func setAccessLock(_ lock: AccessLock) throws -> AccessLock? {
        try immediateTransaction { db in
            let replaced = try Row.fetchOne(db, sql: "SELECT * FROM access_lock WHERE kind = ? AND base_id IS ?",
                                            arguments: [lock.kind.rawValue, lock.baseID]).map { try Self.accessLock(from: $0) }
            try db.execute(sql: "DELETE FROM access_lock WHERE kind = ? AND base_id IS ?", arguments: [lock.kind.rawValue, lock.baseID])
            try db.execute(sql: "INSERT INTO access_lock (kind, base_id, reason, set_by, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [lock.kind.rawValue, lock.baseID, lock.reason, lock.setBy, lock.since])
            return replaced
        }
    }

    public func removeAccessLocks(kinds: [AccessLock.Kind], baseID: Int64?) throws -> [AccessLock] {
        try immediateTransaction { db in
            var removed: [AccessLock] = []
            for kind in kinds {
                removed += try Row.fetchAll(db, sql: "SELECT * FROM access_lock WHERE kind = ? AND base_id IS ?",
                                            arguments: [kind.rawValue, baseID]).map { try Self.accessLock(from: $0) }
                try db.execute(sql: "DELETE FROM access_lock WHERE kind = ? AND base_id IS ?", arguments: [kind.rawValue, baseID])
            }
            return removed
        }
    }

    public func accessLocks() throws -> [AccessLock] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM access_lock ORDER BY base_id IS NOT NULL, base_id, kind")
                .map { try Self.accessLock(from: $0) }
        }
    }

    /// A row no version of Transfert writes is refused, not read as some other kind of lock.
    private static func accessLock(from row: Row) throws -> AccessLock {
        let text: String = row["kind"]
        guard let kind = AccessLock.Kind(rawValue: text) else {
            throw RegistryError.corruptRow(table: "access_lock", key: String(row["id"] as Int64), reason: "kind '\(text)' is not a lock kind")
        }
        return AccessLock(kind: kind, baseID: row["base_id"], reason: row["reason"], setBy: row["set_by"], since: row["created_at"])
    }
}
