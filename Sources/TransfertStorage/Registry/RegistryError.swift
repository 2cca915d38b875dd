import Foundation
import TransfertFormats
import TransfertModel

/// A registry constraint that an operation would break.
public enum RegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    case duplicateBaseID(Int64)
    case duplicateUAI(String, hostedBy: Int64)
    case duplicateGUID(UUID, hostedBy: Int64)
    case unknownZone(Int64)
    case unknownStructure(Int64)
    case notInitialised(String)
    /// A row no version of Transfert writes (the registry was edited by hand).
    case corruptRow(table: String, key: String, reason: String)
    /// No id is left above the largest registered one (it is 9223372036854775807, or the few above it
    /// are taken): the free-id rule has nothing to give.
    case noFreeIDAbove(Int64)

    public var description: String {
        switch self {
        case .duplicateBaseID(let id):
            return "id \(id) is already used by another establishment: choose a free id or leave it out"
        case .duplicateUAI(let uai, let id):
            return "UAI \(uai) is already hosted here (establishment \(id))"
        case .duplicateGUID(let guid, let id):
            return
                "GUID \(guid.uuidString.lowercased()) is already hosted here (establishment \(id)): the same establishment cannot be hosted twice"
        case .unknownZone(let id):
            return "zone \(id) does not exist: list zones with `transfert zone list`"
        case .unknownStructure(let id):
            return "no establishment has id \(id): list them with `transfert structure list`"
        case .notInitialised(let path):
            return "\(path) is not an initialised hosting: run `transfert init` first"
        case .corruptRow(let table, let key, let reason):
            return
                "the registry's \(table) row \(key) is damaged: \(reason); correct or delete that row, then try again"
        case .noFreeIDAbove(let id):
            return
                "no free id is left above the largest registered id \(id) (new ids are taken above it, up to \(Int64.max)): give each new establishment its id yourself (Id_Import in the CSV, --id for structure add)"
        }
    }
}

extension RegistryError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .duplicateBaseID: return .registryDuplicateBaseID
        case .duplicateUAI: return .registryDuplicateUAI
        case .duplicateGUID: return .registryDuplicateGUID
        case .unknownZone: return .registryUnknownZone
        case .unknownStructure: return .registryUnknownStructure
        case .notInitialised: return .registryNotInitialised
        case .corruptRow: return .registryCorruptRow
        case .noFreeIDAbove: return .registryNoFreeIDAbove
        }
    }
}
