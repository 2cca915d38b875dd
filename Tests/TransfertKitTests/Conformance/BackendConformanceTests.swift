import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// What every backend must do, proven the same way for each: the registry on every engine and in memory
/// (``RegistryUnderTest/all``), the establishment databases on every engine (``BackendUnderTest/all``). A new
/// backend passes this suite unchanged before anything else uses it.
@Suite("Backend conformance")
struct BackendConformanceTests {
    static func structure(_ index: Int, baseID: Int64 = 0, uai: String? = nil, status: Structure.Status = .active)
        throws -> Structure
    {
        Structure(
            baseID: baseID, zoneID: 1, uai: try uai.map { try UAI(validating: $0) }, localisation: "Besançon",
            denomination: "Collège n°\(index) « Hélène Boucher »", contactNom: "Dupré", contactPrenom: "Zoé",
            contactCourriel: try EmailAddress(validating: "contact\(index)@ac-besancon.fr"),
            inscriptionDate: try CalendarDate(parsing: "2024-09-02"), status: status)
    }

    /// A small schema with every kind of object the neutral model carries that every engine can create.
    static let schema = try! DatabaseSchema(
        parsing: """
            CREATE TABLE parameters (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
            CREATE TABLE users (id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE, score REAL DEFAULT 0,
                                photo BLOB, CHECK (score >= 0));
            CREATE TABLE grades (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                                 label TEXT);
            CREATE INDEX grades_user ON grades(user_id);
            CREATE VIEW user_grades AS SELECT user_id, COUNT(*) AS grades FROM grades GROUP BY user_id;
            """)

    // MARK: Registry

