import Foundation
import Synchronization
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The receipt of an import, written with no hosting on disk: a directory for the key, an in-memory
/// registry for the fingerprint and the journal, and a configuration value.
@Suite("Receipt writer on an in-memory registry")
struct ReceiptWriterTests {
    static let configuration = HostingConfiguration(
        serverName: "serveur-b", baseURL: "https://b.example.org/sacoche/",
        webmaster: .init(name: "Joël Lefèvre", email: "webmestre@b.ac-paris.fr"),
        projectSite: "https://sacoche.sesamath.net/")

    @Test func theReceiptIsSignedWithTheDirectorysKeyAndJournaled() throws {
        let directory = try TemporaryDirectory()
        let registry = try inMemoryRegistry(establishments: [12])
        let guid = UUID().uuidString.lowercased()
        let tables = [TableDigest(table: "élèves", rows: 3, sha256: String(repeating: "a", count: 64))]
        let establishment = BundleManifest.Establishment(
            nomFichier: "base_1", guid: guid, baseID: 1, uai: nil, denomination: "Collège 12",
            schemaVersion: "2026-09-01", tables: tables, schema: DatabaseSchema(), schemaNotes: [], entries: [],
            dumpBytes: 0, dumpSHA256: String(repeating: "b", count: 64), files: [])
        let bundle = BundleManifest(
            toolVersion: "1.0.0",
            source: .init(
                serverName: "serveur-a", baseURL: "https://a.example.org/", fingerprint: "fa",
                backend: "SQLite", applicationProfile: "school"),
            createdAt: "2026-11-25T08:00:00Z", options: .init(includeFiles: true, keepLocked: false),
            establishments: [establishment])
        let outcome = ImportOutcome(
            line: 2, newID: 12, idExport: 1, guid: guid, zoneID: 1, localisation: "Paris",
            denomination: "Collège 12", uai: nil, contactNom: "Martin", contactPrenom: "Anne",
            contactCourriel: "anne.martin@ac-paris.fr", accessURL: nil, outcome: .imported, reason: nil,
            problem: nil, tables: 1, rows: 3, seconds: nil, structure: nil)
        var writer = ReceiptWriter(directory: directory.url, registry: registry, configuration: Self.configuration)
        let url = try #require(
            try writer.write(
                to: directory.path("bases_dump_x.receipt.json"), bundle: bundle, bundleName: "bases_dump_x",
                zipSHA256: String(repeating: "0", count: 64), hosted: [(outcome, establishment)], note: nil))

