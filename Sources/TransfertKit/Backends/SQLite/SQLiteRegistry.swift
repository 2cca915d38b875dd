import Foundation
import GRDB

/// The registry in one SQLite file (`registry.sqlite`), with its schema evolved by GRDB migrations.
public final class SQLiteRegistry: Registry {
    private let queue: DatabaseQueue

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

    // MARK: Locks

    public func acquire(_ lock: StructureLock) throws {
        try immediateTransaction { db in
            if let existing = try Self.lock(baseID: lock.baseID, in: db), !existing.isStale {
                throw LockError.locked(existing)
            }
            try Self.insert(lock, in: db)
        }
    }

    private static func insert(_ lock: StructureLock, in db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO structure_lock (base_id, kind, message, owner_pid, owner_host, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [lock.baseID, lock.kind.rawValue, lock.message, lock.ownerPID, lock.ownerHost, lock.createdAt])
    }

    public func keep(baseID: Int64, message: String) throws {
        try queue.write { db in
            try db.execute(sql: """
                UPDATE structure_lock SET kind = 'moved', message = ?, owner_pid = NULL, owner_host = NULL WHERE base_id = ?
                """, arguments: [message, baseID])
        }
    }

    public func releaseLock(baseID: Int64) throws {
        try queue.write { db in try db.execute(sql: "DELETE FROM structure_lock WHERE base_id = ?", arguments: [baseID]) }
    }

    public func locks() throws -> [StructureLock] {
        try queue.write { db in
            let all = try Row.fetchAll(db, sql: "SELECT * FROM structure_lock ORDER BY base_id").map(Self.lock(from:))
            for stale in all where stale.isStale {
                try db.execute(sql: "DELETE FROM structure_lock WHERE base_id = ?", arguments: [stale.baseID])
            }
            return all.filter { !$0.isStale }
        }
    }

    private static func lock(baseID: Int64, in db: Database) throws -> StructureLock? {
        try Row.fetchOne(db, sql: "SELECT * FROM structure_lock WHERE base_id = ?", arguments: [baseID]).map(lock(from:))
    }

    private static func lock(from row: Row) -> StructureLock {
        StructureLock(baseID: row["base_id"], kind: StructureLock.Kind(rawValue: row["kind"]) ?? .backup,
                      message: row["message"], ownerPID: row["owner_pid"], ownerHost: row["owner_host"],
                      createdAt: row["created_at"])
    }

    // MARK: Zones

