import Foundation
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
}
