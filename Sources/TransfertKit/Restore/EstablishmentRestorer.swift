import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Restores one establishment of a bundle into an existing establishment of this hosting
/// (`transfert restore CSV ZIP --into ID --replace|--merge`), as Moodle restores a course backup into an
/// existing course.
///
/// The bundle is opened and checked as `import` checks it (``OpenedBundle``, digests while restoring,
/// schema migrations, room on disk); the target must exist, not have moved, and take the restore lock,
/// held to the end (released on failure too).
///
/// - `replace`: a safety backup first (``SafetyBackup``), then the bundle is restored into a *staging*
///   database beside the live one, checked and migrated there, the establishment's settings copied in
///   (unless `overwriteSettings`), and the staging database swapped into place in one engine step
///   (``StagedEstablishment``), the uploads by a directory rename. Any failure leaves the establishment as
///   it was. The registry row keeps its id, URL, GUID and contact.
/// - `merge`: the bundle is restored into a scratch database and its rows added by the profile's
///   natural keys (``MergePlanner``), in one transaction.
///
/// After either, the profile's `restore_checks` compare the bundle's content and the establishment.
public struct EstablishmentRestorer {
    public let hosting: Hosting
    /// Taken before `--replace` changes anything; `nil` only in tests that do not ask for one.
    public var safetyBackup: (any SafetyBackup)?

    public init(hosting: Hosting, safetyBackup: (any SafetyBackup)?) {
        self.hosting = hosting
        self.safetyBackup = safetyBackup
    }

    /// What was chosen and checked before anything is written.
    struct Prepared {
        var source: any BundleSource
        var bundle: BundleManifest
        var establishment: BundleManifest.Establishment
        var localisation: String?
        var target: Structure
        var migrations: [ApplicationProfile.Migration]
        var content: ResolvedContent
        /// Tables created without their rows.
        var leftOutTables: Set<String>
        var bundleName: String
    }

