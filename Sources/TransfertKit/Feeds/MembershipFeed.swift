import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// `transfert feed membership`: applies a file of membership records to one establishment, by
/// Blackboard's rules for snapshot flat files (see ``SnapshotOperation``), through the profile's
/// `feeds:` mapping.
///
/// The establishment is locked like an export locks it, so a feed never interleaves with an export or a
/// restore. The whole run is one transaction: a file that cannot be used, an I/O error or the
/// mass-disable guard leave nothing applied; a row that fails is reported with its line and the others
/// go on. The application's membership table is written only as the last step before COMMIT, from the
/// state table, and never in a dry run: on an engine that does not roll back (MyISAM) nothing refused
/// leaves a change there.
///
/// ```swift
/// let report = try MembershipFeed(hosting: hosting).run(
///     FeedRunOptions(baseID: 2, operation: .refresh), source: SnapshotMembershipReader(url: file))
/// try report.outcomes.forEachOutcome { print($0.kind, $0.line ?? 0) }
/// ```
public struct MembershipFeed {
    public let hosting: Hosting

    public init(hosting: Hosting) {
        self.hosting = hosting
    }

    /// Thrown inside the transaction of a dry run so that it rolls back.
    private struct DryRunRollback: Error {}

    public func run(_ options: FeedRunOptions, source: some MembershipSource) throws -> FeedRunReport {
        guard let mapping = hosting.profile.feeds?.membership else {
            throw FeedError.noMapping(profile: hosting.profile.name)
        }
        guard FeedRunOptions.isName(options.integration) else {
            throw FeedError.invalidName(option: "--integration", value: options.integration)
        }
        if let dataSource = options.dataSource, !FeedRunOptions.isName(dataSource) {
            throw FeedError.invalidName(option: "--data-source", value: dataSource)
        }
        try hosting.requireActive(baseID: options.baseID)
        try hosting.registry.acquire(.automatic(baseID: options.baseID))
        let baseID = options.baseID
        let heartbeat = LockHeartbeat(registry: hosting.registry) { [baseID] }
        defer {
            heartbeat.stop()
            try? hosting.registry.releaseLock(baseID: baseID)
        }
        let existing = Set(try hosting.establishments.read(baseID: baseID) { try $0.tableNames() })
        let spool = try FeedOutcomeSpool()
        var report: FeedRunReport?
        do {
            try hosting.establishments.write(baseID: baseID) { writer in
                // First, before any row: on MariaDB a CREATE TABLE commits the transaction it is in.
                try FeedStateTables.create(missingFrom: existing, with: writer)
                let run = try MembershipFeedRun(
                    writer: writer, mapping: mapping, options: options, settings: hosting.configuration.feedSettings,
                    file: source.file, spool: spool)
                try source.forEachRow { try run.apply($0) }
                try run.disableAbsent()
                // Last, once nothing can refuse the run any more: the application's table may not roll back.
                if !options.dryRun { try run.applyToApplication() }
                report = FeedRunReport(
                    baseID: baseID, operation: options.operation, integration: options.integration,
                    dataSource: options.effectiveDataSource, file: source.file, runID: run.runID,
                    dryRun: options.dryRun, totals: run.totals, notes: run.notes, outcomes: spool)
                if options.dryRun { throw DryRunRollback() }
            }
        } catch is DryRunRollback {}
        guard let report else { throw FeedError.corruptState("the run ended without a report") }
        return report
    }
}
