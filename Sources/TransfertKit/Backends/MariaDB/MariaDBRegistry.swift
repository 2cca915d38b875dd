import CMariaDB
import Foundation

/// The registry in a MariaDB database (the one `backend.database.url` names): the same tables as the
/// SQLite registry, InnoDB and `utf8mb4_bin`, evolved by numbered migrations recorded in
/// `transfert_migration`. One connection, used by one caller at a time; a lost connection is opened again.
///
/// Writes that check before they write (id claims, locks) run in a transaction that first locks the
/// `hosting_meta` fingerprint row (`SELECT … FOR UPDATE`): every such writer, on any host, waits for the
/// previous one, as SQLite's `BEGIN IMMEDIATE` makes them wait.
public final class MariaDBRegistry: Registry, @unchecked Sendable {
    let settings: MariaDBSettings
    private let lock = NSLock()
    private var connection: MariaDBConnection?

    /// Opens the registry in `settings.database` (creating its tables when `create`), and migrates it.
    public init(settings: MariaDBSettings, create: Bool) throws {
        self.settings = settings
        try withConnection { connection in
            let exists = try connection.scalar("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'hosting_meta'") != "0"
            guard create || exists else { throw RegistryError.notInitialised("the MariaDB database \(settings.database ?? "?") on \(settings.server)") }
            try Self.migrate(connection)
        }
    }

    static let migrations: [(String, [String])] = [
        ("v1: zones, structures, hosting metadata", [
            "CREATE TABLE hosting_meta (meta_key VARCHAR(64) PRIMARY KEY, value LONGTEXT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
            "CREATE TABLE zone (id BIGINT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(255) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
            """
            CREATE TABLE structure (base_id BIGINT PRIMARY KEY, guid VARCHAR(36) NOT NULL UNIQUE, zone_id BIGINT NOT NULL,
              uai VARCHAR(16) UNIQUE, localisation VARCHAR(255) NOT NULL, denomination VARCHAR(255) NOT NULL,
              contact_nom VARCHAR(255) NOT NULL, contact_prenom VARCHAR(255) NOT NULL, contact_courriel VARCHAR(320) NOT NULL,
              inscription_date VARCHAR(10) NOT NULL, status VARCHAR(16) NOT NULL DEFAULT 'active',
              FOREIGN KEY (zone_id) REFERENCES zone(id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
            "INSERT INTO hosting_meta (meta_key, value) VALUES ('fingerprint', LOWER(UUID()))",
        ]),
        ("v2: structure locks", [
            """
            CREATE TABLE structure_lock (base_id BIGINT PRIMARY KEY, kind VARCHAR(16) NOT NULL, message LONGTEXT NOT NULL,
              owner_pid INT, owner_host VARCHAR(255), created_at VARCHAR(32) NOT NULL, refreshed_at VARCHAR(32))
              ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
        ]),
        ("v3: transfer journal", [
            """
            CREATE TABLE transfer_journal (id BIGINT PRIMARY KEY AUTO_INCREMENT, at VARCHAR(32) NOT NULL, event VARCHAR(32) NOT NULL,
              guid VARCHAR(36) NOT NULL, base_id BIGINT NOT NULL, denomination VARCHAR(255) NOT NULL, source_server VARCHAR(255),
              source_fingerprint VARCHAR(64), source_base_id BIGINT, bundle VARCHAR(255), details LONGTEXT, INDEX (guid))
              ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
        ]),
        ("v4: import runs", [
            """
            CREATE TABLE import_run (id BIGINT PRIMARY KEY AUTO_INCREMENT, bundle VARCHAR(255) NOT NULL, started_at VARCHAR(32) NOT NULL,
              finished_at VARCHAR(32), complete TINYINT NOT NULL DEFAULT 0, INDEX (bundle))
              ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
        ]),
        ("v5: outbox", [
            """
            CREATE TABLE outbox_message (file VARCHAR(255) PRIMARY KEY, kind VARCHAR(16) NOT NULL, base_id BIGINT, guid VARCHAR(36),
              recipient VARCHAR(320) NOT NULL, subject LONGTEXT NOT NULL, message_id VARCHAR(255) NOT NULL, created_at VARCHAR(32) NOT NULL,
              state VARCHAR(16) NOT NULL DEFAULT 'pending', attempts INT NOT NULL DEFAULT 0, last_reply LONGTEXT,
              last_attempt_at VARCHAR(32), sent_at VARCHAR(32), INDEX (state)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
        ]),
        ("v6: access locks and maintenance windows", [
            // `scope_id` is base_id or 0 (every establishment): a unique key cannot hold NULLs as one value.
            """
            CREATE TABLE access_lock (id BIGINT PRIMARY KEY AUTO_INCREMENT, kind VARCHAR(16) NOT NULL, base_id BIGINT,
              scope_id BIGINT AS (IFNULL(base_id, 0)) PERSISTENT, reason LONGTEXT NOT NULL, set_by VARCHAR(255),
              created_at VARCHAR(32) NOT NULL, UNIQUE KEY (kind, scope_id))
              ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
            """
            CREATE TABLE maintenance_window (id BIGINT PRIMARY KEY AUTO_INCREMENT, type VARCHAR(16) NOT NULL,
              every_structure TINYINT NOT NULL DEFAULT 0, starts_at VARCHAR(32) NOT NULL, ends_at VARCHAR(32) NOT NULL,
              message LONGTEXT, planned_at VARCHAR(32) NOT NULL, planned_by VARCHAR(255) NOT NULL, cancelled_at VARCHAR(32))
              ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
            """
            CREATE TABLE maintenance_window_structure (window_id BIGINT NOT NULL, base_id BIGINT NOT NULL,
              PRIMARY KEY (window_id, base_id), FOREIGN KEY (window_id) REFERENCES maintenance_window(id) ON DELETE CASCADE)
              ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
        ]),
        ("v7: moves, receipts and a fuller journal", [
            """
            ALTER TABLE transfer_journal ADD COLUMN uai VARCHAR(16), ADD COLUMN target_server VARCHAR(255),
              ADD COLUMN target_fingerprint VARCHAR(64), ADD COLUMN target_base_id BIGINT, ADD COLUMN bundle_sha256 VARCHAR(64),
              ADD COLUMN digests LONGTEXT, ADD COLUMN note LONGTEXT, ADD COLUMN outcome VARCHAR(16), ADD INDEX (uai), ADD INDEX (base_id)
            """,
            """
            CREATE TABLE structure_move (base_id BIGINT PRIMARY KEY, guid VARCHAR(36) NOT NULL, denomination VARCHAR(255) NOT NULL,
              localisation VARCHAR(255) NOT NULL, uai VARCHAR(16), target_server VARCHAR(255) NOT NULL,
              target_fingerprint VARCHAR(64) NOT NULL, new_id BIGINT NOT NULL, access_url LONGTEXT NOT NULL, bundle VARCHAR(255) NOT NULL,
              receipt_sha256 VARCHAR(64) NOT NULL, confirmed_at VARCHAR(32) NOT NULL, INDEX (guid))
              ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
        ]),
        ("v8: establishments' own letter languages", [
            """
            CREATE TABLE structure_language (base_id BIGINT PRIMARY KEY, language VARCHAR(8) NOT NULL)
              ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
        ]),
    ]

