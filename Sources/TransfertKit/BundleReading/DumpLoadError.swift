import Foundation

/// Why a dump could not be restored.
public enum DumpLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not the ones the manifest describes (or the ZIP is damaged).
    case damaged(String)
    /// The dump holds something the archive format does not allow, at a position.
    case refused(DumpParseError)

    public var description: String {
        switch self {
        case .damaged(let reason): return reason
        case .refused(let error): return "refused: \(error)"
        }
    }
}
