import TransfertFormats
import TransfertModel

/// Locks people set (`access_lock`).
extension SQLRegistry {
    private static let accessLockSelect = "SELECT kind, base_id, reason, set_by, created_at, id FROM access_lock"

    public func setAccessLock(_ lock: AccessLock) throws -> AccessLock? {
        try exclusively { db in
            let scope: [SQLValue] = [.text(lock.kind.rawValue), .optional(lock.baseID)]
            let replaced = try db.row(
                "\(Self.accessLockSelect) WHERE kind = ? AND base_id \(dialect.nullSafeEquals) ?", scope
            )
            .map(Self.accessLock(from:))
            try db.execute("DELETE FROM access_lock WHERE kind = ? AND base_id \(dialect.nullSafeEquals) ?", scope)
            try db.execute(
                "INSERT INTO access_lock (kind, base_id, reason, set_by, created_at) VALUES (?, ?, ?, ?, ?)",
                scope + [.text(lock.reason), .optional(lock.setBy), .text(lock.since)])
            return replaced
        }
    }

    public func removeAccessLocks(kinds: [AccessLock.Kind], baseID: Int64?) throws -> [AccessLock] {
        try exclusively { db in
            var removed: [AccessLock] = []
            for kind in kinds {
                let scope: [SQLValue] = [.text(kind.rawValue), .optional(baseID)]
                removed += try db.rows(
                    "\(Self.accessLockSelect) WHERE kind = ? AND base_id \(dialect.nullSafeEquals) ?", scope
                )
                .map(Self.accessLock(from:))
                try db.execute("DELETE FROM access_lock WHERE kind = ? AND base_id \(dialect.nullSafeEquals) ?", scope)
            }
            return removed
        }
    }

    public func accessLocks() throws -> [AccessLock] {
        try read {
            try $0.rows("\(Self.accessLockSelect) ORDER BY base_id IS NOT NULL, base_id, kind").map(
                Self.accessLock(from:))
        }
    }

    /// A row no version of Transfert writes is refused, not read as some other kind of lock.
    private static func accessLock(from row: [SQLValue]) throws -> AccessLock {
        guard let kind = AccessLock.Kind(rawValue: row[0].textValue ?? "") else {
            throw RegistryError.corruptRow(
                table: "access_lock", key: row[5].description, reason: "kind '\(row[0].description)' is not a lock kind"
            )
        }
        return AccessLock(
            kind: kind, baseID: row[1].integerValue, reason: row[2].textValue ?? "", setBy: row[3].textValue,
            since: row[4].textValue ?? "")
    }
}
