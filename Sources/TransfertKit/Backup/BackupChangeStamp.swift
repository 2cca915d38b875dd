import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What a backup recorded of its establishment before dumping it: the engine's stamp of the database and
/// the stamp of its uploaded files. The next `backup run` takes a new one and compares.
///
/// It is taken *before* the dump's snapshot: a write between the stamp and the snapshot is in the backup
/// and changes the next stamp (a backup too many, never one missing); a stamp taken after the snapshot
/// could hide a write made in between.
public struct BackupChangeStamp: Codable, Equatable, Sendable {
    public var database: DatabaseChangeStamp
    /// ``UploadsStamp`` of `files/<id>/`.
    public var files: UploadsStamp

    public init(database: DatabaseChangeStamp, files: UploadsStamp) {
        self.database = database
        self.files = files
    }

    /// Whether both stamps could prove a later one unchanged.
    public var isSettled: Bool { database.settled && files.settled }

    /// True only when `self`, taken now, proves that nothing was written since `previous` was taken: equal
    /// observations, and a previous stamp that was settled. Anything else counts as a change.
    public func showsNoChange(since previous: BackupChangeStamp?) -> Bool {
        guard let previous, previous.isSettled else { return false }
        return previous.database.observed == database.observed && previous.files.digest == files.digest
    }

    /// What differs from `previous`, in words, for the run's report: an operator (and a test) can tell a
    /// real write from a stamp that was taken too close to one.
    public func change(since previous: BackupChangeStamp) -> String {
        var parts: [String] = []
        if previous.database.observed != database.observed { parts.append("database changed") }
        if previous.files.digest != files.digest { parts.append("uploaded files changed") }
        if parts.isEmpty && !previous.database.settled {
            parts.append("the last backup's database stamp was taken within seconds of a write")
        }
        if parts.isEmpty && !previous.files.settled {
            parts.append("the last backup's stamp of the uploaded files was taken within seconds of a write")
        }
        return parts.isEmpty ? "changed" : parts.joined(separator: ", ")
    }

    /// Stamps establishment `baseID` of `hosting` now.
    public static func take(baseID: Int64, hosting: Hosting, now: Date = Date()) throws -> BackupChangeStamp {
        BackupChangeStamp(
            database: try hosting.establishments.changeStamp(baseID: baseID),
            files: try UploadsStamp.take(of: hosting.filesDirectory(baseID: baseID), now: now))
    }
}
