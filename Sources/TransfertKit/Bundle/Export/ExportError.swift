import Foundation

public enum ExportError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptySelection
    case outputNotWritable(String, reason: String)
    case establishmentFailed(baseID: Int64, name: String, reason: String)

    public var description: String {
        switch self {
        case .emptySelection:
            return "nothing to export: the selection matches no establishment (see `transfert structure list`)"
        case .outputNotWritable(let path, let reason):
            return "cannot write the export to \(path): \(reason); choose another --out directory"
        case .establishmentFailed(let id, let name, let reason):
            return "export of establishment \(id) (\(name)) failed: \(reason). Nothing was written and every lock was released."
        }
    }
}
