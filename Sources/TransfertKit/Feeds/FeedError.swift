import Foundation
import TransfertModel

/// A feed run refused as a whole: nothing of it was applied (one transaction, rolled back).
public enum FeedError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The application profile has no `feeds: membership:` mapping.
    case noMapping(profile: String)
    case unknownEstablishment(baseID: Int64)
    /// The establishment is not `active` here (moved away, being imported).
    case notActive(baseID: Int64, status: String)
    /// A maintenance window in progress or a lock keeps the establishment closed.
    case closed(baseID: Int64, state: String)
    /// A refresh would disable `wouldDisable` of the integration's `enabled` records, more than `ratio`.
    case massDisable(wouldDisable: Int64, enabled: Int64, ratio: Double, integration: String)
    /// `--older-than` that is not a number of days (`365d`).
    case invalidRetention(String)
    case invalidName(option: String, value: String)
    /// The state table holds something no run writes (a hand edit): the run stops before changing anything.
    case corruptState(String)
    /// `feed course-set` with a course already in another cross-listed set.
    case courseInAnotherSet(course: String, set: String)
    /// The run's last step (writing the application's membership table) failed after `changed` rows of a
    /// table whose `engine` does not roll back: the feed's state rolled back, those rows did not.
    case applicationTableNotRolledBack(table: String, engine: String, changed: Int64, reason: String)

    public var description: String {
        switch self {
        case .noMapping(let profile):
            return
                "the application profile \(profile) has no `feeds: membership:` mapping (which tables are courses, persons and memberships): add one (see the user guide, SIS feeds); nothing was applied"
        case .unknownEstablishment(let baseID): return "no establishment has id \(baseID) on this hosting"
        case .notActive(let baseID, let status):
            return
                "establishment \(baseID) is \(status) on this hosting: a feed writes only to active establishments; feed the server it moved to"
        case .closed(let baseID, let state):
            return
                "establishment \(baseID) is closed to its users (\(state == "maintenance" ? "a maintenance window is in progress" : "it is locked")): a feed waits until it is open again (`transfert lock list`, `transfert maintenance list`); nothing was applied"
        case .massDisable(let wouldDisable, let enabled, let ratio, let integration):
            let share = enabled > 0 ? Double(wouldDisable) / Double(enabled) * 100 : 100
            return
                "this refresh would disable \(wouldDisable) of the \(enabled) enabled records of integration \(integration) (\(String(format: "%.1f", share)) %), more than feeds.max_disable_ratio (\(String(format: "%g", ratio * 100)) %): nothing was applied. Check the file (a broken SIS export often looks like this); if it is right, run again with --allow-mass-disable"
        case .invalidRetention(let value):
            return "--older-than '\(value)' is not a retention period: give a number of days, e.g. 365d"
        case .invalidName(let option, let value):
            return "\(option) '\(value)' is not a name: use letters, digits, '-', '_' and '.' (at most 64)"
        case .courseInAnotherSet(let course, let set):
            return
                "course \(course) is already in cross-listed set \(set): a course is in one set at most; remove it there first (feed course-set --set \(set) with its other courses); nothing was changed"
        case .applicationTableNotRolledBack(let table, let engine, let changed, let reason):
            return
                "writing the application's membership table \(table) failed (\(reason)) after \(changed) of its rows were changed; the feed's state was rolled back, but \(table) is \(engine), which does not roll back, so those \(changed) changes stay: fix the cause and run the same file again, which brings \(table) in step with the feed's state"
        case .corruptState(let reason):
            return "the feed's state table \(FeedStateTables.membership) cannot be used: \(reason); nothing was applied"
        }
    }
}

extension FeedError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .massDisable: return .feedMassDisable
        case .noMapping, .unknownEstablishment, .notActive, .closed, .invalidRetention, .invalidName, .corruptState,
            .courseInAnotherSet, .applicationTableNotRolledBack:
            return .feedRefused
        }
    }

    public var location: ProblemLocation? {
        switch self {
        case .unknownEstablishment(let baseID), .notActive(let baseID, _), .closed(let baseID, _):
            return ProblemLocation(baseID: baseID)
        case .invalidRetention(let value): return ProblemLocation(field: "--older-than", value: value)
        case .invalidName(let option, let value): return ProblemLocation(field: option, value: value)
        default: return nil
        }
    }
}
