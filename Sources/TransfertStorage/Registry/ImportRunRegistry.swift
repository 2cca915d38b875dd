import Foundation
import TransfertFormats
import TransfertModel

/// What an import claims and how far it got, so that a killed import is cleaned and resumed.
public protocol ImportRunRegistry: Sendable {
    /// Registers establishments an import is about to restore, in one transaction: each gets status
    /// ``Structure/Status/importing`` and a restore lock held by this process. A structure whose
    /// `baseID` is 0 gets the next of ``EstablishmentRegistry/freeIDs(count:reserved:isFree:)``. Throws,
    /// claiming nothing, when one of them breaks a registry constraint.
    func claimForImport(_ structures: [Structure], reserved: Set<Int64>, isFree: (Int64) -> Bool) throws -> [Structure]
    /// Makes an imported establishment active, releases its lock, records `journal` and, when given, its
    /// own letter language, in one transaction (one commit, and its syncs, per establishment).
    func completeImport(baseID: Int64, journal: JournalEntry, letterLanguage: String?) throws
    /// Structures left with status importing whose restore lock is gone or stale (a killed import).
    func abandonedImports() throws -> [Structure]
    /// Records the start of an import of `bundle`; returns the run's id and whether an earlier run of the
    /// same bundle was left unfinished (killed, or with failed establishments): this one resumes it.
    func startImportRun(bundle: String) throws -> (id: Int64, resumes: Bool)
    /// Whether an earlier import of `bundle` was left unfinished (killed, or with failed establishments).
    func hasUnfinishedImportRun(bundle: String) throws -> Bool
    /// Marks a run finished; `complete` when every establishment of the CSV is now hosted.
    func finishImportRun(id: Int64, complete: Bool) throws
}

extension ImportRunRegistry {
    /// Completes an import that carries no letter language of its own.
    public func completeImport(baseID: Int64, journal: JournalEntry) throws {
        try completeImport(baseID: baseID, journal: journal, letterLanguage: nil)
    }
}
