import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The registry's revision, which the portal polls to know when to read again: every write method of every
/// part of the registry raises it (a write it missed would leave the portal showing an old state), and a
/// read never does (the portal would reload for nothing).
@Suite("Registry revision: every write raises it")
struct RegistryRevisionTests {
    static let at = "2026-11-25T08:00:00Z"

    static func entry(_ id: Int64, _ event: JournalEntry.Event = .imported) -> JournalEntry {
        JournalEntry(event: event, guid: UUID().uuidString.lowercased(), baseID: id, denomination: "Collège \(id)")
    }

    /// Every write method of ``Registry``, by protocol, each run once on a registry with establishments
    /// 7, 8 and 9 (in this order: some need what an earlier one wrote).
    static let writes: [(String, @Sendable (SQLRegistry) throws -> Void)] = [
        ("EstablishmentRegistry.addZone", { _ = try $0.addZone(named: "Académie de Lyon") }),
        ("EstablishmentRegistry.insert", { try $0.insert(registeredStructure(id: 20)) }),
        (
            "EstablishmentRegistry.insertWithNewID",
            { _ = try $0.insertWithNewID(registeredStructure(id: 0)) { _ in true } }
        ),
        (
            "EstablishmentRegistry.updateStructure",
            { registry in
                var structure = try #require(try registry.structure(baseID: 20))
                structure.denomination = "Lycée 20"
                try registry.updateStructure(structure)
            }
        ),
        (
            "EstablishmentRegistry.recordRestore",
            { try $0.recordRestore(baseID: 20, details: nil, journal: entry(20, .restored)) }
        ),
        ("EstablishmentRegistry.removeStructure", { try $0.removeStructure(baseID: 20, journal: entry(20, .removed)) }),
        ("LockRegistry.acquire", { try $0.acquire(.automatic(baseID: 7)) }),
        ("LockRegistry.refreshLocks", { try $0.refreshLocks(baseIDs: [7], at: Date()) }),
        ("LockRegistry.keep", { try $0.keep(baseID: 7, message: "kept") }),
        ("LockRegistry.releaseLock", { try $0.releaseLock(baseID: 7) }),
        (
            "LockRegistry.locks(at:) clearing a stale lock",
            { registry in
                try registry.acquire(
                    StructureLock(
                        baseID: 8, kind: .backup, message: "dump", ownerPID: 1, ownerHost: "elsewhere", createdAt: at))
                let before = try registry.revision()
                #expect(try registry.locks(at: Date()).cleared.count == 1)
                #expect(try registry.revision() > before)
            }
        ),
        (
            "AccessLockRegistry.setAccessLock",
            {
                _ = try $0.setAccessLock(AccessLock(kind: .webmaster, baseID: 8, reason: "r", setBy: "t", since: at))
            }
        ),
        ("AccessLockRegistry.removeAccessLocks", { _ = try $0.removeAccessLocks(kinds: [.webmaster], baseID: 8) }),
        (
            "MaintenanceRegistry.saveMaintenanceWindow",
            { registry in
                let start = Date().addingTimeInterval(3_600)
                _ = try registry.saveMaintenanceWindow(
                    MaintenanceWindow(
                        type: .database, scope: .establishments([8]), start: start, end: start.addingTimeInterval(600),
                        plannedBy: "t")
                ) { _ in }
            }
        ),
        (
            "MoveRegistry.confirmMoves",
            { registry in
                let structure = try #require(try registry.structure(baseID: 9))
                try registry.confirmMoves(
                    [
                        ConfirmedMove(
                            baseID: 9, guid: structure.guid.uuidString.lowercased(), denomination: "Collège 9",
                            localisation: "Paris", uai: nil, targetServer: "b", targetFingerprint: "f", newID: 3,
                            accessURL: "https://b.example.org/?id=3", bundle: "bundle", receiptSHA256: "00",
                            confirmedAt: at)
                    ], journal: [])
            }
        ),
        ("TransferJournal.record", { try $0.record(entry(8, .exported)) }),
        (
            "OutboxRegistry.addOutboxMessage",
            {
                try $0.addOutboxMessage(
                    OutboxMessage(
                        file: "a.eml", kind: .letter, baseID: 8, guid: nil, recipient: "a@b.fr", subject: "s",
                        messageID: "<m@b>"), replacing: [])
            }
        ),
        (
            "OutboxRegistry.recordDeliveryAttempt",
            {
                try $0.recordDeliveryAttempt(file: "a.eml", DeliveryAttempt(state: .sent, reply: "250 ok"))
            }
        ),
        ("OutboxRegistry.removeOutboxMessages", { try $0.removeOutboxMessages(files: ["a.eml"]) }),
        ("ImportRunRegistry.startImportRun", { _ = try $0.startImportRun(bundle: "b.zip") }),
        ("ImportRunRegistry.finishImportRun", { try $0.finishImportRun(id: 1, complete: true) }),
        (
            "ImportRunRegistry.claimForImport",
            {
                _ = try $0.claimForImport([registeredStructure(id: 30)], reserved: []) { _ in true }
            }
        ),
        ("ImportRunRegistry.completeImport", { try $0.completeImport(baseID: 30, journal: entry(30)) }),
        ("LetterLanguageRegistry.setLetterLanguage", { try $0.setLetterLanguage("en", baseID: 8) }),
    ]

    @Test func everyWriteMethodRaisesTheRevision() throws {
        let registry = try inMemoryRegistry(establishments: [7, 8, 9])
        for (name, write) in Self.writes {
            let before = try registry.revision()
            try write(registry)
            #expect(try registry.revision() > before, "\(name) wrote without raising the revision")
        }
    }

    @Test func readsLeaveItAlone() throws {
        let registry = try inMemoryRegistry(establishments: [7, 8])
        let before = try registry.revision()
        _ = try registry.structures()
        _ = try registry.maintenanceWindows()
        _ = try registry.maintenanceWindows(openAfter: Date())
        _ = try registry.accessLocks()
        _ = try registry.storedLocks()
        _ = try registry.moves()
        _ = try registry.outboxMessages()
        _ = try registry.journal(guid: nil)
        _ = try AccessSnapshot.load(
            from: registry, settings: AccessSnapshotTests.settings, at: Date())
        #expect(try registry.revision() == before)
    }

    @Test func aRefusedWriteLeavesItAlone() throws {
        // Rolled back with the rest of the transaction: the portal has nothing new to read.
        let registry = try inMemoryRegistry(establishments: [7])
        let before = try registry.revision()
        #expect(throws: (any Error).self) { try registry.insert(registeredStructure(id: 7)) }
        #expect(try registry.revision() == before)
    }
}
