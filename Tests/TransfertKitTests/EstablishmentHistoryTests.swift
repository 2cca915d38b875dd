import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// ``EstablishmentHistory/find(_:in:serverName:)`` on a registry in memory: an establishment found by id
/// (registered, moved away, or only in the journal), by UAI and by GUID, and its path from the journal.
@Suite("Establishment history from the journal, on an in-memory registry")
struct EstablishmentHistoryTests {
    static let here = "serveur-b"
    let registry: SQLRegistry
    let guid = UUID()
    var key: String { guid.uuidString.lowercased() }

    /// Establishment 12 came from serveur-a (#3), was exported here and confirmed on serveur-c (#7).
    init() throws {
        registry = try inMemoryRegistry()
        var structure = registeredStructure(id: 12, guid: guid)
        structure.uai = try UAI(validating: "0750001U")
        try registry.insert(structure)
        let start = Date(timeIntervalSince1970: 1_796_000_000)
        let entries = [
            JournalEntry(
                event: .imported, guid: key, baseID: 12, denomination: "Collège 12", sourceServer: "serveur-a",
                sourceBaseID: 3, uai: "0750001U", at: start),
            JournalEntry(
                event: .receiptWritten, guid: key, baseID: 12, denomination: "Collège 12", sourceServer: "serveur-a",
                sourceBaseID: 3, targetServer: Self.here, targetBaseID: 12, at: start.addingTimeInterval(1)),
            JournalEntry(
                event: .exported, guid: key, baseID: 12, denomination: "Collège 12", at: start.addingTimeInterval(60)),
            JournalEntry(
                event: .confirmed, guid: key, baseID: 12, denomination: "Collège 12", targetServer: "serveur-x",
                targetBaseID: 9, outcome: .refused, at: start.addingTimeInterval(100)),
            JournalEntry(
                event: .confirmed, guid: key, baseID: 12, denomination: "Collège Douze", targetServer: "serveur-c",
                targetBaseID: 7, at: start.addingTimeInterval(120)),
        ]
        for entry in entries { try registry.record(entry) }
    }

    func path(_ history: EstablishmentHistory) -> [String] { history.path.map { "\($0.server)#\($0.id)" } }

    @Test func byIDWhileRegisteredItsWholePathAndEveryEvent() throws {
        let histories = try EstablishmentHistory.find(.id(12), in: registry, serverName: Self.here)
        #expect(histories.count == 1)
        let history = try #require(histories.first)
        #expect(history.guid == key)
        #expect(
            path(history) == ["serveur-a#3", "serveur-b#12", "serveur-c#7"], "a refused confirmation is not a step")
        #expect(history.events.map(\.event) == [.imported, .receiptWritten, .exported, .confirmed, .confirmed])
        #expect(history.denomination == "Collège Douze", "the name of its latest event")
    }

    @Test func theServerNameGivenNamesTheStepsMadeHere() throws {
        let history = try #require(try EstablishmentHistory.find(.id(12), in: registry, serverName: "autre-nom").first)
        #expect(path(history) == ["serveur-a#3", "autre-nom#12", "serveur-c#7"])
    }

    @Test func byIDOnceRemovedThroughItsMoveOrTheJournal() throws {
        let structure = try #require(try registry.structure(baseID: 12))
        let move = ConfirmedMove(
            baseID: 12, guid: key, denomination: structure.denomination, localisation: structure.localisation,
            uai: "0750001U", targetServer: "serveur-c", targetFingerprint: "fc", newID: 7,
            accessURL: "https://c.example.org/?id=7", bundle: "bases_dump_x",
            receiptSHA256: String(repeating: "0", count: 64), confirmedAt: "2026-12-01T10:00:00Z")
        try registry.confirmMoves([move], journal: [])
        try registry.removeStructure(
            baseID: 12, journal: JournalEntry(event: .removed, guid: key, baseID: 12, denomination: "Collège Douze"))
        let moved = try #require(try EstablishmentHistory.find(.id(12), in: registry, serverName: Self.here).first)
        #expect(moved.guid == key && moved.events.last?.event == .removed)
        #expect(path(moved) == ["serveur-a#3", "serveur-b#12", "serveur-c#7"], "leaving is not a new place")

        // An establishment removed without a move: only the journal knows it.
        let other = "0f1e2d3c-0000-4000-8000-000000000020"
        try registry.record(JournalEntry(event: .exported, guid: other, baseID: 20, denomination: "Lycée 20"))
        try registry.record(JournalEntry(event: .removed, guid: other, baseID: 20, denomination: "Lycée 20"))
        let removed = try #require(try EstablishmentHistory.find(.id(20), in: registry, serverName: Self.here).first)
        #expect(removed.guid == other && path(removed) == ["serveur-b#20"])
    }

    @Test func byUAIEveryEstablishmentThatCarriedItAndByGUIDInAnyCase() throws {
        // A copy imported earlier under the same UAI, with a GUID of its own.
        let copy = "0f1e2d3c-0000-4000-8000-000000000030"
        try registry.record(
            JournalEntry(
                event: .imported, guid: copy, baseID: 30, denomination: "Copie", sourceServer: "serveur-d",
                sourceBaseID: 1, uai: "0750001u"))
        let histories = try EstablishmentHistory.find(.uai("0750001u"), in: registry, serverName: Self.here)
        #expect(histories.map(\.guid) == [key, copy], "the registered one first, then the journal's")
        #expect(
            try EstablishmentHistory.find(.guid(guid.uuidString.uppercased()), in: registry, serverName: Self.here).map(
                \.guid) == [key])
    }

    @Test func whatTheHostingDoesNotKnowIsEmpty() throws {
        #expect(try EstablishmentHistory.find(.id(99), in: registry, serverName: Self.here).isEmpty)
        #expect(try EstablishmentHistory.find(.uai("0999999Z"), in: registry, serverName: Self.here).isEmpty)
        #expect(try EstablishmentHistory.find(.guid(UUID().uuidString), in: registry, serverName: Self.here).isEmpty)
    }
}
