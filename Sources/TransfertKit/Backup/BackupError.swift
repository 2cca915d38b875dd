import Foundation
import TransfertModel

/// What stops a backup command, in words the operator acts on.
public enum BackupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Another run holds the backup lock.
    case runInProgress(lockFile: String, holderPID: Int32?)
    /// The backup directory cannot be created or written.
    case directoryUnusable(path: String, reason: String)
    /// No establishment has this id here.
    case unknownEstablishment(baseID: Int64)
    /// One establishment's backup failed (the run goes on with the others).
    case failed(baseID: Int64, name: String, reason: String)
    /// Some backups of a run failed: the run's summary lists them.
    case runFailed(failed: [Int64])

    public var description: String {
        switch self {
        case .runInProgress(let file, let pid):
            return
                "another backup run holds the lock \(file)\(pid.map { " (process \($0))" } ?? ""): this one did not start. Wait for it to end; the lock is released when its process ends, even if it is killed"
        case .directoryUnusable(let path, let reason):
            return
                "the backup directory \(path) cannot be used (\(reason)): create it writable by this user, or set backup.directory in transfert.yaml"
        case .unknownEstablishment(let id):
            return "no establishment has id \(id) here (transfert structure list shows them)"
        case .failed(let id, let name, let reason):
            return "the backup of establishment \(id) (\(name)) failed: \(reason)"
        case .runFailed(let ids):
            return
                "the backup of establishment\(ids.count == 1 ? "" : "s") \(ids.map(String.init).joined(separator: ", ")) failed (see the summary); the others were made"
        }
    }
}

extension BackupError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .runInProgress: return .backupRunInProgress
        case .directoryUnusable, .unknownEstablishment: return .backupUnknown
        case .failed, .runFailed: return .backupFailed
        }
    }

    public var location: ProblemLocation? {
        switch self {
        case .runInProgress(let file, let pid): return ProblemLocation(file: file, value: pid.map { String($0) })
        case .directoryUnusable(let path, _): return ProblemLocation(file: path)
        case .unknownEstablishment(let id), .failed(let id, _, _): return ProblemLocation(baseID: id)
        case .runFailed: return nil
        }
    }
}
