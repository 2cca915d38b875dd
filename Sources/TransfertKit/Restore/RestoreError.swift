import Foundation
import TransfertFormats
import TransfertModel

/// Why a restore was refused or failed; each says what was left unchanged and what to do.
public enum RestoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bundle does not open, or does not verify: every problem.
    case bundleProblems([Problem])
    /// Asked in words: no such target, an anonymised bundle, no merge keys, a reference cycle…
    case refused(String)
    /// `--anonymise`d bundles restore only as a new establishment.
    case anonymised
    /// A merge row that the database refused (or that points at a row the bundle lacks): all rolled back.
    case mergeConflict(table: String, row: String, reason: String)
    /// The restore failed after the checks began; the establishment is as it was.
    case failed(String)

    public var description: String {
        switch self {
        case .bundleProblems(let problems):
            return "nothing was restored: the bundle cannot be used:\n"
                + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .refused(let reason):
            return "nothing was restored: \(reason)"
        case .anonymised:
            return
                "nothing was restored: this bundle is an anonymised copy, and an anonymised copy restores only as a new establishment: transfert import --as-copy"
        case .mergeConflict(let table, let row, let reason):
            return
                "nothing was merged: table \(table), \(row): \(reason). Every row of the merge was rolled back; the establishment is as it was"
        case .failed(let reason):
            return "the restore failed and the establishment is as it was: \(reason)"
        }
    }
}

extension RestoreError: LocatedError {
    public var problemCode: ProblemCode {
        switch self {
        case .bundleProblems: return .restoreRefused
        case .refused: return .restoreRefused
        case .anonymised: return .contentAnonymised
        case .mergeConflict: return .restoreMergeConflict
        case .failed: return .restoreFailed
        }
    }
}
