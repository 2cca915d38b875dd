import Foundation

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// A registry in memory (`SQLRegistry.inMemory()`) with one zone and establishments `ids`: what the workflows
/// that take the registry's narrow protocols are tested on, with no hosting directory.
func inMemoryRegistry(establishments ids: [Int64] = []) throws -> SQLRegistry {
    let registry = try SQLRegistry.inMemory()
    let zone = try registry.addZone(named: "Académie de Paris")
    for id in ids { try registry.insert(registeredStructure(id: id, zoneID: zone.id)) }
    return registry
}

/// An establishment as the registry holds it, id `id`, its UAI and address made from the id.
func registeredStructure(id: Int64, zoneID: Int64 = 1, guid: UUID = UUID()) -> Structure {
    Structure(
        baseID: id, guid: guid, zoneID: zoneID, uai: nil, localisation: "Paris", denomination: "Collège \(id)",
        contactNom: "Dupré", contactPrenom: "Hélène",
        contactCourriel: try! EmailAddress(validating: "contact\(id)@ac-paris.fr"),
        inscriptionDate: try! CalendarDate(parsing: "2024-09-02"))
}