    public func run(csv: URL, zip: URL, into baseID: Int64, options: RestoreOptions) throws -> RestoreReport {
        let started = Date()
        let prepared = try prepare(csv: csv, zip: zip, into: baseID, options: options)
        var report = RestoreReport(
            baseID: baseID, mode: options.mode, dryRun: options.dryRun, bundle: prepared.bundleName,
            fromID: prepared.establishment.baseID, fromName: prepared.establishment.denomination)
        report.leftOut = prepared.content.selection.leftOut
        report.leftOutTables = prepared.leftOutTables.sorted()
        report.settingsOverwritten = options.overwriteSettings
        if !prepared.leftOutTables.isEmpty {
            report.notes.append(
                "rows of \(prepared.leftOutTables.sorted().joined(separator: ", ")) were not restored (left out), so their digests in the manifest were not checked"
            )
        }
        switch options.mode {
        case .replace: try replace(prepared, options: options, report: &report)
        case .merge: try merge(prepared, options: options, report: &report)
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    // MARK: - Checks before anything is written

    func prepare(csv: URL, zip: URL, into baseID: Int64, options: RestoreOptions) throws -> Prepared {
        let opened = OpenedBundle.open(csv: csv, zip: zip)
        guard opened.problems.isEmpty, let source = opened.source else {
            throw RestoreError.bundleProblems(opened.problems)
        }
        let bundle = source.manifest
        if source.kind == .sacoche && hosting.profile.schemaVersion.table != SACocheNames.parameterTable {
            throw RestoreError.refused(
                "this is a SACoche bundle, and this hosting's application is \(hosting.profile.name)")
        }
        if bundle.options.isAnonymised { throw RestoreError.anonymised }
        let establishment: BundleManifest.Establishment
        if let fromID = options.fromID {
            guard let found = bundle.establishments.first(where: { $0.baseID == fromID }) else {
                throw RestoreError.refused(
                    "the bundle holds no establishment with export id \(fromID); it holds \(Self.choices(bundle))")
            }
            establishment = found
        } else {
            guard bundle.establishments.count == 1, let only = bundle.establishments.first else {
                throw RestoreError.refused(
                    bundle.establishments.isEmpty
                        ? "the bundle holds no establishment"
                        : "the bundle holds \(bundle.establishments.count) establishments: choose one with --from ID_EXPORT (\(Self.choices(bundle)))"
                )
            }
            establishment = only
        }
        let problems =
            source.contentProblems(of: establishment, readContents: false) + source.fileProblems(of: establishment)
        if !problems.isEmpty { throw RestoreError.bundleProblems(problems) }

        guard let target = try hosting.registry.structure(baseID: baseID) else {
            throw RestoreError.refused(
                "there is no establishment \(baseID) on this server: restore into an existing one, or make a new one with transfert import"
            )
        }
        switch target.status {
        case .active: break
        case .moved:
            throw RestoreError.refused(
                "establishment \(baseID) moved to another server (confirmed): it cannot be restored here")
        case .importing:
            throw RestoreError.refused("establishment \(baseID) is still being imported: run `transfert doctor` first")
        }
        guard hosting.establishments.exists(baseID: baseID) else {
            throw RestoreError.refused(
                "establishment \(baseID) has no database (\(hosting.establishments.location(baseID: baseID))): run `transfert doctor`"
            )
        }
        guard let migrations = hosting.profile.upgradePath(from: establishment.schemaVersion) else {
            throw RestoreError.refused(
                "the bundle's schema version \(establishment.schemaVersion) "
                    + (establishment.schemaVersion > hosting.profile.schemaVersion.current
                        ? "is newer than this server's \(hosting.profile.schemaVersion.current): upgrade the application here first"
                        : "has no migration to \(hosting.profile.schemaVersion.current) in the application profile"))
        }
        let model = hosting.profile.content
        let content: ResolvedContent
        if options.without.isEmpty && options.only == nil {
            content = .everything(model)
        } else {
            content = try ContentSelector(model: model).resolve(
                schema: establishment.schema, without: options.without, only: options.only)
        }
        // Rows the bundle never carried (an export --without) are not ours to leave out: their tables are
        // empty in it already.
        let leftOut = Set(establishment.schema.tables.map(\.name).filter { !content.carries(table: $0) })
        let localisation = opened.csv?.rows.first(where: { $0["Nom_fichier"] == establishment.nomFichier })?[
            "Localisation"]
        return Prepared(
            source: source, bundle: bundle, establishment: establishment,
            localisation: localisation.flatMap { $0.isEmpty ? nil : $0 }, target: target, migrations: migrations,
            content: content, leftOutTables: leftOut, bundleName: zip.deletingPathExtension().lastPathComponent)
    }

    static func choices(_ bundle: BundleManifest) -> String {
        bundle.establishments.map { "\($0.baseID) \($0.denomination)" }.joined(separator: ", ")
    }

    // MARK: - Restoring the bundle into a database nobody uses

    /// Restores the bundle's establishment into `store`'s database `baseID` (created here), checks every
    /// digest of the rows it carries, migrates it, and gives the schema-version row back when its table's
    /// rows were left out. Returns the restore checks measured on it.
    private func restoreBundle(
        _ prepared: Prepared, into store: any EstablishmentStore, baseID: Int64
    ) throws -> (counts: [String: [String: Int64]], failures: [String: String]) {
        let version = hosting.profile.schemaVersion
        // The schema-version row always follows the restored data: its table is restored, its other rows
        // removed below when the table is left out.
        var leaving = prepared.leftOutTables
        leaving.remove(version.table)
        try store.create(baseID: baseID, schema: DatabaseSchema())
        let restored = try prepared.source.restore(
            prepared.establishment, into: store, baseID: baseID, progress: nil, leavingOut: leaving)
        let differences = try store.read(baseID: baseID) { reader in
            try restored.differences(
                from: prepared.establishment.tables, in: reader, leftOut: prepared.leftOutTables)
        }
        guard differences.isEmpty else { throw ImportError.digestMismatch(differences) }
        guard restored.foreignKeys.isEmpty else {
            throw RestoreError.failed(
                "\(restored.foreignKeys.total) row(s) of the bundle point at a missing parent row: "
                    + restored.foreignKeys.descriptions.joined(separator: "; "))
        }
        try store.write(baseID: baseID) { writer in
            if prepared.leftOutTables.contains(version.table) {
                try writer.deleteRows(of: version.table, keeping: (version.keyColumn, version.key))
            }
            for migration in prepared.migrations {
                try writer.execute(migration.sql)
                try version.write(migration.to, with: writer)
            }
        }
        return try store.read(baseID: baseID) { RestoreCheckRunner(checks: hosting.profile.restoreChecks).measure($0) }
    }

    // MARK: - Replace

    private func replace(_ prepared: Prepared, options: RestoreOptions, report: inout RestoreReport) throws {
        let id = prepared.target.baseID
        if options.overwriteSettings, let uai = prepared.establishment.uai.flatMap({ try? UAI(validating: $0) }),
            let other = try hosting.registry.structure(uai: uai), other.baseID != id
        {
            throw RestoreError.refused(
                "--overwrite-settings would give it UAI \(uai.rawValue), which establishment \(other.baseID) has")
        }
        try HostingAccess(registry: hosting.registry, settings: hosting.accessSettings)
            .requireWindow(covering: [id], command: "restore")
        try RestoreSpaceCheck(diskSpace: options.diskSpace).requireRoom(for: [prepared.establishment], in: hosting)
        if options.dryRun {
            report.notes.append(
                "dry run: the bundle and the target were checked; nothing was backed up, restored or changed")
            return
        }
        // Files a killed restore set aside are put back first, so that the safety backup holds them.
        report.notes += StagedFiles.recoverAbandoned(live: hosting.filesDirectory(baseID: id))
        // The safety backup takes and releases its own lock (it is an export): taken first.
        if let safetyBackup {
            do {
                report.safetyBackup = try safetyBackup.backUp(prepared.target).path
            } catch {
                throw RestoreError.failed("the safety backup could not be made (\(error)); nothing was changed")
            }
        }
        try withRestoreLock(id) {
            try replaceLocked(prepared, options: options, report: &report)
        }
    }

    private func withRestoreLock(_ id: Int64, _ body: () throws -> Void) throws {
        do {
            try hosting.registry.acquire(.automatic(baseID: id, kind: .restore))
        } catch {
            throw RestoreError.refused("establishment \(id) cannot be locked: \(error)")
        }
        let heartbeat = LockHeartbeat(registry: hosting.registry) { [id] }
        defer {
            heartbeat.stop()
            try? hosting.registry.releaseLock(baseID: id)
        }
        try body()
    }

    private func replaceLocked(_ prepared: Prepared, options: RestoreOptions, report: inout RestoreReport) throws {
        let id = prepared.target.baseID
        let staged = try hosting.backend.makeStagedEstablishment(baseID: id)
        defer { staged.discard() }
        let bundleChecks: (counts: [String: [String: Int64]], failures: [String: String])
        do {
            bundleChecks = try restoreBundle(prepared, into: staged.store, baseID: id)
            if !options.overwriteSettings { try keepSettings(of: id, in: staged.store) }
        } catch let error as RestoreError {
            throw error
        } catch {
            throw RestoreError.failed(String(describing: error))
        }
        let files = try stageFiles(prepared)
        defer { files.discard() }
        do {
            try options.beforeSwap()
        } catch {
            throw RestoreError.failed("stopped before the swap: \(error)")
        }
        try staged.swapIntoPlace()
        do {
            try files.swapIntoPlace()
        } catch {
            try staged.undoSwap()
            throw RestoreError.failed("the uploaded files could not be put in place (\(error))")
        }
        do {
            try record(prepared, options: options, report: report)
        } catch {
            try? files.undoSwap()
            try staged.undoSwap()
            throw RestoreError.failed("the registry could not record the restore (\(error))")
        }
        if !files.restores {
            report.notes.append(
                prepared.bundle.options.includeFiles
                    ? "the uploaded files were left out: the establishment's own are kept"
                    : "the bundle carries no uploaded files: the establishment's own are kept")
        }
        let after = try hosting.establishments.read(baseID: id) {
            RestoreCheckRunner(checks: hosting.profile.restoreChecks).measure($0)
        }
        report.checks = RestoreCheckRunner(checks: hosting.profile.restoreChecks).compare(
            bundle: bundleChecks.counts, after: after.counts,
            failures: bundleChecks.failures.merging(after.failures) { a, _ in a })
    }

    /// The profile's `settings` category keeps the establishment's own rows: copied from the live database
    /// into the staging one (the schema-version row excepted: it follows the restored data). Rows of the
    /// bundle that point at a settings row the establishment lacks refuse the restore.
    private func keepSettings(of id: Int64, in staging: any EstablishmentStore) throws {
        guard let settings = hosting.profile.content.categories.first(where: { $0.name == "settings" }) else { return }
        let version = hosting.profile.schemaVersion
        var kept: [(table: String, columns: [String], rows: [[SQLValue]])] = []
        try hosting.establishments.read(baseID: id) { reader in
            for table in settings.tables {
                let columns = try reader.columnNames(of: table)
                var rows: [[SQLValue]] = []
                try reader.forEachRow(of: table, columns: columns) { rows.append($0) }
                if table == version.table, let key = columns.firstIndex(of: version.keyColumn) {
                    rows.removeAll { $0[key] == .text(version.key) }
                }
                kept.append((table, columns, rows))
            }
        }
        // As a load: foreign keys are checked once, after every settings row is in (a table's rows are
        // deleted while the bundle's rows still point at them).
        try staging.load(baseID: id) { writer in
            for table in kept {
                try writer.deleteRows(
                    of: table.table, keeping: table.table == version.table ? (version.keyColumn, version.key) : nil)
                for row in table.rows { try writer.insertNow(into: table.table, columns: table.columns, values: row) }
            }
            let dangling = try writer.foreignKeyViolations(limit: 5)
            guard dangling.isEmpty else {
                throw RestoreError.refused(
                    "keeping this establishment's settings (\(settings.tables.joined(separator: ", "))) would leave \(dangling.total) row(s) of the bundle pointing at settings rows it does not have (\(dangling.descriptions.joined(separator: "; "))): restore with --overwrite-settings to take the bundle's settings"
                )
            }
        }
    }

    private func stageFiles(_ prepared: Prepared) throws -> StagedFiles {
        let live = hosting.filesDirectory(baseID: prepared.target.baseID)
        let restores = prepared.bundle.options.includeFiles && prepared.content.carriesFiles
        let staged = StagedFiles(live: live, restores: restores)
        if restores {
            do {
                try prepared.source.restoreFiles(prepared.establishment, into: staged.staging)
            } catch {
                staged.discard()
                throw RestoreError.failed("the uploaded files could not be restored (\(error))")
            }
        }
        return staged
    }

    /// The journal line, and the bundle's name, place and UAI with `--overwrite-settings`.
    private func record(_ prepared: Prepared, options: RestoreOptions, report: RestoreReport) throws {
        let target = prepared.target
        var details: (denomination: String, localisation: String, uai: UAI?)?
        if options.overwriteSettings {
            details = (
                prepared.establishment.denomination, prepared.localisation ?? target.localisation,
                prepared.establishment.uai.flatMap { try? UAI(validating: $0) }
            )
        }
        var words = ["restored (\(options.mode.rawValue)) from bundle \(prepared.bundleName)"]
        if let backup = report.safetyBackup {
            words.append("safety backup \(URL(fileURLWithPath: backup).lastPathComponent)")
        }
        if !report.leftOut.isEmpty { words.append("without \(report.leftOut.map(\.category).joined(separator: ", "))") }
        if options.overwriteSettings { words.append("settings taken from the bundle") }
        try hosting.registry.recordRestore(
            baseID: target.baseID, details: details,
            journal: JournalEntry(
                event: .restored, guid: target.guid.uuidString.lowercased(), baseID: target.baseID,
                denomination: details?.denomination ?? target.denomination,
                sourceServer: prepared.bundle.source.serverName, sourceFingerprint: prepared.bundle.source.fingerprint,
                sourceBaseID: prepared.establishment.baseID, bundle: prepared.bundleName,
                details: words.joined(separator: "; "), uai: (details?.uai ?? target.uai)?.rawValue,
                digests: options.mode == .replace && prepared.leftOutTables.isEmpty
                    ? prepared.establishment.tables : nil,
                note: options.note))
        if options.overwriteSettings, let language = prepared.establishment.language,
            LetterLanguage.all.contains(language)
        {
            try? hosting.registry.setLetterLanguage(language, baseID: target.baseID)
        }
    }

    // MARK: - Merge

    private func merge(_ prepared: Prepared, options: RestoreOptions, report: inout RestoreReport) throws {
        let model = hosting.profile.content
        guard !model.mergeKeys.isEmpty else {
            throw RestoreError.refused(
                "the application profile declares no natural keys (`merge:`), so the bundle's rows cannot be matched with the establishment's (a user would be duplicated): add `merge:` to the profile, or use --replace"
            )
        }
        let id = prepared.target.baseID
        try HostingAccess(registry: hosting.registry, settings: hosting.accessSettings)
            .requireWindow(covering: [id], command: "restore")
        // The establishment grows by at most the bundle's rows and files.
        try RestoreSpaceCheck(diskSpace: options.diskSpace).requireRoom(for: [prepared.establishment], in: hosting)
        try withRestoreLock(id) {
            let scratch = try hosting.backend.makeScratchDatabases(parent: nil)
            defer { scratch.remove() }
            let bundleChecks: (counts: [String: [String: Int64]], failures: [String: String])
            do {
                bundleChecks = try restoreBundle(prepared, into: scratch.store, baseID: 1)
            } catch let error as RestoreError {
                throw error
            } catch {
                throw RestoreError.failed(String(describing: error))
            }
            let runner = RestoreCheckRunner(checks: hosting.profile.restoreChecks)
            let before = try hosting.establishments.read(baseID: id) { runner.measure($0) }
            // Tables left out stay as they are: none of their rows is merged. Nor is a SIS feed's state
            // (Transfert's own tables): it says what the establishment's own feed has applied, and the
            // bundle's records would be a second, contradicting copy of the same memberships.
            let bundleSchema = try scratch.store.read(baseID: 1) { try $0.schema() }
            let feedTables = bundleSchema.tables.map(\.name).filter(FeedStateTables.isOwn)
            var planner = MergePlanner(
                model: model, schema: bundleSchema, leftOut: prepared.leftOutTables.union(feedTables))
            let feedRows = try scratch.store.read(baseID: 1) { reader in
                try feedTables.reduce(Int64(0)) { $0 &+ (try reader.rowCount(of: $1)) }
            }
            if feedRows > 0 {
                report.notes.append(
                    "the bundle's SIS feed state (\(feedRows) record(s) in \(feedTables.joined(separator: ", "))) was not merged: the establishment keeps its own; the next feed run brings the memberships in step"
                )
            }
            if options.mergeUsers == .never {
                planner.refuseMatchesIn = Set(model.categories.first(where: { $0.name == "users" })?.tables ?? [])
            }
            let facts = try hosting.establishments.read(baseID: id) { try planner.facts(in: $0) }
            var outcome = MergeOutcome()
            if options.dryRun {
                outcome = try scratch.store.read(baseID: 1) { bundle in
                    try planner.merge(bundle: bundle, facts: facts) { _, _, _ in }
                }
            } else {
                // One transaction: a refused row, or a refusal of --merge-users never, rolls every row back.
                try scratch.store.read(baseID: 1) { bundle in
                    try hosting.establishments.write(baseID: id) { writer in
                        outcome = try planner.merge(bundle: bundle, facts: facts) { table, columns, values in
                            try writer.insertNow(into: table, columns: columns, values: values)
                        }
                    }
                }
            }
            report.matches = outcome.matches
            report.merged = outcome.tables
            if !prepared.establishment.files.isEmpty && prepared.content.carriesFiles {
                // Uploads have no natural key to match them by: said, not merged silently or half-way.
                report.notes.append(
                    "the bundle's \(prepared.establishment.files.count) uploaded file(s) were not merged: the establishment keeps its own; a file the merged rows name may be missing (restore with --replace to take the bundle's files)"
                )
            }
            if options.dryRun {
                report.notes.append("dry run: nothing was merged; the tables show what would be added and matched")
                return
            }
            try record(prepared, options: options, report: report)
            let after = try hosting.establishments.read(baseID: id) { runner.measure($0) }
            report.checks = runner.compare(
                before: before.counts, bundle: bundleChecks.counts, after: after.counts,
                failures: bundleChecks.failures.merging(before.failures) { a, _ in a }.merging(after.failures) { a, _ in
                    a
                })
        }
    }
}
