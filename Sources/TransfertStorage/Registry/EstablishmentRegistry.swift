import Foundation
import TransfertFormats
import TransfertModel

/// Zones and establishments (structures) of a hosting, and the hosting's own identity.
public protocol EstablishmentRegistry: Sendable {
    func zones() throws -> [Zone]
    func zone(id: Int64) throws -> Zone?
    /// Adds a zone and returns it with its new id.
    func addZone(named name: String) throws -> Zone

    func structures() throws -> [Structure]
    func structure(baseID: Int64) throws -> Structure?
    func structure(uai: UAI) throws -> Structure?
    func structure(guid: UUID) throws -> Structure?
    /// Inserts a structure, refusing (with ``RegistryError``) a duplicate id, UAI or GUID.
    func insert(_ structure: Structure) throws
    /// Inserts a structure with the first free id (see ``freeIDs(count:reserved:isFree:)``), chosen and
    /// written in one transaction so that two concurrent callers never get the same id.
    func insertWithNewID(_ structure: Structure, isFree: (Int64) -> Bool) throws -> Structure
    /// Replaces the registered details of `structure.baseID` (zone, UAI, name, place, contact, registration
    /// date) in one transaction; its id, GUID and status never change. Refuses (with ``RegistryError``) an
    /// unknown establishment, a UAI another establishment has and an unknown zone.
    func updateStructure(_ structure: Structure) throws
    /// Removes the registry row and the lock of `baseID` and records `journal` (when given: a rollback
    /// of a registration records nothing), in one transaction.
    func removeStructure(baseID: Int64, journal: JournalEntry?) throws
    /// Records a restore into the existing establishment `baseID` (`transfert restore`): its name, place and
    /// UAI become `details`' when given (`--overwrite-settings`; its id, GUID, zone and contact never
    /// change), and `journal` is recorded, in one transaction. A UAI another establishment has is refused.
    func recordRestore(
        baseID: Int64, details: (denomination: String, localisation: String, uai: UAI?)?, journal: JournalEntry)
        throws

    /// The ids a new establishment would get now, in order: above the largest registered id, not in
    /// `reserved`, and for which `isFree` holds (no database or files left there). The one rule every
    /// caller asks — `structure add`, `import` and its dry run — so they all show the same ids.
    func freeIDs(count: Int, reserved: Set<Int64>, isFree: (Int64) -> Bool) throws -> [Int64]

    /// A stable, random identifier of this hosting, created once by `init`.
    func fingerprint() throws -> String
}