    @Test(arguments: RegistryUnderTest.all)
    func zonesAndStructuresWithTheirConstraints(_ under: RegistryUnderTest) throws {
        let made = try under.make()
        defer { made.cleanup() }
        let registry = made.registry
        #expect(try registry.zones().map(\.name) == [Zone.defaultZoneName])
        let zone = try registry.addZone(named: "Académie de Besançon")
        #expect(try registry.zone(id: zone.id)?.name == "Académie de Besançon")
        let first = try registry.insertWithNewID(try Self.structure(1, uai: "0250010A"), isFree: { _ in true })
        #expect(first.baseID == 1)
        #expect(try registry.structure(baseID: 1)?.denomination == "Collège n°1 « Hélène Boucher »", "accents survive")
        #expect(try registry.structure(uai: UAI(validating: "0250010A"))?.baseID == 1)
        #expect(try registry.structure(guid: first.guid)?.baseID == 1)
        #expect(throws: RegistryError.duplicateBaseID(1)) { try registry.insert(try Self.structure(2, baseID: 1)) }
        #expect(throws: RegistryError.duplicateUAI("0250010A", hostedBy: 1)) {
            try registry.insert(try Self.structure(3, baseID: 3, uai: "0250010A"))
        }
        var twin = try Self.structure(4, baseID: 4)
        twin.guid = first.guid
        #expect(throws: RegistryError.duplicateGUID(first.guid, hostedBy: 1)) { try registry.insert(twin) }
        var lost = try Self.structure(5, baseID: 5)
        lost.zoneID = 99
        #expect(throws: RegistryError.unknownZone(99)) { try registry.insert(lost) }
        try registry.removeStructure(
            baseID: 1,
            journal: JournalEntry(
                event: .removed, guid: first.guid.uuidString, baseID: 1,
                denomination: first.denomination))
        #expect(try registry.structures().isEmpty)
        #expect(try registry.journal(guid: first.guid.uuidString).map(\.event) == [.removed])
        #expect(throws: RegistryError.unknownStructure(1)) { try registry.removeStructure(baseID: 1, journal: nil) }
        #expect(try !registry.fingerprint().isEmpty)
    }

    @Test(arguments: RegistryUnderTest.all)
    func freeIDsSkipWhatIsLeftAndConcurrentClaimsNeverShareOne(_ under: RegistryUnderTest) throws {
        let made = try under.make()
        defer { made.cleanup() }
        _ = try made.registry.insertWithNewID(try Self.structure(1), isFree: { _ in true })
        // Id 2 has something left (a database of a killed import): it is never handed out.
        let isFree: @Sendable (Int64) -> Bool = { $0 != 2 }
        #expect(try made.registry.freeIDs(count: 3, reserved: [4], isFree: isFree) == [3, 5, 6])
        // Twenty claims at once on separate connections, as twenty processes would make them.
        let results = ConcurrentResults()
        DispatchQueue.concurrentPerform(iterations: 20) { index in
            do {
                let other = try made.reopen()
                let claimed = try other.claimForImport([try Self.structure(100 + index)], reserved: [], isFree: isFree)
                results.append(claimed.map(\.baseID))
            } catch {
                results.fail(error)
            }
        }
        #expect(results.errors.isEmpty, "\(results.errors)")
        let ids = results.ids.flatMap { $0 }
        #expect(ids.count == 20 && Set(ids).count == 20, "no id handed out twice: \(ids.sorted())")
        #expect(!ids.contains(2), "never an id with something left there")
        #expect(try made.registry.structures().filter { $0.status == .importing }.count == 20)
    }

    @Test(arguments: RegistryUnderTest.all)
    func concurrentInsertionsWithNewIDsNeverShareOneAndTheLargestIDEndsTheRule(_ under: RegistryUnderTest) throws {
        let made = try under.make()
        defer { made.cleanup() }
        // Twenty `structure add` at once on separate connections, as twenty processes would run them.
        let results = ConcurrentResults()
        DispatchQueue.concurrentPerform(iterations: 20) { index in
            do {
                let other = try made.reopen()
                results.append([
                    try other.insertWithNewID(try Self.structure(200 + index), isFree: { _ in true }).baseID
                ])
            } catch {
                results.fail(error)
            }
        }
        #expect(results.errors.isEmpty, "\(results.errors)")
        #expect(Set(results.ids.flatMap { $0 }) == Set(1...20), "ids 1 to 20, none twice")
        // An establishment at 9223372036854775807 (an Id_Import chose it): no id is left above it, said so.
        try made.registry.insert(try Self.structure(300, baseID: Int64.max))
        #expect(throws: RegistryError.noFreeIDAbove(Int64.max)) {
            try made.registry.freeIDs(count: 1, reserved: [], isFree: { _ in true })
        }
        #expect(throws: RegistryError.noFreeIDAbove(Int64.max)) {
            try made.registry.insertWithNewID(try Self.structure(301), isFree: { _ in true })
        }
        #expect(try made.registry.structures().count == 21, "nothing half-added")
    }

    @Test(arguments: RegistryUnderTest.all)
    func aHandEditedRowIsRefusedByTableAndKey(_ under: RegistryUnderTest) throws {
        let made = try under.make()
        defer { made.cleanup() }
        let registry = try #require(made.registry as? SQLRegistry)
        _ = try registry.setAccessLock(
            AccessLock(kind: .webmaster, baseID: 3, reason: "Transfert", setBy: nil, since: "x"))
        _ = try registry.executor.transaction { try $0.execute("UPDATE access_lock SET kind = 'pirate'") }
        #expect(
            throws: RegistryError.corruptRow(table: "access_lock", key: "1", reason: "kind 'pirate' is not a lock kind")
        ) {
            try registry.accessLocks()
        }
        _ = try registry.insertWithNewID(try Self.structure(1), isFree: { _ in true })
        _ = try registry.executor.transaction { try $0.execute("UPDATE structure SET guid = 'pas-un-guid'") }
        #expect(
            throws: RegistryError.corruptRow(table: "structure", key: "1", reason: "guid 'pas-un-guid' is not a UUID")
        ) {
            try registry.structures()
        }
    }

    @Test(arguments: RegistryUnderTest.all)
    func locksTheirHeartbeatAndStaleness(_ under: RegistryUnderTest) throws {
        let made = try under.make()
        defer { made.cleanup() }
        let registry = made.registry
        try registry.acquire(.automatic(baseID: 7))
        #expect(throws: LockError.self) { try registry.acquire(.automatic(baseID: 7)) }
        let now = Date()
        #expect(try registry.locks(at: now).live.map(\.baseID) == [7])
        // Without a heartbeat, another host sees the lock go stale after a minute, and clears it.
        let later = now.addingTimeInterval(StructureLock.staleAfter + 5)
        #expect(try registry.locks(at: later.addingTimeInterval(-10)).live.map(\.baseID) == [7], "fresh enough")
        try registry.refreshLocks(baseIDs: [7], at: later)
        #expect(try registry.locks(at: later.addingTimeInterval(30)).live.map(\.baseID) == [7], "refreshed: still held")
        let (live, cleared) = try registry.locks(at: later.addingTimeInterval(StructureLock.staleAfter + 1))
        #expect(live.isEmpty && cleared.map(\.baseID) == [7])
        // A lock held by a process of another host that is gone is only stale by its heartbeat.
        let foreign = StructureLock(
            baseID: 8, kind: .backup, message: StructureLock.backupMessage, ownerPID: 999_999,
            ownerHost: "autre-serveur", createdAt: ISO8601DateFormatter().string(from: now))
        try registry.acquire(foreign)
        #expect(try registry.locks(at: now.addingTimeInterval(20)).live.map(\.baseID) == [8])
        // A dead process of this host: stale at once.
        let dead = StructureLock(
            baseID: 9, kind: .backup, message: StructureLock.backupMessage, ownerPID: Int32.max - 1,
            ownerHost: ProcessInfo.processInfo.hostName, createdAt: ISO8601DateFormatter().string(from: now))
        try registry.acquire(dead)
        #expect(
            try registry.storedLocks().map(\.baseID) == [8, 9],
            "reading stored locks clears nothing, stale ones included")
        #expect(try registry.locks(at: now).cleared.map(\.baseID) == [9])
        #expect(try registry.storedLocks().map(\.baseID) == [8])
        // A kept lock never goes stale; it is released on purpose.
        try registry.acquire(.automatic(baseID: 10))
        try registry.keep(baseID: 10, message: StructureLock.movedMessage)
        #expect(
            try registry.locks(at: now.addingTimeInterval(86_400)).live.contains {
                $0.baseID == 10 && $0.kind == .moved
            })
        try registry.releaseLock(baseID: 10)
        #expect(try registry.locks(at: now).live.allSatisfy { $0.baseID != 10 })
    }

    @Test(arguments: RegistryUnderTest.all)
    func accessLocksOnePerKindAndEstablishment(_ under: RegistryUnderTest) throws {
        let made = try under.make()
        defer { made.cleanup() }
        let registry = made.registry
        let since = "2026-11-25T10:00:00Z"
        #expect(
            try registry.setAccessLock(
                AccessLock(kind: .webmaster, baseID: 3, reason: "Transfert", setBy: "root@a", since: since)) == nil)
        #expect(
            try registry.setAccessLock(
                AccessLock(kind: .administrator, baseID: 3, reason: "Conseil de classe", setBy: "admin@a", since: since)
            ) == nil)
        #expect(
            try registry.setAccessLock(
                AccessLock(
                    kind: .webmaster, baseID: nil, reason: "Migration « serveur » été", setBy: "root@a", since: since))
                == nil)
        // Setting the same kind on the same scope again replaces its reason, and says what it replaced.
        let replaced = try registry.setAccessLock(
            AccessLock(kind: .webmaster, baseID: 3, reason: "Transfert vers B", setBy: "root@b", since: since))
        #expect(replaced?.reason == "Transfert")
        let all = try registry.accessLocks()
        #expect(all.map(\.baseID) == [nil, 3, 3], "the every-establishment lock first")
        #expect(all.map(\.kind) == [.webmaster, .administrator, .webmaster])
        #expect(all[0].reason == "Migration « serveur » été", "accents kept")
        #expect(all[2].reason == "Transfert vers B" && all[2].setBy == "root@b")
        // Removing one kind leaves the other; the every-establishment lock is its own scope.
        #expect(try registry.removeAccessLocks(kinds: [.webmaster], baseID: 3).map(\.reason) == ["Transfert vers B"])
        #expect(try registry.accessLocks().map(\.kind) == [.webmaster, .administrator])
        #expect(try registry.removeAccessLocks(kinds: [.webmaster, .administrator], baseID: nil).count == 1)
        #expect(try registry.accessLocks().map(\.baseID) == [3])
    }

    @Test(arguments: RegistryUnderTest.all)
    func maintenanceWindowsAreStoredAndCheckedInOneTransaction(_ under: RegistryUnderTest) throws {
        let made = try under.make()
        defer { made.cleanup() }
        let registry = made.registry
        let start = Date(timeIntervalSince1970: 1_796_000_000)
        let window = MaintenanceWindow(
            type: .database, scope: .establishments([2, 5]), start: start,
            end: start.addingTimeInterval(2_700), message: "Données « sûres »",
            plannedAt: start.addingTimeInterval(-86_400), plannedBy: "root@a")
        var seen: [[MaintenanceWindow]] = []
        let saved = try registry.saveMaintenanceWindow(window) { seen.append($0) }
        #expect(saved.number != nil)
        #expect(seen == [[]], "the check sees the other windows")
        let all = try registry.saveMaintenanceWindow(
            MaintenanceWindow(
                type: .deployment, scope: .all, start: start, end: start.addingTimeInterval(60),
                plannedAt: start, plannedBy: "root@a")
        ) { seen.append($0) }
        #expect(seen.last?.map(\.number) == [saved.number])
        // A check that refuses writes nothing.
        #expect(throws: MaintenanceError.self) {
            try registry.saveMaintenanceWindow(window) { _ in throw MaintenanceError.unknownWindow(0) }
        }
        var windows = try registry.maintenanceWindows()
        #expect(windows.count == 2)
        #expect(windows[0] == saved, "every field comes back as saved")
        #expect(windows[1].scope == .all && windows[1].number == all.number)
        // An update keeps the number and replaces the establishments; cancelling is an update.
        var edited = saved
        edited.scope = .establishments([5])
        edited.cancelledAt = start
        let resaved = try registry.saveMaintenanceWindow(edited) { others in
            #expect(others.map(\.number) == [all.number])
        }
        #expect(resaved.number == saved.number, "saving a window again keeps its number")
        windows = try registry.maintenanceWindows()
        #expect(
            windows[0].scope == .establishments([5]) && windows[0].cancelledAt == start
                && windows[0].number == saved.number)
        // A window cancelled meanwhile (another operator) stays cancelled: an edit never revives it.
        var revived = edited
        revived.cancelledAt = nil
        #expect(throws: MaintenanceError.windowClosed(saved.number!, .cancelled)) {
            try registry.saveMaintenanceWindow(revived) { _ in }
        }
        #expect(try registry.maintenanceWindows()[0].cancelledAt == start)
        var missing = saved
        missing.number = 9_999
        #expect(throws: MaintenanceError.unknownWindow(9_999)) { try registry.saveMaintenanceWindow(missing) { _ in } }
    }

    @Test(arguments: RegistryUnderTest.all)
    func confirmedMovesAreAllOrNothingMarkedJournaledAndRecordedOnce(_ under: RegistryUnderTest) throws {
        let made = try under.make()
        defer { made.cleanup() }
        let registry = made.registry
        let structure = try Self.structure(1, baseID: 5)
        try registry.insert(structure)
        try registry.acquire(.automatic(baseID: 5))
        try registry.keep(baseID: 5, message: StructureLock.movedMessage)
        let guid = structure.guid.uuidString.lowercased()
        let move = ConfirmedMove(
            baseID: 5, guid: guid, denomination: "Lycée « Les Îles »", localisation: "Évreux", uai: "0750001U",
            targetServer: "serveur-b", targetFingerprint: "f", newID: 12, accessURL: "https://b.example.org/?id=12",
            bundle: "bases_dump_x", receiptSHA256: "abc", confirmedAt: "2026-11-25T10:00:00Z")
        let digests = [TableDigest(table: "élèves", rows: 3, sha256: String(repeating: "a", count: 64))]
        try registry.confirmMoves(
            [move],
            journal: [
                JournalEntry(
                    event: .confirmed, guid: guid, baseID: 5, denomination: move.denomination, bundle: "bases_dump_x",
                    uai: "0750001U", targetServer: "serveur-b", targetFingerprint: "f", targetBaseID: 12,
                    bundleSHA256: "d", digests: digests, note: "reçu")
            ])
        #expect(try registry.moves() == [move])
        #expect(try registry.move(baseID: 5) == move && registry.move(guid: guid.uppercased()) == move)
        #expect(try registry.structure(baseID: 5)?.status == .moved)
        #expect(try registry.locks().map(\.baseID) == [5], "the kept lock stays until the establishment is removed")
        let entry = try #require(try registry.journal(guid: guid).last)
        #expect(
            entry.event == .confirmed && entry.targetBaseID == 12 && entry.digests == digests && entry.note == "reçu")
        #expect(entry.uai == "0750001U" && entry.bundleSHA256 == "d" && entry.outcome == .done)
        #expect(throws: MoveError.alreadyConfirmed(baseID: 5)) { try registry.confirmMoves([move], journal: []) }
        // All or nothing: a second move that fails takes the first with it.
        var other = move
        other.baseID = 6
        #expect(throws: MoveError.alreadyConfirmed(baseID: 5)) {
            try registry.confirmMoves([other, move], journal: [])
        }
        #expect(try registry.move(baseID: 6) == nil)
        // The move outlives the establishment's removal: its old address keeps redirecting.
        try registry.removeStructure(baseID: 5, journal: nil)
        #expect(try registry.move(baseID: 5) == move)
    }

    @Test(arguments: RegistryUnderTest.all)
    func anEstablishmentsDetailsAreUpdatedInPlaceWithTheirConstraints(_ under: RegistryUnderTest) throws {
        let made = try under.make()
        defer { made.cleanup() }
        let registry = made.registry
        let zone = try registry.addZone(named: "Académie de Lyon")
        let first = try registry.insertWithNewID(try Self.structure(1, uai: "0250010A"), isFree: { _ in true })
        _ = try registry.insertWithNewID(try Self.structure(2, uai: "0750001U"), isFree: { _ in true })
        var changed = first
        changed.zoneID = zone.id
        changed.uai = nil
        changed.denomination = "Lycée « Ampère »"
        changed.contactCourriel = try EmailAddress(validating: "ampere@ac-lyon.fr")
        changed.inscriptionDate = try CalendarDate(parsing: "2020-01-31")
        try registry.updateStructure(changed)
        #expect(try registry.structure(baseID: first.baseID) == changed)
        #expect(try registry.structure(guid: first.guid)?.baseID == first.baseID)
        var taken = changed
        taken.uai = try UAI(validating: "0750001U")
        #expect(throws: RegistryError.duplicateUAI("0750001U", hostedBy: 2)) { try registry.updateStructure(taken) }
        var lost = changed
        lost.zoneID = 99
        #expect(throws: RegistryError.unknownZone(99)) { try registry.updateStructure(lost) }
        var unknown = changed
        unknown.baseID = 999
        #expect(throws: RegistryError.unknownStructure(999)) { try registry.updateStructure(unknown) }
        #expect(try registry.structure(baseID: first.baseID) == changed, "a refused update changes nothing")
    }

    @Test(arguments: RegistryUnderTest.all)
    func anEstablishmentsLetterLanguageIsSetClearedAndRemovedWithIt(_ under: RegistryUnderTest) throws {
        let made = try under.make()
        defer { made.cleanup() }
        let registry = made.registry
        let first = try registry.insertWithNewID(try Self.structure(1), isFree: { _ in true })
        let second = try registry.insertWithNewID(try Self.structure(2), isFree: { _ in true })
        #expect(try registry.letterLanguages().isEmpty)
        try registry.setLetterLanguage("en", baseID: first.baseID)
        try registry.setLetterLanguage("en", baseID: second.baseID)
        try registry.setLetterLanguage("fr", baseID: second.baseID)
        #expect(try registry.letterLanguages() == [first.baseID: "en", second.baseID: "fr"])
        try registry.setLetterLanguage(nil, baseID: second.baseID)
        #expect(try registry.letterLanguage(baseID: second.baseID) == nil)
        #expect(throws: RegistryError.unknownStructure(999)) { try registry.setLetterLanguage("en", baseID: 999) }
        // Removed with its establishment: an id given again starts with the hosting's language.
        try registry.removeStructure(baseID: first.baseID, journal: nil)
        #expect(try registry.letterLanguages().isEmpty)
    }

    @Test(arguments: RegistryUnderTest.all)
    func importRunsAndTheLeftoversOfAKilledImport(_ under: RegistryUnderTest) throws {
        let made = try under.make()
        defer { made.cleanup() }
        let registry = made.registry
        let run = try registry.startImportRun(bundle: "bases_dump_x")
        #expect(run.resumes == false)
        let claimed = try registry.claimForImport(
            [try Self.structure(1), try Self.structure(2)], reserved: [], isFree: { _ in true })
        try registry.completeImport(
            baseID: claimed[0].baseID,
            journal: JournalEntry(
                event: .imported, guid: claimed[0].guid.uuidString, baseID: claimed[0].baseID,
                denomination: claimed[0].denomination))
        try registry.finishImportRun(id: run.id, complete: false)
        #expect(try registry.hasUnfinishedImportRun(bundle: "bases_dump_x"))
        #expect(try registry.startImportRun(bundle: "bases_dump_x").resumes, "a second run resumes the first")
        // The second establishment's restore lock outlived its (simulated dead) holder.
        try registry.releaseLock(baseID: claimed[1].baseID)
        #expect(try registry.abandonedImports().map(\.baseID) == [claimed[1].baseID])
        #expect(try registry.structure(baseID: claimed[0].baseID)?.status == .active)
    }

    @Test(arguments: RegistryUnderTest.all)
    func outboxStates(_ under: RegistryUnderTest) throws {
        let made = try under.make()
        defer { made.cleanup() }
        let registry = made.registry
        let message = OutboxMessage(
            file: "a.eml", kind: .letter, baseID: 1, guid: nil, recipient: "zoe@example.org",
            subject: "Votre établissement a déménagé", messageID: "<1@x>")
        try registry.addOutboxMessage(message, replacing: [])
        try registry.recordDeliveryAttempt(file: "a.eml", DeliveryAttempt(state: .pending, reply: "421 try later"))
        try registry.recordDeliveryAttempt(file: "a.eml", DeliveryAttempt(state: .sent, reply: "250 ok"))
        let stored = try #require(try registry.outboxMessages().first)
        #expect(stored.state == .sent && stored.attempts == 2 && stored.subject == "Votre établissement a déménagé")
        try registry.removeOutboxMessages(files: ["a.eml"])
        #expect(try registry.outboxMessages().isEmpty)
    }

    // MARK: Establishment databases

    @Test(arguments: BackendUnderTest.all)
    func aDatabaseHasExactlyTheSchemaItWasCreatedWith(_ under: BackendUnderTest) throws {
        let (backend, cleanup) = try under.make()
        defer { cleanup() }
        let store = backend.establishments
        try store.create(baseID: 3, schema: Self.schema)
        #expect(store.exists(baseID: 3))
        #expect(try store.databaseIDs() == [3])
        #expect(throws: (any Error).self) { try store.create(baseID: 3, schema: Self.schema) }
        let read = try store.read(baseID: 3) { try $0.schema() }
        #expect(
            SchemaComparison.differences(expected: Self.schema, actual: read).isEmpty,
            "\(SchemaComparison.differences(expected: Self.schema, actual: read))")
        try store.remove(baseID: 3)
        #expect(!store.exists(baseID: 3))
        #expect(try store.databaseIDs().isEmpty)
    }

    /// SACoche's tables: a MySQL declaration (types, AUTO_INCREMENT, comments, collations, keys by name,
    /// FULLTEXT, engine) that each backend keeps, natively or beside its own DDL.
    static let mysqlSchema = try! MySQLCreateTableParser.parseScript(
        """
        CREATE TABLE sacoche_user (
          user_id mediumint(8) unsigned NOT NULL AUTO_INCREMENT,
          user_genre enum('I','M','F') COLLATE utf8_unicode_ci NOT NULL DEFAULT 'I' COMMENT 'Indéterminé / Masculin / Féminin',
          user_login varchar(30) COLLATE utf8_unicode_ci NOT NULL DEFAULT '',
          user_note tinyint(3) NOT NULL DEFAULT '0',
          user_naissance_date date DEFAULT NULL,
          user_param text COLLATE utf8_unicode_ci,
          PRIMARY KEY (user_id),
          UNIQUE KEY user_login (user_login),
          KEY user_genre (user_genre),
          FULLTEXT KEY user_param (user_param)
        ) ENGINE=MyISAM DEFAULT CHARSET=utf8 COLLATE=utf8_unicode_ci;
        CREATE TABLE sacoche_groupe (
          groupe_id mediumint(8) unsigned NOT NULL AUTO_INCREMENT,
          niveau_id mediumint(8) unsigned NOT NULL DEFAULT '0',
          PRIMARY KEY (groupe_id),
          KEY niveau_id (niveau_id)
        ) ENGINE=MyISAM DEFAULT CHARSET=utf8 COLLATE=utf8_unicode_ci;
        CREATE TABLE sacoche_niveau (
          niveau_id mediumint(8) unsigned NOT NULL AUTO_INCREMENT,
          PRIMARY KEY (niveau_id),
          KEY niveau_id (niveau_id)
        ) ENGINE=MyISAM DEFAULT CHARSET=utf8 COLLATE=utf8_unicode_ci;
        """, entry: "conformance")

    @Test(arguments: BackendUnderTest.all)
    func aMySQLTableIsKeptAsMySQLDeclaredIt(_ under: BackendUnderTest) throws {
        let (backend, cleanup) = try under.make()
        defer { cleanup() }
        let store = backend.establishments
        try store.create(baseID: 4, schema: Self.mysqlSchema)
        defer { try? store.remove(baseID: 4) }
        let read = try store.read(baseID: 4) { try $0.schema() }
        #expect(
            SchemaComparison.differences(expected: Self.mysqlSchema, actual: read).isEmpty,
            "\(SchemaComparison.differences(expected: Self.mysqlSchema, actual: read))")
        let user = try #require(read.table(named: "sacoche_user"))
        #expect(
            user.mysql?.columns.map(\.type) == [
                "mediumint(8) unsigned", "enum('I','M','F')", "varchar(30)", "tinyint(3)", "date", "text",
            ])
        #expect(user.mysql?.columns.first?.autoIncrement == true && user.mysql?.fulltextKeys == ["user_param"])
        #expect(user.mysql?.columns[1].comment == "Indéterminé / Masculin / Féminin")
        #expect(
            Set(user.indexes.map(\.name)) == [
                "sacoche_user.user_login", "sacoche_user.user_genre", "sacoche_user.user_param",
            ])
        // A key name used in two tables (MySQL names keys per table) is no clash.
        #expect(read.table(named: "sacoche_groupe")?.indexes.map(\.name) == ["sacoche_groupe.niveau_id"])
        // The types are enforced: out of range, or outside the enum, a row is refused.
        try store.load(baseID: 4) { writer in
            try writer.makeInserter(table: "sacoche_user", columns: ["user_id", "user_genre", "user_login"])
                .insert([.integer(1), .text("F"), .text("zoé")])
        }
        #expect(throws: (any Error).self) {
            try store.load(baseID: 4) { writer in
                try writer.makeInserter(table: "sacoche_user", columns: ["user_id", "user_genre", "user_login"])
                    .insert([.integer(-2), .text("X"), .text("autre")])
            }
        }
        #expect(try store.read(baseID: 4) { try $0.rowCount(of: "sacoche_user") } == 1)
    }

    @Test(arguments: BackendUnderTest.all)
    func aRestoreDefersForeignKeysChecksThemOnceAndDigestsEveryValue(_ under: BackendUnderTest) throws {
        let (backend, cleanup) = try under.make()
        defer { cleanup() }
        let store = backend.establishments
        try store.create(baseID: 1, schema: DatabaseSchema())
        var check = ForeignKeyCheck()
        try store.load(baseID: 1) { writer in
            try writer.create(Self.schema)
            // Children before their parents, as a dump in name order brings them; one orphan.
            let grades = try writer.makeInserter(table: "grades", columns: ["id", "user_id", "label"])
            try grades.insert([.integer(1), .integer(1), .text("Très bien")])
            try grades.insert([.integer(2), .integer(42), .text("orphelin")])
            let users = try writer.makeInserter(table: "users", columns: ["id", "login", "score", "photo"])
            try users.insert([.integer(1), .text("zoé.dupré"), .real(12.5), .blob(Data([0, 255]))])
            check = try writer.foreignKeyViolations(limit: 10)
        }
        #expect(check.total == 1)
        #expect(
            check.violations.first?.description.contains("table grades, row 2: user_id = 42 has no parent row in users")
                == true,
            "\(check.descriptions)")
        let digests = try store.read(baseID: 1) { reader in try reader.tableDigests() }
        var expected = ContentDigest(columns: ["id", "login", "score", "photo"])
        expected.add(row: [.integer(1), .text("zoé.dupré"), .real(12.5), .blob(Data([0, 255]))])
        #expect(digests.first { $0.table == "users" }?.sha256 == expected.finalize())
        #expect(try store.read(baseID: 1) { try $0.integrityProblems() }.isEmpty)
    }

    @Test(arguments: BackendUnderTest.all)
    func aReadSeesOneSnapshotWhileAnotherConnectionWrites(_ under: BackendUnderTest) throws {
        let (backend, cleanup) = try under.make()
        defer { cleanup() }
        let store = backend.establishments
        try store.create(baseID: 1, schema: Self.schema)
        try store.write(baseID: 1) { writer in
            try writer.makeInserter(table: "users", columns: ["id", "login"]).insert([.integer(1), .text("a")])
        }
        let other = try under.reopen(backend).establishments
        let counts = try store.read(baseID: 1) { reader -> (Int64, Int64) in
            let before = try reader.rowCount(of: "users")
            // WAL or MVCC: a writer elsewhere does not change what this snapshot sees.
            let writer = Thread {
                try? other.write(baseID: 1) {
                    try $0.makeInserter(table: "users", columns: ["id", "login"]).insert([.integer(2), .text("b")])
                }
            }
            writer.start()
            Thread.sleep(forTimeInterval: 0.3)
            return (before, try reader.rowCount(of: "users"))
        }
        #expect(counts.0 == counts.1, "the same snapshot throughout a read")
    }
}

/// Results gathered from concurrent claims.
private final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var ids: [[Int64]] = []
    private(set) var errors: [String] = []
    func append(_ value: [Int64]) { lock.withLock { ids.append(value) } }
    func fail(_ error: Error) { lock.withLock { errors.append("\(error)") } }
}
