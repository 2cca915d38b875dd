import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What an operator changes in a registered establishment (`structure edit`): each field given replaces
/// the registered one, a field left `nil` stays as it is. Its id and GUID never change (users' addresses
/// and moves' journals hold them); an empty `uai` removes the UAI.
public struct StructureChanges: Sendable {
    public var zoneID: Int64?
    public var uai: String?
    public var localisation: String?
    public var denomination: String?
    public var contactNom: String?
    public var contactPrenom: String?
    public var contactCourriel: String?
    public var inscriptionDate: CalendarDate?

    public init(
        zoneID: Int64? = nil, uai: String? = nil, localisation: String? = nil, denomination: String? = nil,
        contactNom: String? = nil, contactPrenom: String? = nil, contactCourriel: String? = nil,
        inscriptionDate: CalendarDate? = nil
    ) {
        self.zoneID = zoneID
        self.uai = uai
        self.localisation = localisation
        self.denomination = denomination
        self.contactNom = contactNom
        self.contactPrenom = contactPrenom
        self.contactCourriel = contactCourriel
        self.inscriptionDate = inscriptionDate
    }

    public var isEmpty: Bool {
        zoneID == nil && uai == nil && localisation == nil && denomination == nil && contactNom == nil
            && contactPrenom == nil && contactCourriel == nil && inscriptionDate == nil
    }
}

/// Why an establishment's details cannot be changed at all (before any field is looked at).
public enum StructureEditError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Only an open establishment is edited: one being imported belongs to its import, a moved one to its
    /// new server.
    case notActive(baseID: Int64, status: Structure.Status)

    public var description: String {
        switch self {
        case .notActive(let id, let status):
            return
                "establishment \(id) is \(status.rawValue): only an active establishment's details can be changed"
        }
    }
}

extension StructureEditError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .notActive: return .structureInvalid
        }
    }
}

extension Hosting {
    /// Applies `changes` to establishment `baseID` after the same checks as `structure add`
    /// (``validate(_:)``: every broken rule listed, with its field), in one registry transaction.
    /// Returns the establishment as now registered.
    @discardableResult
    public func editStructure(baseID: Int64, changes: StructureChanges) throws -> Structure {
        guard let current = try registry.structure(baseID: baseID) else {
            throw RegistryError.unknownStructure(baseID)
        }
        guard current.status == .active else {
            throw StructureEditError.notActive(baseID: baseID, status: current.status)
        }
        let input = NewStructure(
            zoneID: changes.zoneID ?? current.zoneID, uai: changes.uai ?? current.uai?.rawValue,
            localisation: changes.localisation ?? current.localisation,
            denomination: changes.denomination ?? current.denomination,
            contactNom: changes.contactNom ?? current.contactNom,
            contactPrenom: changes.contactPrenom ?? current.contactPrenom,
            contactCourriel: changes.contactCourriel ?? current.contactCourriel.rawValue,
            inscriptionDate: changes.inscriptionDate ?? current.inscriptionDate)
        var updated = try validate(input, editing: baseID)
        updated.baseID = current.baseID
        updated.guid = current.guid
        updated.status = current.status
        do { try registry.updateStructure(updated) } catch let error as RegistryError {
            // A UAI or zone that changed between the checks and the write: the same field-level refusal.
            switch error {
            case .duplicateUAI:
                throw StructureValidationError(
                    problems: [.field("uai", code: .structureTaken, error.description)], outcome: "changed")
            case .unknownZone:
                throw StructureValidationError(
                    problems: [.field("zone_id", code: .structureInvalidValue, error.description)], outcome: "changed")
            default: throw error
            }
        }
        return updated
    }
}
