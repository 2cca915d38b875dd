import Foundation

public enum BundleError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileChanged(String)

    public var description: String {
        switch self {
        case .fileChanged(let path): return "\(path) changed while it was being exported: run the export again"
        }
    }
}
