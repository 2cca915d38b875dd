import Foundation
import TransfertModel

/// A bundle's two files given the wrong way: what was typed, what was meant, the command line to type.
public enum BundleFilePairError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The ZIP where the CSV goes and a text file where the ZIP goes.
    case swapped(csv: String, zip: String, command: String)
    /// One file given as both.
    case sameFile(String, command: String)
    /// A ZIP archive where the CSV manifest goes (and no text file where the ZIP goes).
    case zipInsteadOfManifest(String, command: String)

    public var description: String {
        switch self {
        case .swapped(let csv, let zip, let command):
            return
                "the arguments are swapped: CSV first, then ZIP. \(csv) is a ZIP archive and \(zip) is not: type `\(command) \(zip) \(csv)`"
        case .sameFile(let path, let command):
            return
                "\(path) was given twice: give the bundle's CSV manifest, then its ZIP (the two files share a name: `\(command) bases_dump_….csv bases_dump_….zip`)"
        case .zipInsteadOfManifest(let path, let command):
            return
                "\(path) is a ZIP archive, not the bundle's CSV manifest (whatever its name): give the CSV first, then the ZIP, e.g. `\(command) bases_dump_….csv bases_dump_….zip` (the CSV is the .csv file exported beside the ZIP)"
        }
    }
}

extension BundleFilePairError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .swapped: return .bundleFilePairSwapped
        case .sameFile: return .bundleFilePairSameFile
        case .zipInsteadOfManifest: return .bundleFilePairZIPInsteadOfManifest
        }
    }
}
