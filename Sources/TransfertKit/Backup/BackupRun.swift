import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The nightly run (`transfert backup run`) and the yearly full one (`--all`).
///
/// Under the backup lock (``BackupRunLock``), every establishment of the hosting is taken in id order:
/// - skipped, with the reason, when it is not open — moved away, locked (by the webmaster, an
///   administrator or a transfer), or inside a maintenance window in progress;
/// - nightly: unchanged when its stamp (``BackupChangeStamp``) equals the one recorded by its last good
///   backup, else backed up to `automatic/`; `--all`: backed up to `yearly/`, changed or not;
/// - after each successful backup, its own `automatic/` area is pruned to `keep_automatic` — never
///   before, so a failing night never removes what the last good nights made.
/// A failure of one establishment is recorded and the run goes on with the next.
public struct BackupRun: Sendable {
    public let hosting: Hosting
    /// The yearly full run: every open establishment, changed or not, to `yearly/`.
    public var all = false
    public var shouldStop: @Sendable () -> Bool = { false }
    /// Told of each establishment as it is decided (for a progress line or a log).
    public var observer: (@Sendable (BackupRunReport.Entry) -> Void)?
    /// The clock (a seam for tests).
    public var now: @Sendable () -> Date = { Date() }

    public init(hosting: Hosting, all: Bool = false) {
        self.hosting = hosting
        self.all = all
    }

    public func run() throws -> BackupRunReport {
        let clock = Date()
        let directory = BackupDirectory(hosting: hosting)
        try directory.prepare()
        let lock = try BackupRunLock.acquire(in: directory)
        defer { lock.release() }
        let area: BackupArea = all ? .yearly : .automatic
        var report = BackupRunReport(area: area, directory: directory.url.path)
        let records = directory.records().records
        let lastGood = Dictionary(grouping: records, by: \.baseID).compactMapValues(BackupRetention.lastGood)
        let access = HostingAccess(registry: hosting.registry, settings: hosting.accessSettings)
        let moved = Set(try hosting.registry.moves().map(\.baseID))
        let locks = try access.locksInForce(at: now())
        let started = now()
        let resolver = access.resolver(at: started)
        let windows = try hosting.registry.maintenanceWindows().filter { $0.plannedAt <= started }
        var maker = BackupMaker(hosting: hosting)
        maker.now = now
        let pruner = BackupPruner(hosting: hosting)
        for structure in try hosting.registry.structures().sorted(by: { $0.baseID < $1.baseID }) {
            if shouldStop() { break }
            var entry = BackupRunReport.Entry(id: structure.baseID, name: structure.displayName, outcome: .skipped)
            if let reason = Self.closedReason(
                structure, moved: moved, resolver: resolver, locks: locks, windows: windows)
            {
                entry.reason = reason
            } else {
                entry = backUp(
                    structure, into: area, previous: lastGood[structure.baseID], maker: maker, pruner: pruner)
            }
            observer?(entry)
            report.entries.append(entry)
        }
        report.seconds = Date().timeIntervalSince(clock)
        return report
    }

    /// Why users cannot use `structure` now (so it is not backed up), or `nil` when it is open.
    static func closedReason(
        _ structure: Structure, moved: Set<Int64>, resolver: AccessResolver, locks: [AccessLock],
        windows: [MaintenanceWindow]
    ) -> String? {
        if structure.status == .moved || moved.contains(structure.baseID) {
            return "moved away to another server"
        }
        let state = resolver.state(of: structure, locks: locks, windows: windows)
        switch state.state {
        case .open, .warning: return nil
        case .moved: return "moved away to another server"
        case .maintenance:
            return "inside maintenance window \(state.window.map { "#\($0.number)" } ?? "") until \(state.until ?? "?")"
        case .locked:
            let lock = state.lock
            return "locked (\(lock?.kind.rawValue ?? "lock")\(lock.map { ": \($0.reason)" } ?? ""))"
        }
    }

    private func backUp(
        _ structure: Structure, into area: BackupArea, previous: BackupRecord?, maker: BackupMaker,
        pruner: BackupPruner
    ) -> BackupRunReport.Entry {
        var entry = BackupRunReport.Entry(id: structure.baseID, name: structure.displayName, outcome: .failed)
        var why = all ? "yearly full run" : "no good backup yet"
        do {
            if !all, let previous, let recorded = previous.stamp {
                let current = try BackupChangeStamp.take(baseID: structure.baseID, hosting: hosting, now: now())
                if current.showsNoChange(since: recorded) {
                    entry.outcome = .unchanged
                    entry.reason = "unchanged since \(previous.name)"
                    return entry
                }
                why = current.change(since: recorded) + " since \(previous.name)"
            } else if !all, let previous {
                why = "\(previous.name) has no change stamp"
            }
            var options = BackupOptions()
            options.shouldStop = shouldStop
            let record = try maker.create(baseID: structure.baseID, area: area, options: options)
            entry.backup = record.name
            entry.area = record.area
            entry.bytes = record.csvBytes.addingReportingOverflow(record.zipBytes).partialValue
            guard record.verification.verdict == .yes else {
                entry.reason =
                    "the backup \(record.name) did not verify: \(record.verification.problems.joined(separator: "; "))"
                return entry
            }
            entry.outcome = .backedUp
            entry.reason = why
            // Only now, after a verified backup: this establishment's older automatic backups.
            let pruned = pruner.prune(now: now(), baseID: structure.baseID)
            if !pruned.removed.isEmpty { entry.pruned = pruned.removed.map(\.name) }
            if !pruned.errors.isEmpty { entry.reason = "prune: " + pruned.errors.joined(separator: "; ") }
        } catch let error as BackupError {
            if case .failed(_, _, let reason) = error {
                entry.reason = reason
            } else {
                entry.reason = error.description
            }
        } catch {
            entry.reason = String(describing: error)
        }
        return entry
    }
}
