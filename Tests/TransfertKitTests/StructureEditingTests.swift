import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// `structure edit` (``Hosting/editStructure(baseID:changes:)``): the rules of `structure add`, every broken
/// one listed with its field, its own UAI not "already hosted" by itself, nothing changed on refusal.
@Suite("Structure editing")
struct StructureEditingTests {
    @Test("Only the fields given change; id, GUID and its own UAI stay")
    func changesOnlyWhatIsGiven() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        let added = try hosting.addStructure(newStructure(uai: "0750001U"))
        let edited = try hosting.editStructure(
            baseID: added.baseID, changes: StructureChanges(uai: "0750001U", contactNom: "  Martin "))
        #expect(edited.contactNom == "Martin")
        #expect(edited.baseID == added.baseID)
        #expect(edited.guid == added.guid)
        #expect(edited.denomination == added.denomination)
        #expect(edited.uai == added.uai)
        #expect(try hosting.registry.structure(baseID: added.baseID) == edited)
        let withoutUAI = try hosting.editStructure(baseID: added.baseID, changes: StructureChanges(uai: ""))
        #expect(withoutUAI.uai == nil)
    }

    @Test("Every broken rule is listed with its field, and nothing changes")
    func refusedWithFields() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        let first = try hosting.addStructure(newStructure(uai: "0750001U"))
        _ = try hosting.addStructure(newStructure(uai: "0250010A", email: "autre@ac-besancon.fr"))
        let error = try #require(throws: StructureValidationError.self) {
            try hosting.editStructure(
                baseID: first.baseID,
                changes: StructureChanges(
                    zoneID: 42, uai: "0250010A", denomination: "  ", contactCourriel: "pas-une-adresse"))
        }
        #expect(
            Set(error.problems.compactMap { $0.location?.field }) == [
                "uai", "zone_id", "denomination", "contact_courriel",
            ])
        #expect(error.description.hasPrefix("the establishment was not changed"))
        #expect(try hosting.registry.structure(baseID: first.baseID) == first)
    }

    @Test("An unknown id, or an establishment that is not active, is refused before any field")
    func onlyActiveEstablishments() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        #expect(throws: RegistryError.unknownStructure(9)) {
            try hosting.editStructure(baseID: 9, changes: StructureChanges(denomination: "x"))
        }
        var importing = try hosting.addStructure(newStructure(uai: nil))
        importing.status = .importing
        try hosting.registry.removeStructure(baseID: importing.baseID, journal: nil)
        try hosting.registry.insert(importing)
        #expect(throws: StructureEditError.notActive(baseID: importing.baseID, status: .importing)) {
            try hosting.editStructure(baseID: importing.baseID, changes: StructureChanges(denomination: "x"))
        }
    }
}
