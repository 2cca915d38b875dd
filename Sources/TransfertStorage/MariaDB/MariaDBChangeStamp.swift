import Foundation
import TransfertFormats
import TransfertModel

/// The change stamp of an establishment's MariaDB database, read from `information_schema` without
/// reading its rows (measured on a real server by `MariaDBChangeStampTests`).
///
/// For InnoDB, `TABLES.UPDATE_TIME` is the time of the last commit that changed the table (INSERT,
/// UPDATE and DELETE alike), and `CREATE_TIME` changes when the table is rebuilt (ALTER); views and
/// triggers are stamped by a digest of their definitions. `UPDATE_TIME` has two limits, both covered:
/// - a one-second granularity: a commit in the same second as an earlier one leaves it unchanged, so a
///   time within ``racyWindow`` seconds of the server's clock makes the stamp unsettled;
/// - it lives in memory only: after a server restart, or once InnoDB has evicted the table from its
///   dictionary cache (more tables than `table_definition_cache`), it is NULL until the table is written
///   again. A NULL
///   cannot say "unchanged" (the table may have been written between the last stamp and the restart), so
///   such a table is stamped by `CHECKSUM TABLE` instead — a full read of the table, paid only for tables
///   not written since the restart. `TABLE_ROWS` and `DATA_LENGTH` are estimates that move on their own
///   (statistics, purge) and are left out.
package enum MariaDBChangeStamp {
    /// Seconds within which an `UPDATE_TIME` is too close to the observation to prove anything.
    package static let racyWindow = 2

    static func read(admin: MariaDBConnection, database: String) throws -> DatabaseChangeStamp {
        let schema = admin.literal(database)
        let rows = try admin.query(
            """
            SELECT 'table', TABLE_NAME, CONCAT_WS('|', TABLE_TYPE, ENGINE, CREATE_TIME), UPDATE_TIME,
                   UPDATE_TIME >= NOW() - INTERVAL \(racyWindow) SECOND
              FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(schema)
            UNION ALL
            SELECT 'view', TABLE_NAME, MD5(VIEW_DEFINITION), NULL, 0
              FROM information_schema.VIEWS WHERE TABLE_SCHEMA = \(schema)
            UNION ALL
            SELECT 'trigger', TRIGGER_NAME,
                   CONCAT_WS('|', EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, CREATED, MD5(ACTION_STATEMENT)),
                   NULL, 0
              FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = \(schema)
            ORDER BY 1, 2
            """)
        var settled = true
        var parts: [String] = []
        for row in rows {
            let kind = row[0] ?? ""
            let name = row[1] ?? ""
            let definition = row[2] ?? ""
            var part = "\(kind) \(name) \(definition)"
            if kind == "table" {
                if let updated = row[3] {
                    part += " updated \(updated)"
                    if row[4] == "1" { settled = false }
                } else if definition.hasPrefix("BASE TABLE") {
                    let checksum = try admin.query(
                        "CHECKSUM TABLE \(MySQLQuoting.identifier(database)).\(MySQLQuoting.identifier(name)) EXTENDED"
                    ).first?[1]
                    part += " checksum \(checksum ?? "unknown")"
                    if checksum == nil { settled = false }
                }
            }
            parts.append(part)
        }
        return DatabaseChangeStamp(observed: parts.joined(separator: "; "), settled: settled)
    }
}
