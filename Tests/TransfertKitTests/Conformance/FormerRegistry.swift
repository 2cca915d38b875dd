import Foundation
import GRDB

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// Registries as the code before the one migration list wrote them — its DDL kept here, verbatim, so that
/// an upgrade is tested against what is really out there: SQLite's nine GRDB migrations recorded in
/// `grdb_migrations`, MariaDB's eight recorded in `transfert_migration`.
enum FormerRegistry {
    /// The fingerprint the former SQLite `v1` wrote in these tests (it wrote a random one).
    static let sqliteFingerprint = "ancienne-empreinte-sqlite"
    static let mariaDBFingerprint = "ancienne-empreinte-mariadb"

    static let sqliteMigrations: [(identifier: String, sql: String)] = [
        (
            "v1: zones, structures, hosting metadata",
            """
            CREATE TABLE hosting_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
            CREATE TABLE zone (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL
            );
            CREATE TABLE structure (
                base_id INTEGER PRIMARY KEY NOT NULL,
                guid TEXT NOT NULL UNIQUE,
                zone_id INTEGER NOT NULL REFERENCES zone(id),
                uai TEXT UNIQUE,
                localisation TEXT NOT NULL,
                denomination TEXT NOT NULL,
                contact_nom TEXT NOT NULL,
                contact_prenom TEXT NOT NULL,
                contact_courriel TEXT NOT NULL,
                inscription_date TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'active'
            );
            CREATE INDEX structure_zone ON structure(zone_id);
            INSERT INTO hosting_meta (key, value) VALUES ('fingerprint', 'ancienne-empreinte-sqlite');
            """
        ),
        (
            "v2: structure locks",
            """
            CREATE TABLE structure_lock (
                base_id INTEGER PRIMARY KEY NOT NULL,
                kind TEXT NOT NULL,
                message TEXT NOT NULL,
                owner_pid INTEGER,
                owner_host TEXT,
                created_at TEXT NOT NULL
            );
            """
        ),
        (
            "v3: transfer journal",
            """
            CREATE TABLE transfer_journal (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                event TEXT NOT NULL,
                guid TEXT NOT NULL,
                base_id INTEGER NOT NULL,
                denomination TEXT NOT NULL,
                source_server TEXT,
                source_fingerprint TEXT,
                source_base_id INTEGER,
                bundle TEXT,
                details TEXT
            );
            CREATE INDEX transfer_journal_guid ON transfer_journal(guid);
            """
        ),
        (
            "v4: import runs",
            """
            CREATE TABLE import_run (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                bundle TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                complete INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX import_run_bundle ON import_run(bundle);
            """
        ),
        (
            "v5: outbox",
            """
            CREATE TABLE outbox_message (
                file TEXT PRIMARY KEY NOT NULL,
                kind TEXT NOT NULL,
                base_id INTEGER,
                guid TEXT,
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                message_id TEXT NOT NULL,
                created_at TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending',
                attempts INTEGER NOT NULL DEFAULT 0,
                last_reply TEXT,
                last_attempt_at TEXT,
                sent_at TEXT
            );
            CREATE INDEX outbox_message_state ON outbox_message(state);
            """
        ),
        (
            "v6: lock heartbeat",
            """
            ALTER TABLE structure_lock ADD COLUMN refreshed_at TEXT;
            UPDATE structure_lock SET refreshed_at = created_at WHERE owner_pid IS NOT NULL;
            """
        ),
        (
            "v7: access locks and maintenance windows",
            """
            CREATE TABLE access_lock (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                base_id INTEGER,
                reason TEXT NOT NULL,
                set_by TEXT,
                created_at TEXT NOT NULL
            );
            CREATE UNIQUE INDEX access_lock_scope ON access_lock(kind, IFNULL(base_id, 0));
            CREATE TABLE maintenance_window (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                type TEXT NOT NULL,
                every_structure INTEGER NOT NULL DEFAULT 0,
                starts_at TEXT NOT NULL,
                ends_at TEXT NOT NULL,
                message TEXT,
                planned_at TEXT NOT NULL,
                planned_by TEXT NOT NULL,
                cancelled_at TEXT
            );
            CREATE TABLE maintenance_window_structure (
                window_id INTEGER NOT NULL REFERENCES maintenance_window(id) ON DELETE CASCADE,
                base_id INTEGER NOT NULL,
                PRIMARY KEY (window_id, base_id)
            );
            """
        ),
        (
            "v8: moves, receipts and a fuller journal",
            """
            ALTER TABLE transfer_journal ADD COLUMN uai TEXT;
            ALTER TABLE transfer_journal ADD COLUMN target_server TEXT;
            ALTER TABLE transfer_journal ADD COLUMN target_fingerprint TEXT;
            ALTER TABLE transfer_journal ADD COLUMN target_base_id INTEGER;
            ALTER TABLE transfer_journal ADD COLUMN bundle_sha256 TEXT;
            ALTER TABLE transfer_journal ADD COLUMN digests TEXT;
            ALTER TABLE transfer_journal ADD COLUMN note TEXT;
            ALTER TABLE transfer_journal ADD COLUMN outcome TEXT;
            CREATE INDEX transfer_journal_uai ON transfer_journal(uai);
            CREATE INDEX transfer_journal_base_id ON transfer_journal(base_id);
            CREATE TABLE structure_move (
                base_id INTEGER PRIMARY KEY NOT NULL,
                guid TEXT NOT NULL,
                denomination TEXT NOT NULL,
                localisation TEXT NOT NULL,
                uai TEXT,
                target_server TEXT NOT NULL,
                target_fingerprint TEXT NOT NULL,
                new_id INTEGER NOT NULL,
                access_url TEXT NOT NULL,
                bundle TEXT NOT NULL,
                receipt_sha256 TEXT NOT NULL,
                confirmed_at TEXT NOT NULL
            );
            CREATE INDEX structure_move_guid ON structure_move(guid);
            """
        ),
        (
            "v9: establishments' own letter languages",
            """
            CREATE TABLE structure_language (base_id INTEGER PRIMARY KEY NOT NULL, language TEXT NOT NULL)
            """
        ),
    ]

