import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

public enum ExportError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptySelection
    case outputNotWritable(String, reason: String)
    case establishmentFailed(baseID: Int64, name: String, reason: String)
    /// Establishments confirmed as living elsewhere: their data here is the old copy.
    case moved([Int64])

    public var description: String {
        switch self {
        case .emptySelection:
            return "nothing to export: the selection matches no establishment (see `transfert structure list`)"
        case .outputNotWritable(let path, let reason):
            return "cannot write the export to \(path): \(reason); choose another --out directory"
        case .establishmentFailed(let id, let name, let reason):
            return
                "export of establishment \(id) (\(name)) failed: \(reason). Nothing was written and every lock was released."
        case .moved(let ids):
            let list = ids.map(String.init).joined(separator: ", ")
            return
                "establishment\(ids.count == 1 ? "" : "s") \(list) moved to another server (confirmed): what is here is the old copy, not worth exporting. Remove \(ids.count == 1 ? "it" : "them") with `transfert structure remove --ids \(ids.map(String.init).joined(separator: ","))`, or leave \(ids.count == 1 ? "it" : "them") out of the selection"
        }
    }
}

extension ExportError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .emptySelection: return .exportEmptySelection
        case .outputNotWritable: return .exportOutputNotWritable
        case .establishmentFailed: return .exportEstablishmentFailed
        case .moved: return .exportMoved
        }
    }
}
