import Crypto
import Foundation
import TransfertModel

public enum BundleReadError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing(String)
    case notAZip(String)
    /// The ZIP's structure is refused (``ZIPCentralDirectory``): why, in words.
    case malformed(String, reason: String)
    case noManifest(String)
    case invalidManifest(String, reason: String)
    case newerFormat(String, found: Int)
    case missingEntry(String)
    case damagedEntry(String, reason: String)
    case unsafe(String, problems: [Problem])
    case unreadable(String, problems: [Problem])

    public var description: String {
        switch self {
        case .missing(let path): return "\(path) does not exist"
        case .notAZip(let path):
            return "\(path) is not a readable ZIP (truncated or damaged): copy it again from the source server"
        case .malformed(let path, let reason):
            return
                "\(path) is not a readable ZIP (truncated or damaged): \(reason). Copy it again from the source server, or export it again"
        case .noManifest(let path): return "\(path) has no manifest.json: it is not a Transfert bundle"
        case .invalidManifest(let path, let reason): return "\(path): manifest.json is invalid (\(reason))"
        case .newerFormat(let path, let found):
            return
                "\(path) uses archive format \(found), newer than the format \(BundleFormat.version) this Transfert (\(TransfertKitVersion.current)) reads: upgrade Transfert on this server"
        case .missingEntry(let path): return "entry \(path) is missing from the ZIP"
        case .damagedEntry(let path, let reason): return "entry \(path) is damaged: \(reason)"
        case .unreadable(let path, let problems):
            return "\(path) cannot be read:\n" + problems.map { "  - \($0.message)" }.joined(separator: "\n")
        case .unsafe(let path, let problems):
            return "\(path) is refused as unsafe:\n" + problems.map { "  - \($0.message)" }.joined(separator: "\n")
        }
    }
}

extension BundleReadError: ProblemListError {
    /// Every reason an unsafe or unreadable bundle was refused, one problem each (empty for the other cases).
    public var problems: [Problem] {
        switch self {
        case .unsafe(_, let problems), .unreadable(_, let problems): return problems
        default: return []
        }
    }

    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .missing: return .bundleReadMissing
        case .notAZip: return .bundleReadNotAZIP
        case .malformed: return .bundleReadMalformed
        case .noManifest: return .bundleReadNoManifest
        case .invalidManifest: return .bundleReadInvalidManifest
        case .newerFormat: return .bundleReadNewerFormat
        case .missingEntry: return .bundleReadMissingEntry
        case .damagedEntry: return .bundleReadDamagedEntry
        case .unsafe: return .bundleReadUnsafe
        case .unreadable: return .bundleReadUnreadable
        }
    }
}
