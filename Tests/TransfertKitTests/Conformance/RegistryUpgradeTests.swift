import Foundation
import GRDB
import Testing
import TransfertTestSupport

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// Registries written before the one migration list open with the new code: recognised as up to date or
/// migrated forward, no migration run twice, no row lost — on SQLite (GRDB's `grdb_migrations`) and on
/// MariaDB (`transfert_migration`, whose history differs).
@Suite("Registry upgrades")
struct RegistryUpgradeTests {
    static let guid = "6f1c1a52-7d0e-4d7e-9a53-7e1f0b2a9c11"
    static let structureRow = """
        INSERT INTO structure (base_id, guid, zone_id, uai, localisation, denomination, contact_nom, contact_prenom,
          contact_courriel, inscription_date) VALUES (5, '\(guid)', 1, '0750001U', 'Paris', 'Collège Émile Zola', 'Dupré', 'Hélène',
          'h.dupre@ac-paris.fr', '2020-09-01')
        """

    /// What both engines' former registries hold after every former migration, checked through the new code.
    static func expectEveryRowKept(_ registry: SQLRegistry, fingerprint: String) throws {
        #expect(try registry.appliedMigrations() == RegistryMigration.all.map(\.identifier))
        #expect(try registry.fingerprint() == fingerprint, "the hosting keeps its identity")
        #expect(try registry.zones().map(\.name) == ["Zone par défaut"])
        let structure = try #require(try registry.structure(baseID: 5))
        #expect(structure.denomination == "Collège Émile Zola" && structure.guid.uuidString.lowercased() == guid)
        #expect(try registry.storedLocks().map(\.baseID) == [5])
        #expect(try registry.storedLocks().first?.refreshedAt == "2026-11-25T10:00:00Z")
        #expect(try registry.accessLocks().map(\.reason) == ["Transfert « vers B »"])
        #expect(try registry.journal(guid: guid).map(\.note) == ["reçu"])
        #expect(try registry.letterLanguages() == [5: "en"])
        // And it works on: the next id, a second access lock on every establishment, the same one replaced.
        let next = try registry.insertWithNewID(try BackendConformanceTests.structure(1), isFree: { _ in true })
        #expect(next.baseID == 6)
        #expect(
            try registry.setAccessLock(
                AccessLock(kind: .webmaster, baseID: nil, reason: "Tous", setBy: nil, since: "x")) == nil)
        #expect(
            try registry.setAccessLock(
                AccessLock(kind: .webmaster, baseID: 5, reason: "Encore", setBy: nil, since: "x"))?.reason
                == "Transfert « vers B »")
        try registry.refreshLocks(baseIDs: [5], at: Date())
    }

    /// The rows every test writes through the former schema (after its last migration).
    static let formerRows = [
        "INSERT INTO zone (name) VALUES ('Zone par défaut')",
        structureRow,
        """
        INSERT INTO structure_lock (base_id, kind, message, owner_pid, owner_host, created_at, refreshed_at)
          VALUES (5, 'moved', 'Déménagé', NULL, NULL, '2026-11-25T09:00:00Z', '2026-11-25T10:00:00Z')
        """,
        "INSERT INTO access_lock (kind, base_id, reason, set_by, created_at) VALUES ('webmaster', 5, 'Transfert « vers B »', 'root', 'x')",
        """
        INSERT INTO transfer_journal (at, event, guid, base_id, denomination, note) VALUES ('2026-11-25T10:00:00Z', 'exported', '\(guid)', 5,
          'Collège Émile Zola', 'reçu')
        """,
        "INSERT INTO structure_language (base_id, language) VALUES (5, 'en')",
    ]

    // MARK: SQLite

    @Test func aSQLiteRegistryAtItsLastGRDBMigrationOpensUpToDateAndKeepsEveryRow() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("registry.sqlite").path
        try FormerRegistry.makeSQLite(at: path, migrations: 9)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in for row in Self.formerRows { try db.execute(sql: row) } }
        try queue.close()

        try Self.expectEveryRowKept(
            try SQLRegistry.sqlite(path: path, create: false), fingerprint: FormerRegistry.sqliteFingerprint)
        // Opened again: nothing left to run, nothing run twice.
        let again = try SQLRegistry.sqlite(path: path, create: false)
        #expect(try again.appliedMigrations() == RegistryMigration.all.map(\.identifier))
        let check = try DatabaseQueue(path: path)
        let (former, recorded, metaColumns) = try check.read { db in
            (
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM registry_migration"),
                try db.columns(in: "hosting_meta").map(\.name)
            )
        }
        #expect(former.count == 9, "GRDB's records are left as they were")
        #expect(recorded == RegistryMigration.all.count)
        #expect(metaColumns == ["meta_key", "value"])
    }

    @Test func aSQLiteRegistryAtItsFirstGRDBMigrationIsMigratedForwardAndKeepsItsRows() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("registry.sqlite").path
        try FormerRegistry.makeSQLite(at: path, migrations: 1)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in for row in Self.formerRows.prefix(2) { try db.execute(sql: row) } }
        try queue.close()
        let registry = try SQLRegistry.sqlite(path: path, create: false)
        #expect(try registry.appliedMigrations() == RegistryMigration.all.map(\.identifier))
        #expect(try registry.fingerprint() == FormerRegistry.sqliteFingerprint)
        #expect(try registry.structure(baseID: 5)?.denomination == "Collège Émile Zola")
        try registry.acquire(.automatic(baseID: 5))
        #expect(try registry.locks().map(\.baseID) == [5], "the later tables were created")
    }

    /// Opening an up-to-date registry only reads: the portal and `lock list` open it while an import holds
    /// the write lock (were opening to write, it would wait for the busy timeout and fail).
    @Test func anUpToDateRegistryOpensWhileAnotherConnectionHoldsTheWriteLock() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("registry.sqlite").path
        _ = try SQLRegistry.sqlite(path: path, create: true).addZone(named: "Zone par défaut")
        let holder = try DatabaseQueue(path: path)
        let zones = try holder.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            defer { try? db.execute(sql: "ROLLBACK") }
            return try SQLRegistry.sqlite(path: path, create: false).zones().map(\.name)
        }
        #expect(zones == ["Zone par défaut"])
    }

    // MARK: MariaDB

    /// An empty database of its own on the tests' MariaDB server, and what drops it.
    static func mariaDBDatabase() throws -> (
        settings: MariaDBSettings, connection: MariaDBConnection, cleanup: () -> Void
    ) {
        let server = try MariaDBTestServer.shared()
        let name = "u\(UUID().uuidString.prefix(8).lowercased())_registry"
        let admin = MariaDBSettings(port: server.port, user: "root")
        try MariaDBConnection(admin).execute("CREATE DATABASE `\(name)`")
        let settings = admin.with(database: name)
        return (
            settings, try MariaDBConnection(settings),
            { try? MariaDBConnection(admin).execute("DROP DATABASE `\(name)`") }
        )
    }

    @Test func aMariaDBRegistryAtItsEighthMigrationOpensUpToDateAndKeepsEveryRow() throws {
        let (settings, connection, cleanup) = try Self.mariaDBDatabase()
        defer { cleanup() }
        try FormerRegistry.makeMariaDB(on: connection, migrations: 8)
        for row in Self.formerRows { try connection.execute(row) }

        try Self.expectEveryRowKept(
            try SQLRegistry.mariaDB(settings: settings, create: false), fingerprint: FormerRegistry.mariaDBFingerprint)
        let again = try SQLRegistry.mariaDB(settings: settings, create: false)
        #expect(try again.appliedMigrations() == RegistryMigration.all.map(\.identifier))
        #expect(
            try connection.query("SELECT COUNT(*) FROM transfert_migration").first?.first == "8",
            "the former records are left as they were")
    }

    /// A registry of the first MariaDB release (five migrations, the lock heartbeat already in its `v2`):
    /// the list's `v6` (which adds that column) must not run, the later ones must.
    @Test func aMariaDBRegistryOfTheFirstReleaseIsMigratedForwardWithoutAddingTheHeartbeatTwice() throws {
        let (settings, connection, cleanup) = try Self.mariaDBDatabase()
        defer { cleanup() }
        try FormerRegistry.makeMariaDB(on: connection, migrations: 5)
        for row in Self.formerRows.prefix(3) { try connection.execute(row) }
        let registry = try SQLRegistry.mariaDB(settings: settings, create: false)
        #expect(try registry.appliedMigrations() == RegistryMigration.all.map(\.identifier))
        #expect(try registry.fingerprint() == FormerRegistry.mariaDBFingerprint)
        #expect(try registry.storedLocks().first?.refreshedAt == "2026-11-25T10:00:00Z")
        try registry.setLetterLanguage("en", baseID: 5)
        #expect(
            try registry.setAccessLock(
                AccessLock(kind: .webmaster, baseID: nil, reason: "Tous", setBy: nil, since: "x")) == nil)
    }

    @Test func anEmptyMariaDBDatabaseIsNotARegistryUnlessOneIsCreated() throws {
        let (settings, _, cleanup) = try Self.mariaDBDatabase()
        defer { cleanup() }
        #expect(throws: RegistryError.self) { try SQLRegistry.mariaDB(settings: settings, create: false) }
        let created = try SQLRegistry.mariaDB(settings: settings, create: true)
        #expect(try created.appliedMigrations() == RegistryMigration.all.map(\.identifier))
        #expect(try !created.fingerprint().isEmpty)
    }
}
