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

    /// Stamps establishment `baseID` of `hosting` now.
    public static func take(baseID: Int64, hosting: Hosting, now: Date = Date()) throws -> BackupChangeStamp {
        BackupChangeStamp(
            database: try hosting.establishments.changeStamp(baseID: baseID),
            files: try UploadsStamp.take(of: hosting.filesDirectory(baseID: baseID), now: now))
    }
}