    static let mariaDBMigrations: [(identifier: String, statements: [String])] = [
        (
            "v1: zones, structures, hosting metadata",
            [
                "CREATE TABLE hosting_meta (meta_key VARCHAR(64) PRIMARY KEY, value LONGTEXT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
                "CREATE TABLE zone (id BIGINT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(255) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
                "CREATE TABLE structure (base_id BIGINT PRIMARY KEY, guid VARCHAR(36) NOT NULL UNIQUE, zone_id BIGINT NOT NULL, uai VARCHAR(16) UNIQUE, localisation VARCHAR(255) NOT NULL, denomination VARCHAR(255) NOT NULL, contact_nom VARCHAR(255) NOT NULL, contact_prenom VARCHAR(255) NOT NULL, contact_courriel VARCHAR(320) NOT NULL, inscription_date VARCHAR(10) NOT NULL, status VARCHAR(16) NOT NULL DEFAULT 'active', FOREIGN KEY (zone_id) REFERENCES zone(id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
                "INSERT INTO hosting_meta (meta_key, value) VALUES ('fingerprint', 'ancienne-empreinte-mariadb')",
            ]
        ),
        (
            "v2: structure locks",
            [
                "CREATE TABLE structure_lock (base_id BIGINT PRIMARY KEY, kind VARCHAR(16) NOT NULL, message LONGTEXT NOT NULL, owner_pid INT, owner_host VARCHAR(255), created_at VARCHAR(32) NOT NULL, refreshed_at VARCHAR(32)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
            ]
        ),
        (
            "v3: transfer journal",
            [
                "CREATE TABLE transfer_journal (id BIGINT PRIMARY KEY AUTO_INCREMENT, at VARCHAR(32) NOT NULL, event VARCHAR(32) NOT NULL, guid VARCHAR(36) NOT NULL, base_id BIGINT NOT NULL, denomination VARCHAR(255) NOT NULL, source_server VARCHAR(255), source_fingerprint VARCHAR(64), source_base_id BIGINT, bundle VARCHAR(255), details LONGTEXT, INDEX (guid)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
            ]
        ),
        (
            "v4: import runs",
            [
                "CREATE TABLE import_run (id BIGINT PRIMARY KEY AUTO_INCREMENT, bundle VARCHAR(255) NOT NULL, started_at VARCHAR(32) NOT NULL, finished_at VARCHAR(32), complete TINYINT NOT NULL DEFAULT 0, INDEX (bundle)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
            ]
        ),
        (
            "v5: outbox",
            [
                "CREATE TABLE outbox_message (file VARCHAR(255) PRIMARY KEY, kind VARCHAR(16) NOT NULL, base_id BIGINT, guid VARCHAR(36), recipient VARCHAR(320) NOT NULL, subject LONGTEXT NOT NULL, message_id VARCHAR(255) NOT NULL, created_at VARCHAR(32) NOT NULL, state VARCHAR(16) NOT NULL DEFAULT 'pending', attempts INT NOT NULL DEFAULT 0, last_reply LONGTEXT, last_attempt_at VARCHAR(32), sent_at VARCHAR(32), INDEX (state)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
            ]
        ),
        (
            "v6: access locks and maintenance windows",
            [
                "CREATE TABLE access_lock (id BIGINT PRIMARY KEY AUTO_INCREMENT, kind VARCHAR(16) NOT NULL, base_id BIGINT, scope_id BIGINT AS (IFNULL(base_id, 0)) PERSISTENT, reason LONGTEXT NOT NULL, set_by VARCHAR(255), created_at VARCHAR(32) NOT NULL, UNIQUE KEY (kind, scope_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
                "CREATE TABLE maintenance_window (id BIGINT PRIMARY KEY AUTO_INCREMENT, type VARCHAR(16) NOT NULL, every_structure TINYINT NOT NULL DEFAULT 0, starts_at VARCHAR(32) NOT NULL, ends_at VARCHAR(32) NOT NULL, message LONGTEXT, planned_at VARCHAR(32) NOT NULL, planned_by VARCHAR(255) NOT NULL, cancelled_at VARCHAR(32)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
                "CREATE TABLE maintenance_window_structure (window_id BIGINT NOT NULL, base_id BIGINT NOT NULL, PRIMARY KEY (window_id, base_id), FOREIGN KEY (window_id) REFERENCES maintenance_window(id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
            ]
        ),
        (
            "v7: moves, receipts and a fuller journal",
            [
                "ALTER TABLE transfer_journal ADD COLUMN uai VARCHAR(16), ADD COLUMN target_server VARCHAR(255), ADD COLUMN target_fingerprint VARCHAR(64), ADD COLUMN target_base_id BIGINT, ADD COLUMN bundle_sha256 VARCHAR(64), ADD COLUMN digests LONGTEXT, ADD COLUMN note LONGTEXT, ADD COLUMN outcome VARCHAR(16), ADD INDEX (uai), ADD INDEX (base_id)",
                "CREATE TABLE structure_move (base_id BIGINT PRIMARY KEY, guid VARCHAR(36) NOT NULL, denomination VARCHAR(255) NOT NULL, localisation VARCHAR(255) NOT NULL, uai VARCHAR(16), target_server VARCHAR(255) NOT NULL, target_fingerprint VARCHAR(64) NOT NULL, new_id BIGINT NOT NULL, access_url LONGTEXT NOT NULL, bundle VARCHAR(255) NOT NULL, receipt_sha256 VARCHAR(64) NOT NULL, confirmed_at VARCHAR(32) NOT NULL, INDEX (guid)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
            ]
        ),
        (
            "v8: establishments' own letter languages",
            [
                "CREATE TABLE structure_language (base_id BIGINT PRIMARY KEY, language VARCHAR(8) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
            ]
        ),
    ]

    /// A SQLite registry at `path` as the former code left it after its first `count` migrations.
    static func makeSQLite(at path: String, migrations count: Int) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            // GRDB's own bookkeeping table, as `DatabaseMigrator` creates it.
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            for (identifier, sql) in sqliteMigrations.prefix(count) {
                try db.execute(sql: sql)
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [identifier])
            }
        }
        try queue.close()
    }

    /// A MariaDB registry in the database `connection` uses, as the former code left it after its first
    /// `count` migrations.
    static func makeMariaDB(on connection: MariaDBConnection, migrations count: Int) throws {
        try connection.execute(
            "CREATE TABLE IF NOT EXISTS transfert_migration (identifier VARCHAR(255) PRIMARY KEY, applied_at VARCHAR(32) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
        )
        for (identifier, statements) in mariaDBMigrations.prefix(count) {
            for statement in statements { try connection.execute(statement) }
            try connection.run(
                "INSERT INTO transfert_migration (identifier, applied_at) VALUES (?, ?)",
                [.text(identifier), .text("2026-11-25T10:00:00Z")])
        }
    }
}
