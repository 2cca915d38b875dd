import Foundation

/// Locks people set (`access_lock`).
extension MariaDBRegistry {
    public func setAccessLock(_ lock: AccessLock) throws -> AccessLock? {
        try exclusiveTransaction { connection in
            let replaced = try connection.rows("\(Self.accessLockSelect) WHERE kind = ? AND base_id <=> ?",
                                               [.text(lock.kind.rawValue), .optional(lock.baseID)]).first.map(Self.accessLock(from:))
            try connection.run("DELETE FROM access_lock WHERE kind = ? AND base_id <=> ?", [.text(lock.kind.rawValue), .optional(lock.baseID)])
            try connection.run("INSERT INTO access_lock (kind, base_id, reason, set_by, created_at) VALUES (?, ?, ?, ?, ?)",
                               [.text(lock.kind.rawValue), .optional(lock.baseID), .text(lock.reason), .optional(lock.setBy), .text(lock.since)])
            return replaced
        }
    }

    public func removeAccessLocks(kinds: [AccessLock.Kind], baseID: Int64?) throws -> [AccessLock] {
        try exclusiveTransaction { connection in
            var removed: [AccessLock] = []
            for kind in kinds {
                removed += try connection.rows("\(Self.accessLockSelect) WHERE kind = ? AND base_id <=> ?", [.text(kind.rawValue), .optional(baseID)])
                    .map(Self.accessLock(from:))
                try connection.run("DELETE FROM access_lock WHERE kind = ? AND base_id <=> ?", [.text(kind.rawValue), .optional(baseID)])
            }
            return removed
        }
    }

    public func accessLocks() throws -> [AccessLock] {
        try withConnection { connection in
            try connection.rows("\(Self.accessLockSelect) ORDER BY base_id IS NOT NULL, base_id, kind").map(Self.accessLock(from:))
        }
    }

    private static let accessLockSelect = "SELECT kind, base_id, reason, set_by, created_at FROM access_lock"

    private static func accessLock(from row: [SQLValue]) -> AccessLock {
        AccessLock(kind: AccessLock.Kind(rawValue: row[0].textValue ?? "") ?? .webmaster, baseID: row[1].integerValue,
                   reason: row[2].textValue ?? "", setBy: row[3].textValue, since: row[4].textValue ?? "")
    }
}
