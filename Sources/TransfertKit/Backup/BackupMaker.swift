import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Makes one backup of one establishment: stamp, export, verify, record.
///
/// The backup is an ordinary bundle written by ``Exporter`` into its area, under a Moodle-style name
/// (``BackupName``), then verified by ``BundleVerifier``; the verdict, the sizes, what it holds and the
/// establishment's change stamp go into its ``BackupRecord``. An anonymised backup always goes to
/// `private/`. What fails leaves nothing but the exporter's own clean-up would: no record, no name kept.
///
/// ```swift
/// let record = try BackupMaker(hosting: hosting).create(baseID: 12, area: .manual)
/// print(record.name, record.verification.verdict)
/// ```
public struct BackupMaker: Sendable {
    public let hosting: Hosting
    public let directory: BackupDirectory
    /// The clock (a seam for tests).
    public var now: @Sendable () -> Date = { Date() }

    public init(hosting: Hosting) {
        self.hosting = hosting
        self.directory = BackupDirectory(hosting: hosting)
    }

    /// Backs up establishment `baseID` into `area` (`private` whatever is asked when anonymised).
    /// Throws when the establishment is unknown, or when its export fails; a bundle that does not verify
    /// is kept and recorded with the verdict `failed` (look at it; it never counts as a good backup).
    public func create(baseID: Int64, area: BackupArea, options: BackupOptions = BackupOptions()) throws
        -> BackupRecord
    {
        guard let structure = try hosting.registry.structure(baseID: baseID) else {
            throw BackupError.unknownEstablishment(baseID: baseID)
        }
        let area = options.anonymise ? .private : area
        try directory.prepare()
        let started = now()
        // Before the dump's snapshot: a write after this point is in the backup or changes the next stamp.
        let stamp = try BackupChangeStamp.take(baseID: baseID, hosting: hosting, now: started)
        let name = try directory.reserveName(in: area) { isTaken in
            BackupName.unique(
                server: hosting.configuration.serverName, baseID: baseID, name: structure.denomination, date: started,
                timeZone: hosting.configuration.timeZone, isTaken: isTaken)
        }
        defer { directory.releaseName(name, in: area) }
        var export = ExportOptions(
            selection: .ids([baseID]), outputDirectory: directory.areaURL(area), includeFiles: options.includeFiles)
        export.bundleName = name
        // A backup is not a move: `require_maintenance_window` guards exports that take establishments away.
        export.requiresMaintenanceWindow = false
        export.without = options.without
        export.only = options.only
        export.anonymise = options.anonymise
        export.note = options.note ?? "backup (\(area.rawValue))"
        export.shouldStop = options.shouldStop
        let result: ExportResult
        do { result = try Exporter(hosting: hosting).run(export) } catch {
            throw BackupError.failed(baseID: baseID, name: structure.displayName, reason: String(describing: error))
        }
        let report = BundleVerifier().verify(csv: result.csv, zip: result.zip, level: options.verification)
        let record = BackupRecord(
            name: name, area: area, baseID: baseID, guid: structure.guid.uuidString.lowercased(),
            denomination: structure.denomination, created: BackupRecord.time(started),
            content: .init(
                without: options.without, only: options.only, anonymised: options.anonymise,
                includesFiles: options.includeFiles),
            csvBytes: Self.size(of: result.csv), zipBytes: Self.size(of: result.zip),
            verification: .init(
                verdict: report.isVerified ? .yes : .failed, level: options.verification.label,
                problems: report.allProblems),
            stamp: stamp, note: options.note)
        do { try directory.write(record) } catch {
            // Without its record the bundle is invisible to list and retention: it is not left behind.
            try? FileManager.default.removeItem(at: result.csv)
            try? FileManager.default.removeItem(at: result.zip)
            throw error
        }
        return record
    }

    static func size(of url: URL) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: url.path)[.size]) as? NSNumber)?.int64Value ?? 0
    }
}
