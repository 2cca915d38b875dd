import Foundation

/// Why a receipt cannot confirm a move, or a move cannot be recorded, with what to do.
public enum MoveError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadableReceipt(String, String)
    case unreadableKey(String)
    /// The signature does not match the receipt's content, or the key is not the expected one.
    case badSignature(String)
    case unexpectedKey(expected: String, found: String)
    /// The receipt is about another server's bundle.
    case notThisSource(server: String, fingerprint: String)
    case unknownBundle(String)
    /// A bundle of that name was exported here, but not the one the target imported.
    case otherBundle(name: String, exported: String, imported: String)
    /// Per establishment, what does not match (each problem names its establishment).
    case mismatches([Problem])
    case alreadyConfirmed(baseID: Int64)
    /// The first receipt of a target, without the operator's word on its key.
    case untrustedTarget(server: String, fingerprint: String, key: String)
    /// The receipt's content is not what a target writes (each problem names its field).
    case malformedReceipt([Problem])

    public var description: String {
        switch self {
        case .unreadableReceipt(let path, let reason):
            return "\(path): \(reason); give the .receipt.json the target's import wrote"
        case .unreadableKey(let path):
            return
                "\(path) is not a receipt signing key (base64 of 32 bytes): restore it from a backup, or move it away to make a new one (receipts signed with the old key can then no longer be told from forgeries)"
        case .badSignature(let reason):
            return
                "the receipt's signature is not valid: \(reason). Nothing was confirmed; ask the target's operator for the file their import wrote"
        case .unexpectedKey(let expected, let found):
            return
                "the receipt is signed with key \(found), not \(expected) (the key `transfert info` shows on the target): nothing was confirmed"
        case .notThisSource(let server, let fingerprint):
            return
                "the receipt is for a bundle of server \(server) (fingerprint \(fingerprint)), not of this one: confirm it on that server"
        case .unknownBundle(let name):
            return
                "this hosting never exported the bundle the receipt names (\(name), by its SHA-256): confirm the receipt on the server that exported it"
        case .otherBundle(let name, let exported, let imported):
            return
                "the target imported a bundle named \(name) whose SHA-256 is \(imported), but the one exported here is \(exported): it is another bundle (or an altered one). Nothing was confirmed"
        case .mismatches(let problems):
            return "the receipt does not match what was exported here; nothing was confirmed:\n"
                + problems.map { "  - \($0.message)" }.joined(separator: "\n")
        case .alreadyConfirmed(let id):
            return "the move of establishment \(id) is already confirmed (`transfert history --id \(id)`)"
        case .untrustedTarget(let server, let fingerprint, let key):
            return
                "this is the first receipt of server \(server) (fingerprint \(fingerprint)): check that its key is \(key) with `transfert info` on that server, then confirm with --expect-key \(key) (it is remembered for its later receipts). Nothing was confirmed"
        case .malformedReceipt(let problems):
            return "the receipt is not what a target writes; nothing was confirmed:\n"
                + problems.map { "  - \($0.message)" }.joined(separator: "\n")
        }
    }
}

extension MoveError: ProblemListError {
    /// A stable name for scripts (`--json` errors), written out case by case: renaming a Swift case must not
    /// change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .unreadableReceipt: return .unreadableReceipt
        case .unreadableKey: return .unreadableKey
        case .badSignature: return .badSignature
        case .unexpectedKey: return .unexpectedKey
        case .notThisSource: return .foreignReceipt
        case .unknownBundle: return .unknownBundle
        case .otherBundle: return .otherBundle
        case .mismatches: return .receiptMismatch
        case .alreadyConfirmed: return .alreadyConfirmed
        case .untrustedTarget: return .untrustedTarget
        case .malformedReceipt: return .malformedReceipt
        }
    }
}

extension MoveError {
    /// What does not match, or what is malformed, one problem each; empty for the other cases.
    public var problems: [Problem] {
        switch self {
        case .mismatches(let problems), .malformedReceipt(let problems): return problems
        default: return []
        }
    }
}
