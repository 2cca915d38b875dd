import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// ``LetterVariables`` from a registry in memory, a configuration value and a files directory, no hosting:
/// where an establishment came from is read from its latest import under its current id.
@Suite("Letter variables from the journal, on an in-memory registry")
struct LetterVariablesTests {
    let directory: TemporaryDirectory
    let registry: SQLRegistry
    let structure: Structure
    static let configuration = HostingConfiguration(
        serverName: "serveur-b", baseURL: "https://b.example.org/sacoche/",
        webmaster: .init(name: "Joël Lefèvre", email: "webmestre@b.ac-paris.fr"),
        projectSite: "https://sacoche.sesamath.net/")
    static let importedAt = ISO8601DateFormatter().date(from: "2026-11-23T12:00:00Z")!
    static let today = ISO8601DateFormatter().date(from: "2026-11-25T12:00:00Z")!

    init() throws {
        directory = try TemporaryDirectory()
        registry = try inMemoryRegistry(establishments: [7])
        structure = try #require(try registry.structure(baseID: 7))
    }

    var files: URL { directory.path("files/7") }

    func variables() throws -> LetterVariables {
        try LetterVariables(
            structure: structure, registry: registry, configuration: Self.configuration, filesDirectory: files,
            today: Self.today)
    }

    func imported(baseID: Int64, from server: String, id: Int64, details: String? = nil, at date: Date) -> JournalEntry
    {
        JournalEntry(
            event: .imported, guid: structure.guid.uuidString.lowercased(), baseID: baseID,
            denomination: structure.denomination,
            sourceServer: server, sourceBaseID: id, details: details, at: date)
    }

    @Test func anEstablishmentCreatedHereHasNoPastAndItsFilesSayWhetherTheyMoved() throws {
        let created = try variables()
        #expect(created.oldServer == nil && created.oldID == nil && created.movedOn == nil && created.movedOnDay == nil)
        #expect(
            created.values["old_server"] == nil && created.values["moved_on"] == nil,
            "absent, so their sections render nothing")
        #expect(!created.filesMoved, "no files directory")
        #expect(created.zone == "Académie de Paris")
        #expect(created.accessURL == "https://b.example.org/sacoche/?id=7" && created.serverName == "serveur-b")
        #expect(created.webmasterName == "Joël Lefèvre" && created.webmasterEmail == "webmestre@b.ac-paris.fr")
        #expect(created.projectSite == "https://sacoche.sesamath.net/" && created.date == "25/11/2026")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        #expect(try !variables().filesMoved, "an empty files directory")
        try Data("logo".utf8).write(to: files.appendingPathComponent("logo.png"))
        #expect(try variables().filesMoved)
    }

    @Test func theLatestImportUnderItsCurrentIDSaysWhereItCameFrom() throws {
        try registry.record(
            imported(baseID: 7, from: "serveur-x", id: 1, at: Self.importedAt.addingTimeInterval(-86_400 * 30)))
        try registry.record(
            imported(
                baseID: 7, from: "serveur-a", id: 3, details: "restored; \(JournalEntry.filesNotIncludedNote)",
                at: Self.importedAt))
        // An import under another id (the establishment was given a new one since) is not this one's.
        try registry.record(
            imported(baseID: 5, from: "serveur-z", id: 9, at: Self.importedAt.addingTimeInterval(3_600)))
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        try Data("logo".utf8).write(to: files.appendingPathComponent("logo.png"))

        let moved = try variables()
        #expect(moved.oldServer == "serveur-a" && moved.oldID == 3)
        #expect(moved.movedOn == "23/11/2026" && moved.movedOnDay == Self.importedAt)
        #expect(!moved.filesMoved, "the import says its files were not included, whatever is on disk now")
        #expect(moved.values["old_id"] as? String == "3")

        try registry.record(imported(baseID: 7, from: "serveur-c", id: 4, at: Self.importedAt.addingTimeInterval(60)))
        let again = try variables()
        #expect(again.oldServer == "serveur-c" && again.filesMoved, "the latest import decides")
    }
}
