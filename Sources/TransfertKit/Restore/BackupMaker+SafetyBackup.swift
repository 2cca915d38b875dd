import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The safety backup `restore --replace` takes first is an ordinary manual backup: listed by
/// `backup list`, kept `retention_days`, and counted as the establishment's last good backup.
extension BackupMaker: SafetyBackup {
    public func backUp(_ structure: Structure) throws -> URL {
        var options = BackupOptions()
        options.note = "safety backup before restore --replace"
        let record = try create(baseID: structure.baseID, area: .manual, options: options)
        // A backup that does not verify cannot bring the establishment back: nothing is replaced.
        guard record.verification.verdict == .yes else {
            throw BackupError.failed(
                baseID: structure.baseID, name: structure.displayName,
                reason:
                    "the safety backup \(record.name) did not verify (\(record.verification.problems.joined(separator: "; "))): nothing was replaced"
            )
        }
        return directory.files(of: record.name, in: record.area).zip
    }
}