        let (receipt, _) = try ImportReceipt.read(contentsOf: url)
        try ReceiptKey.verify(receipt)
        #expect(receipt.target.publicKey == (try ReceiptKey.load(in: directory.url).publicKeyBase64))
        #expect(receipt.target.fingerprint == (try registry.fingerprint()))
        #expect(receipt.establishments.map(\.newID) == [12])
        #expect(receipt.establishments.first?.accessURL == Self.configuration.accessURL(baseID: 12))
        #expect(writer.journalProblems.isEmpty)
        #expect(try registry.journal(guid: guid).map(\.event) == [.receiptWritten])
    }

    /// Issue #29: a receipt of many establishments journals them in one transaction (one commit, not one
    /// per establishment: that was the import's longest serial tail at 300 establishments), every line kept.
    @Test func aReceiptOfManyEstablishmentsJournalsThemInOneTransaction() throws {
        let directory = try TemporaryDirectory()
        let ids: [Int64] = Array(12...31)
        let registry = JournalCountingRegistry(try inMemoryRegistry(establishments: ids))
        var hosted: [(outcome: ImportOutcome, establishment: BundleManifest.Establishment)] = []
        var establishments: [BundleManifest.Establishment] = []
        for (index, id) in ids.enumerated() {
            let guid = UUID().uuidString.lowercased()
            let establishment = BundleManifest.Establishment(
                nomFichier: "base_\(index + 1)", guid: guid, baseID: Int64(index + 1), uai: nil,
                denomination: "Collège \(id)", schemaVersion: "2026-09-01",
                tables: [TableDigest(table: "élèves", rows: 3, sha256: String(repeating: "a", count: 64))],
                schema: DatabaseSchema(), schemaNotes: [], entries: [], dumpBytes: 0,
                dumpSHA256: String(repeating: "b", count: 64), files: [])
            establishments.append(establishment)
            hosted.append(
                (
                    ImportOutcome(
                        line: index + 2, newID: id, idExport: Int64(index + 1), guid: guid, zoneID: 1,
                        localisation: "Paris", denomination: "Collège \(id)", uai: nil, contactNom: "Martin",
                        contactPrenom: "Anne", contactCourriel: "anne.martin@ac-paris.fr", accessURL: nil,
                        outcome: .imported, reason: nil, problem: nil, tables: 1, rows: 3, seconds: nil,
                        structure: nil),
                    establishment
                ))
        }
        let bundle = BundleManifest(
            toolVersion: "1.0.0",
            source: .init(
                serverName: "serveur-a", baseURL: "https://a.example.org/", fingerprint: "fa",
                backend: "SQLite", applicationProfile: "school"),
            createdAt: "2026-11-25T08:00:00Z", options: .init(includeFiles: true, keepLocked: false),
            establishments: establishments)
        var writer = ReceiptWriter(directory: directory.url, registry: registry, configuration: Self.configuration)
        _ = try writer.write(
            to: directory.path("bases_dump_x.receipt.json"), bundle: bundle, bundleName: "bases_dump_x",
            zipSHA256: String(repeating: "0", count: 64), hosted: hosted, note: nil)

        #expect(writer.journalProblems.isEmpty)
        #expect(registry.calls.withLock { $0 } == 1, "one journal call (one transaction) for the whole receipt")
        let lines = try registry.journal(guid: nil).filter { $0.event == .receiptWritten }
        #expect(lines.map(\.baseID).sorted() == ids)
    }
}

/// Forwards to an in-memory registry, counting the calls that write journal lines.
final class JournalCountingRegistry: EstablishmentRegistry, TransferJournal {
    let base: SQLRegistry
    let calls = Mutex(0)

    init(_ base: SQLRegistry) { self.base = base }

    func record(_ entry: JournalEntry) throws {
        calls.withLock { $0 += 1 }
        try base.record(entry)
    }
    func record(_ entries: [JournalEntry]) throws {
        calls.withLock { $0 += 1 }
        try base.record(entries)
    }
    func journal(guid: String?) throws -> [JournalEntry] { try base.journal(guid: guid) }

    func zones() throws -> [Zone] { try base.zones() }
    func zone(id: Int64) throws -> Zone? { try base.zone(id: id) }
    func addZone(named name: String) throws -> Zone { try base.addZone(named: name) }
    func structures() throws -> [Structure] { try base.structures() }
    func structure(baseID: Int64) throws -> Structure? { try base.structure(baseID: baseID) }
    func structure(uai: UAI) throws -> Structure? { try base.structure(uai: uai) }
    func structure(guid: UUID) throws -> Structure? { try base.structure(guid: guid) }
    func insert(_ structure: Structure) throws { try base.insert(structure) }
    func insertWithNewID(_ structure: Structure, isFree: (Int64) -> Bool) throws -> Structure {
        try base.insertWithNewID(structure, isFree: isFree)
    }
    func updateStructure(_ structure: Structure) throws { try base.updateStructure(structure) }
    func removeStructure(baseID: Int64, journal: JournalEntry?) throws {
        try base.removeStructure(baseID: baseID, journal: journal)
    }
    func recordRestore(
        baseID: Int64, details: (denomination: String, localisation: String, uai: UAI?)?, journal: JournalEntry
    ) throws {
        try base.recordRestore(baseID: baseID, details: details, journal: journal)
    }
    func freeIDs(count: Int, reserved: Set<Int64>, isFree: (Int64) -> Bool) throws -> [Int64] {
        try base.freeIDs(count: count, reserved: reserved, isFree: isFree)
    }
    func fingerprint() throws -> String { try base.fingerprint() }
}