    public func zones() throws -> [Zone] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM zone ORDER BY id").map { Zone(id: $0["id"], name: $0["name"]) }
        }
    }

    public func zone(id: Int64) throws -> Zone? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT id, name FROM zone WHERE id = ?", arguments: [id])
                .map { Zone(id: $0["id"], name: $0["name"]) }
        }
    }

    public func addZone(named name: String) throws -> Zone {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO zone (name) VALUES (?)", arguments: [name])
            return Zone(id: db.lastInsertedRowID, name: name)
        }
    }

    // MARK: Structures

    private static let structureColumns = "base_id, guid, zone_id, uai, localisation, denomination, contact_nom, contact_prenom, contact_courriel, inscription_date, status"

    public func structures() throws -> [Structure] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.structureColumns) FROM structure ORDER BY base_id").map(Self.structure(from:))
        }
    }

    public func structure(baseID: Int64) throws -> Structure? {
        try fetchStructure(where: "base_id = ?", baseID)
    }

    public func structure(uai: UAI) throws -> Structure? {
        try fetchStructure(where: "uai = ?", uai.rawValue)
    }

    public func structure(guid: UUID) throws -> Structure? {
        try fetchStructure(where: "guid = ?", guid.uuidString.lowercased())
    }

    private func fetchStructure(where condition: String, _ argument: some DatabaseValueConvertible) throws -> Structure? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.structureColumns) FROM structure WHERE \(condition)", arguments: [argument])
                .map(Self.structure(from:))
        }
    }

    public func insert(_ structure: Structure) throws {
        try immediateTransaction { db in try Self.insert(structure, in: db) }
    }

    public func insertWithNewID(_ structure: Structure) throws -> Structure {
        try immediateTransaction { db in
            var structure = structure
            let maximum = try Int64.fetchOne(db, sql: "SELECT MAX(base_id) FROM structure") ?? 0
            structure.baseID = maximum + 1
            try Self.insert(structure, in: db)
            return structure
        }
    }

    public func removeStructure(baseID: Int64, journal: JournalEntry?) throws {
        try immediateTransaction { db in
            try db.execute(sql: "DELETE FROM structure WHERE base_id = ?", arguments: [baseID])
            if db.changesCount == 0 { throw RegistryError.unknownStructure(baseID) }
            try db.execute(sql: "DELETE FROM structure_lock WHERE base_id = ?", arguments: [baseID])
            if let journal { try Self.record(journal, in: db) }
        }
    }

    // MARK: Imports

    public func claimForImport(_ structures: [Structure], reserved: Set<Int64>, isFree: (Int64) -> Bool) throws -> [Structure] {
        try immediateTransaction { db in
            var taken = reserved
            var next = (try Int64.fetchOne(db, sql: "SELECT MAX(base_id) FROM structure") ?? 0) + 1
            return try structures.map { structure in
                var structure = structure
                structure.status = .importing
                if structure.baseID == 0 {
                    while taken.contains(next) || !isFree(next) { next += 1 }
                    structure.baseID = next
                }
                taken.insert(structure.baseID)
                try Self.insert(structure, in: db)
                try Self.insert(StructureLock.automatic(baseID: structure.baseID, kind: .restore), in: db)
                return structure
            }
        }
    }

    public func completeImport(baseID: Int64, journal: JournalEntry) throws {
        try immediateTransaction { db in
            try db.execute(sql: "UPDATE structure SET status = 'active' WHERE base_id = ?", arguments: [baseID])
            try db.execute(sql: "DELETE FROM structure_lock WHERE base_id = ?", arguments: [baseID])
            try Self.record(journal, in: db)
        }
    }

    public func abandonedImports() throws -> [Structure] {
        let live = Set(try locks().map(\.baseID))
        return try structures().filter { $0.status == .importing && !live.contains($0.baseID) }
    }

    public func startImportRun(bundle: String) throws -> (id: Int64, resumes: Bool) {
        try immediateTransaction { db in
            let unfinished = try Bool.fetchOne(db, sql: """
                SELECT 1 FROM import_run WHERE bundle = ? AND complete = 0 LIMIT 1
                """, arguments: [bundle]) ?? false
            try db.execute(sql: "INSERT INTO import_run (bundle, started_at) VALUES (?, ?)",
                           arguments: [bundle, ISO8601DateFormatter().string(from: Date())])
            return (db.lastInsertedRowID, unfinished)
        }
    }

    public func hasUnfinishedImportRun(bundle: String) throws -> Bool {
        try queue.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM import_run WHERE bundle = ? AND complete = 0 LIMIT 1", arguments: [bundle]) ?? false
        }
    }

    public func finishImportRun(id: Int64, complete: Bool) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE import_run SET finished_at = ?, complete = ? WHERE id = ?",
                           arguments: [ISO8601DateFormatter().string(from: Date()), complete, id])
            if complete {
                // The bundle is fully imported: earlier unfinished runs of it are settled too.
                let bundle = try String.fetchOne(db, sql: "SELECT bundle FROM import_run WHERE id = ?", arguments: [id])
                try db.execute(sql: "UPDATE import_run SET complete = 1 WHERE bundle = ?", arguments: [bundle])
            }
        }
    }

    // MARK: Outbox

    public func addOutboxMessage(_ m: OutboxMessage, replacing: [String]) throws {
        try immediateTransaction { db in
            for file in replacing {
                try db.execute(sql: "DELETE FROM outbox_message WHERE file = ? AND state != 'sent'", arguments: [file])
            }
            try db.execute(sql: """
                INSERT INTO outbox_message (file, kind, base_id, guid, recipient, subject, message_id, created_at, state,
                                            attempts, last_reply, last_attempt_at, sent_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [m.file, m.kind.rawValue, m.baseID, m.guid, m.recipient, m.subject, m.messageID, m.createdAt,
                                 m.state.rawValue, m.attempts, m.lastReply, m.lastAttemptAt, m.sentAt])
        }
    }

    public func outboxMessages() throws -> [OutboxMessage] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox_message ORDER BY file").map { row in
                var message = OutboxMessage(
                    file: row["file"], kind: OutboxMessage.Kind(rawValue: row["kind"]) ?? .letter, baseID: row["base_id"],
                    guid: row["guid"], recipient: row["recipient"], subject: row["subject"], messageID: row["message_id"])
                message.createdAt = row["created_at"]
                message.state = OutboxMessage.State(rawValue: row["state"]) ?? .pending
                message.attempts = row["attempts"]
                message.lastReply = row["last_reply"]
                message.lastAttemptAt = row["last_attempt_at"]
                message.sentAt = row["sent_at"]
                return message
            }
        }
    }

    public func recordDeliveryAttempt(file: String, _ attempt: DeliveryAttempt) throws {
        let at = ISO8601DateFormatter().string(from: attempt.at)
        try queue.write { db in
            try db.execute(sql: """
                UPDATE outbox_message
                SET attempts = attempts + 1, last_reply = ?, last_attempt_at = ?,
                    state = CASE WHEN ? = 'pending' THEN state ELSE ? END,
                    sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END
                WHERE file = ?
                """, arguments: [attempt.reply, at, attempt.state.rawValue, attempt.state.rawValue, attempt.state.rawValue, at, file])
        }
    }

    public func removeOutboxMessages(files: [String]) throws {
        try queue.write { db in
            for file in files { try db.execute(sql: "DELETE FROM outbox_message WHERE file = ?", arguments: [file]) }
        }
    }

    // MARK: Journal

    public func record(_ entry: JournalEntry) throws {
        try queue.write { db in try Self.record(entry, in: db) }
    }

    public func journal(guid: String?) throws -> [JournalEntry] {
        try queue.read { db in
            let rows = try guid.map {
                try Row.fetchAll(db, sql: "SELECT * FROM transfer_journal WHERE guid = ? ORDER BY id", arguments: [$0.lowercased()])
            } ?? Row.fetchAll(db, sql: "SELECT * FROM transfer_journal ORDER BY id")
            return rows.map { row in
                var entry = JournalEntry(event: JournalEntry.Event(rawValue: row["event"]) ?? .imported, guid: row["guid"],
                                         baseID: row["base_id"], denomination: row["denomination"],
                                         sourceServer: row["source_server"], sourceFingerprint: row["source_fingerprint"],
                                         sourceBaseID: row["source_base_id"], bundle: row["bundle"], details: row["details"])
                entry.id = row["id"]
                entry.at = row["at"]
                return entry
            }
        }
    }

    private static func record(_ e: JournalEntry, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO transfer_journal (at, event, guid, base_id, denomination, source_server, source_fingerprint,
                                          source_base_id, bundle, details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [e.at, e.event.rawValue, e.guid.lowercased(), e.baseID, e.denomination, e.sourceServer,
                            e.sourceFingerprint, e.sourceBaseID, e.bundle, e.details])
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: it takes the write lock first, so the checks
    /// it makes still hold when it writes, even against another process.
    private func immediateTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    private static func insert(_ s: Structure, in db: Database) throws {
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

    private static func structure(from row: Row) throws -> Structure {
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
