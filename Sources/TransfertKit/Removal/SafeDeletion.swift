import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Deletes establishments from a hosting — database, files, lock and registry row — only when a bundle
/// proves they can be restored elsewhere, or when the operator forces it. Every deletion is recorded in
/// the transfer journal.
///
/// ```swift
/// let removed = try SafeDeletion(hosting: hosting).removeVerified(ids: [3, 4], csv: csvURL, zip: zipURL)
/// ```
public struct SafeDeletion {
    public let hosting: Hosting
    public var scratchDirectory: URL?

    public init(hosting: Hosting, scratchDirectory: URL? = nil) {
        self.hosting = hosting
        self.scratchDirectory = scratchDirectory
    }

    /// Verifies the bundle `--deep --against-source`, then removes the establishments only if every one
    /// of them is in it, matched by GUID, and OK. Nothing is removed when one of them is not. With
    /// `dryRun`, every check is made and nothing is removed: what would be is returned.
    public func removeVerified(ids: [Int64], csv: URL, zip: URL, dryRun: Bool = false) throws -> [Structure] {
        let structures = try hosting.selectStructures(ids)
        let report = BundleVerifier(hosting: hosting, scratchDirectory: scratchDirectory)
            .verify(csv: csv, zip: zip, level: [.deep, .againstSource])
        var refusals = report.bundleProblems
        for structure in structures {
            let guid = structure.guid.uuidString.lowercased()
            let place = ProblemLocation(baseID: structure.baseID)
            func refuse(_ code: ProblemCode, _ message: String) {
                refusals.append(Problem(code: code, message: message, location: place))
            }
            guard let verification = report.establishments.first(where: { $0.guid == guid }) else {
                refuse(
                    .safeDeletionNotInBundle,
                    "establishment \(structure.baseID) (\(structure.displayName)) is not in this bundle")
                continue
            }
            switch verification.status {
            case .ok where verification.liveBaseID == structure.baseID:
                break
            case .ok, .notInCSV:
                refuse(
                    .safeDeletionNotInCSV,
                    "establishment \(structure.baseID) is in the ZIP but not in the CSV: the bundle as edited would not import it"
                )
            case .failed:
                // One sentence per establishment, as the text says it; each problem is in `verify --json`.
                refuse(
                    .safeDeletionVerificationFailed,
                    "establishment \(structure.baseID): \(verification.problems.map(\.message).joined(separator: "; "))"
                )
            }
        }
        guard refusals.isEmpty else { throw SafeDeletionError.notVerified(refusals) }
        if dryRun { return structures }
        let bundle = zip.deletingPathExtension().lastPathComponent
        return try structures.map { structure in
            try remove(structure, details: "verified by \(bundle) (deep, against source)", bundle: bundle)
        }
    }

    /// Removes establishments whose move to another server is confirmed (`transfert confirm`): the target's
    /// signed receipt proved their data is there, unchanged. The move record stays, so the old address
    /// keeps redirecting and the old id is never reused.
    public func removeMoved(ids: [Int64], dryRun: Bool = false) throws -> [Structure] {
        let structures = try hosting.selectStructures(ids)
        var unproved: [Problem] = []
        var moves: [Int64: ConfirmedMove] = [:]
        for structure in structures {
            guard let move = try hosting.registry.move(baseID: structure.baseID),
                move.guid == structure.guid.uuidString.lowercased()
            else {
                unproved.append(
                    Problem(
                        code: .safeDeletionNoConfirmedMove,
                        message:
                            "establishment \(structure.baseID) (\(structure.displayName)) has no confirmed move: confirm it with the target's receipt (`transfert confirm RECEIPT`) first",
                        location: ProblemLocation(baseID: structure.baseID)))
                continue
            }
            moves[structure.baseID] = move
        }
        guard unproved.isEmpty else { throw SafeDeletionError.notVerified(unproved) }
        if dryRun { return structures }
        return try structures.map { structure in
            let move = moves[structure.baseID]!
            return try remove(
                structure,
                details:
                    "moved to \(move.targetServer) as establishment \(move.newID) (\(move.accessURL)), confirmed by its receipt on \(move.confirmedAt)",
                bundle: move.bundle, move: move)
        }
    }

    /// Removes without a bundle: the operator confirmed on a terminal that the data may be lost.
    public func removeForced(ids: [Int64]) throws -> [Structure] {
        try hosting.selectStructures(ids).map {
            try remove($0, details: "forced without a verified bundle", bundle: nil)
        }
    }

    private func remove(_ structure: Structure, details: String, bundle: String?, move: ConfirmedMove? = nil) throws
        -> Structure
    {
        if let lock = try hosting.registry.locks().first(where: { $0.baseID == structure.baseID && $0.ownerPID != nil })
        {
            throw LockError.locked(lock)
        }
        // The registry row goes first: once it is gone nobody reaches the establishment, and a file left
        // behind by a crash is an orphan that `doctor` removes.
        try hosting.registry.removeStructure(
            baseID: structure.baseID,
            journal: JournalEntry(
                event: .removed, guid: structure.guid.uuidString.lowercased(), baseID: structure.baseID,
                denomination: structure.denomination, bundle: bundle, details: details, uai: structure.uai?.rawValue,
                targetServer: move?.targetServer, targetFingerprint: move?.targetFingerprint, targetBaseID: move?.newID)
        )
        try hosting.establishments.remove(baseID: structure.baseID)
        let files = hosting.filesDirectory(baseID: structure.baseID)
        if FileManager.default.fileExists(atPath: files.path) { try FileManager.default.removeItem(at: files) }
        return structure
    }
}

public enum SafeDeletionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Every establishment not proved, each with its id (bundle-wide problems under their own codes).
    case notVerified([Problem])

    public var description: String {
        switch self {
        case .notVerified(let reasons):
            return "nothing was removed: the bundle does not prove every establishment can be restored.\n"
                + reasons.map { "  - \($0.message)" }.joined(separator: "\n")
                + "\nExport again (transfert export --keep-locked) and verify, or use --force if the data may be lost."
        }
    }
}

extension SafeDeletionError: ProblemListError {
    public var problems: [Problem] {
        switch self {
        case .notVerified(let reasons): return reasons
        }
    }

    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .notVerified: return .safeDeletionNotVerified
        }
    }
}
