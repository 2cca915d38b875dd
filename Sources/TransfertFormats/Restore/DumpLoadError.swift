import Foundation
import TransfertModel

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

extension DumpLoadError: LocatedError {
    public var problemCode: ProblemCode {
        switch self {
        case .damaged: return .archiveDamaged
        case .refused(let error): return error.problemCode
        }
    }
    public var location: ProblemLocation? {
        switch self {
        case .damaged: return nil
        case .refused(let error): return error.location
        }
    }
}
