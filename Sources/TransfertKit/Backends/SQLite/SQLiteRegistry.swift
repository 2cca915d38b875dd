import Foundation
import GRDB

/// The registry in one SQLite file (`registry.sqlite`), with its schema evolved by GRDB migrations.
public final class SQLiteRegistry: Registry {
    let queue: DatabaseQueue

    /// Opens (creating when `create` is true) the registry at `path` and brings its schema up to date.
    public init(path: String, create: Bool) throws {
        guard create || FileManager.default.fileExists(atPath: path) else {
            throw RegistryError.notInitialised(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        }
        var configuration = Configuration()
        // Another `transfert` (an import, a cron job) may hold the registry briefly: wait rather than fail.
        configuration.busyMode = .timeout(30)
        configuration.foreignKeysEnabled = true
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try Self.migrator.migrate(queue)
    }

    /// Every registry schema change, in order. A migration, once released, is never edited: add one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: zones, structures, hosting metadata") { db in
            try db.execute(sql: """
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
                """)
            try db.execute(
                sql: "INSERT INTO hosting_meta (key, value) VALUES ('fingerprint', ?)",
                arguments: [UUID().uuidString.lowercased()])
        }
        migrator.registerMigration("v2: structure locks") { db in
            try db.execute(sql: """
                CREATE TABLE structure_lock (
                    base_id INTEGER PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    message TEXT NOT NULL,
                    owner_pid INTEGER,
                    owner_host TEXT,
                    created_at TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3: transfer journal") { db in
            try db.execute(sql: """
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
                """)
        }
        migrator.registerMigration("v4: import runs") { db in
            try db.execute(sql: """
                CREATE TABLE import_run (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    bundle TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    complete INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX import_run_bundle ON import_run(bundle);
                """)
        }
        migrator.registerMigration("v5: outbox") { db in
            try db.execute(sql: """
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
                """)
        }
        migrator.registerMigration("v6: lock heartbeat") { db in
            // The holder of an automatic lock refreshes it; a lock not refreshed for a minute is stale,
            // whichever host holds it. Existing locks count from their creation.
            try db.execute(sql: """
                ALTER TABLE structure_lock ADD COLUMN refreshed_at TEXT;
                UPDATE structure_lock SET refreshed_at = created_at WHERE owner_pid IS NOT NULL;
                """)
        }
        migrator.registerMigration("v7: access locks and maintenance windows") { db in
            // Locks people set (webmaster, administrator): one per kind and establishment, base_id NULL
            // meaning every establishment. Windows cover listed establishments, or all of them.
            try db.execute(sql: """
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
                """)
        }
        migrator.registerMigration("v8: moves, receipts and a fuller journal") { db in
            // The journal records where an establishment went (target server, id there), the bundle's
            // SHA-256 and the digests a receipt must match, the operator's note and the outcome.
            try db.execute(sql: """
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
                """)
        }
        migrator.registerMigration("v9: establishments' own letter languages") { db in
            try db.execute(sql: "CREATE TABLE structure_language (base_id INTEGER PRIMARY KEY NOT NULL, language TEXT NOT NULL)")
        }
        return migrator
    }

    /// The migrations this registry has applied, oldest first (for `doctor` and tests).
    public func appliedMigrations() throws -> [String] {
        try queue.read { db in try Self.migrator.appliedIdentifiers(db).sorted() }
    }

    public func fingerprint() throws -> String {
        try queue.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM hosting_meta WHERE key = 'fingerprint'") ?? ""
        }
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: it takes the write lock first, so the checks
    /// it makes still hold when it writes, even against another process.
    func immediateTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    static func insert(_ s: Structure, in db: Database) throws {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM structure WHERE base_id = ?", arguments: [s.baseID]) == true {
            throw RegistryError.duplicateBaseID(s.baseID)
        }
        if let uai = s.uai, let other = try Int64.fetchOne(db, sql: "SELECT base_id FROM structure WHERE uai = ?", arguments: [uai.rawValue]) {
            throw RegistryError.duplicateUAI(uai.rawValue, hostedBy: other)
        }
        let guid = s.guid.uuidString.lowercased()
        if let other = try Int64.fetchOne(db, sql: "SELECT base_id FROM structure WHERE guid = ?", arguments: [guid]) {
            throw RegistryError.duplicateGUID(s.guid, hostedBy: other)
        }
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM zone WHERE id = ?", arguments: [s.zoneID]) != true {
            throw RegistryError.unknownZone(s.zoneID)
        }
        try db.execute(
            sql: "INSERT INTO structure (\(structureColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [s.baseID, guid, s.zoneID, s.uai?.rawValue, s.localisation, s.denomination,
                        s.contactNom, s.contactPrenom, s.contactCourriel.rawValue, s.inscriptionDate.description,
                        s.status.rawValue])
    }

    static func structure(from row: Row) throws -> Structure {
        let uaiText: String? = row["uai"]
        let guidText: String = row["guid"]
        guard let guid = UUID(uuidString: guidText) else {
            throw DatabaseError(message: "registry row \(row["base_id"] as Int64) has an invalid guid '\(guidText)'")
        }
        return Structure(
            baseID: row["base_id"], guid: guid, zoneID: row["zone_id"],
            uai: try uaiText.map { try UAI(validating: $0) },
            localisation: row["localisation"], denomination: row["denomination"],
            contactNom: row["contact_nom"], contactPrenom: row["contact_prenom"],
            contactCourriel: try EmailAddress(validating: row["contact_courriel"]),
            inscriptionDate: try CalendarDate(parsing: row["inscription_date"]),
            status: Structure.Status(rawValue: row["status"]) ?? .active)
    }
}
