import Foundation

/// Locks people set (`access_lock`).
extension MariaDBRegistry {
    public func setAccessLock(_ lock: AccessLock) throws -> AccessLock? {
        try exclusiveTransaction { connection in
            let replaced = try connection.rows("\(Self.accessLockSelect) WHERE kind = ? AND base_id <=> ?",
                                               [.text(lock.kind.rawValue), .optional(lock.baseID)]).first.map { try Self.accessLock(from: $0) }
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
                    .map { try Self.accessLock(from: $0) }
                try connection.run("DELETE FROM access_lock WHERE kind = ? AND base_id <=> ?", [.text(kind.rawValue), .optional(baseID)])
            }
            return removed
        }
    }

    public func accessLocks() throws -> [AccessLock] {
        try withConnection { connection in
            try connection.rows("\(Self.accessLockSelect) ORDER BY base_id IS NOT NULL, base_id, kind").map { try Self.accessLock(from: $0) }
        }
    }

    private static let accessLockSelect = "SELECT kind, base_id, reason, set_by, created_at, id FROM access_lock"

    /// A row no version of Transfert writes is refused, not read as some other kind of lock.
    private static func accessLock(from row: [SQLValue]) throws -> AccessLock {
        guard let kind = AccessLock.Kind(rawValue: row[0].textValue ?? "") else {
            throw RegistryError.corruptRow(table: "access_lock", key: row[5].description, reason: "kind '\(row[0].description)' is not a lock kind")
        }
        return AccessLock(kind: kind, baseID: row[1].integerValue, reason: row[2].textValue ?? "", setBy: row[3].textValue,
                          since: row[4].textValue ?? "")
    }
}
