import Foundation
import TransfertFormats
import TransfertModel

/// The change stamp of an establishment's PostgreSQL database, observed from a session on it without
/// reading a row.
///
/// What it is made of, and why:
/// - each table's write counters (`pg_stat_user_tables.n_tup_ins`, `n_tup_upd`, `n_tup_del`): every
///   committed (and aborted) INSERT, UPDATE and DELETE counts, and reading counts nowhere in them (scan
///   counters are left out). `pg_stat_database.xact_commit` is no use: reading commits transactions too;
/// - each relation's `relfilenode`, which a TRUNCATE, a rewrite (`ALTER TABLE`, `VACUUM FULL`) or a swapped
///   restore changes, and a digest of every definition (columns, constraints, indexes, views, comments);
/// - the server's start time and the database's `stats_reset`: the counters live in memory and are
///   discarded by a crash or a reset, so a restart always counts as a change (a false alarm, which only
///   costs a backup) rather than counters that start again and could come back equal.
///
/// The counters of a session reach the shared statistics when its transaction ends, but at most once a
/// second, and at the latest about ten seconds after the session goes idle; a session that ends flushes
/// them before it leaves `pg_stat_activity`. So the stamp is *unsettled* while any other session is on the
/// database and not idle for at least ``quietSeconds`` (its writes may not be counted yet, or not
/// committed): it proves nothing then, and the next comparison counts the database as changed.
package enum PostgreSQLChangeStamp {
    /// Seconds an idle session must have been idle for its counters to be surely flushed (PostgreSQL
    /// forces a flush after 60 seconds at most).
    package static let quietSeconds = 60

    static func read(_ connection: PostgreSQLConnection) throws -> DatabaseChangeStamp {
        try connection.execute("SELECT pg_stat_clear_snapshot()")  // what this session saw of the counters is forgotten
        let tables = try connection.query(
            """
            SELECT c.relname, c.relkind::text, c.relfilenode, s.n_tup_ins, s.n_tup_upd, s.n_tup_del
            FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
            ORDER BY c.relname COLLATE "C"
            """)
        let definitions = try connection.scalar(
            """
            SELECT md5(coalesce(string_agg(line, E'\\n' ORDER BY line COLLATE "C"), '')) FROM (
              SELECT 'column ' || c.relname || ' ' || a.attnum || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                     || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' '
                     || coalesce(col_description(c.oid, a.attnum), '') AS line
                FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
                WHERE c.relnamespace = 'public'::regnamespace
              UNION ALL
              SELECT 'constraint ' || con.conrelid || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid) || ' '
                     || con.convalidated || ' ' || coalesce(obj_description(con.oid, 'pg_constraint'), '')
                FROM pg_constraint con WHERE con.connamespace = 'public'::regnamespace
              UNION ALL
              SELECT 'relation ' || c.relname || ' ' || c.relkind::text || ' ' || coalesce(obj_description(c.oid, 'pg_class'), '')
                     || ' ' || CASE WHEN c.relkind = 'i' THEN pg_get_indexdef(c.oid) WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid) ELSE '' END
                FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
              UNION ALL
              SELECT 'trigger ' || t.tgname || ' ' || pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE NOT t.tgisinternal
            ) lines
            """)
        let server = try connection.query(
            """
            SELECT pg_postmaster_start_time()::text, coalesce(stats_reset::text, 'never')
            FROM pg_stat_database WHERE datname = current_database()
            """
        ).first
        let busy =
            try connection.scalar(
                """
                SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                AND backend_type = 'client backend'
                AND (state IS DISTINCT FROM 'idle' OR state_change > now() - interval '\(quietSeconds) seconds')
                """
            ).integerValue ?? 1
        var parts = [
            "server started \(server?[0].textValue ?? "?") statistics reset \(server?[1].textValue ?? "?")",
            "definitions \(definitions.textValue ?? "?")",
        ]
        for row in tables {
            var part =
                "\(row[1].textValue == "r" ? "table" : "relation") \(row[0].textValue ?? "?") file \(row[2].integerValue ?? 0)"
            if row[1].textValue == "r" {
                part +=
                    " inserted \(row[3].integerValue ?? 0) updated \(row[4].integerValue ?? 0) deleted \(row[5].integerValue ?? 0)"
            }
            parts.append(part)
        }
        return DatabaseChangeStamp(observed: parts.joined(separator: "; "), settled: busy == 0)
    }
}