    private static func migrate(_ connection: MariaDBConnection) throws {
        try connection.execute("CREATE TABLE IF NOT EXISTS transfert_migration (identifier VARCHAR(255) PRIMARY KEY, applied_at VARCHAR(32) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin")
        let applied = Set(try connection.query("SELECT identifier FROM transfert_migration").compactMap { $0[0] })
        for (identifier, statements) in migrations where !applied.contains(identifier) {
            // MariaDB commits DDL implicitly: each statement stands alone, and the migration is recorded last.
            for statement in statements { try connection.execute(statement) }
            try connection.run("INSERT INTO transfert_migration (identifier, applied_at) VALUES (?, ?)",
                               [.text(identifier), .text(ISO8601DateFormatter().string(from: Date()))])
        }
    }

    /// Runs `body` on the registry's connection, opening it (again) when needed; one caller at a time.
    func withConnection<T>(_ body: (MariaDBConnection) throws -> T) throws -> T {
        try lock.withLock {
            if connection == nil { connection = try MariaDBConnection(settings) }
            do {
                return try body(connection!)
            } catch let error as MariaDBError where error.isConnectionLost {
                // The server restarted or dropped us: open a fresh connection and try once more.
                connection = try MariaDBConnection(settings)
                return try body(connection!)
            }
        }
    }

    /// Runs `body` in a transaction that holds the registry's writer lock (see the type's comment).
    func exclusiveTransaction<T>(_ body: (MariaDBConnection) throws -> T) throws -> T {
        try withConnection { connection in
            try connection.execute("START TRANSACTION")
            do {
                _ = try connection.query("SELECT value FROM hosting_meta WHERE meta_key = 'fingerprint' FOR UPDATE")
                let result = try body(connection)
                try connection.execute("COMMIT")
                return result
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    public func fingerprint() throws -> String {
        try withConnection { try $0.scalar("SELECT value FROM hosting_meta WHERE meta_key = 'fingerprint'") ?? "" }
    }

    /// The migrations this registry has applied.
    public func appliedMigrations() throws -> [String] {
        try withConnection { try $0.query("SELECT identifier FROM transfert_migration ORDER BY identifier").compactMap { $0[0] } }
    }
}

extension SQLValue {
    /// An optional text as a neutral value.
    static func optional(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }
    static func optional(_ integer: Int64?) -> SQLValue { integer.map(SQLValue.integer) ?? .null }
}
