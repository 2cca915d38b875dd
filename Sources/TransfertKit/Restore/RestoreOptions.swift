import Foundation
import TransfertFormats
import TransfertModel

/// How `transfert restore` puts a bundle into an existing establishment.
public enum RestoreMode: String, Codable, Sendable {
    /// Its content is replaced by the bundle's, after a safety backup; all or nothing.
    case replace
    /// The bundle's rows are added, matched by the profile's natural keys (`merge:`).
    case merge
}

/// What `--merge` does when a bundle's user matches one already there (`--merge-users`).
public enum MergeUsersPolicy: String, Codable, Sendable, CaseIterable {
    /// The existing user is the bundle's user: not duplicated, references follow (the default).
    case match
    /// Any match in the users category refuses the merge before anything changes.
    case never
}

public struct RestoreOptions: Sendable {
    public var mode: RestoreMode
    /// The establishment of a multi-establishment bundle (its export id); `nil`: the only one.
    public var fromID: Int64?
    /// Content categories not restored (`--without`), or the only ones restored (`--only`).
    public var without: [String] = []
    public var only: [String]?
    /// Take the bundle's name, place, UAI, letter language and settings-category rows; default: keep the
    /// establishment's own.
    public var overwriteSettings = false
    public var mergeUsers = MergeUsersPolicy.match
    /// Check, plan and say what would happen; change nothing.
    public var dryRun = false
    /// The operator's words, kept in the journal.
    public var note: String?
    /// Asked whether the hosting's disk has room before anything is written.
    public var diskSpace = DiskSpace.system
    /// Called once the bundle is staged and checked, just before the swap (`--replace`): tests make a
    /// late failure through it, to prove that the establishment is then left exactly as it was.
    public var beforeSwap: @Sendable () throws -> Void = {}

    public init(mode: RestoreMode) {
        self.mode = mode
    }
}
