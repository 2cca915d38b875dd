import Foundation
import Synchronization
import TransfertFormats
import TransfertModel
import TransfertStorage

public struct ImportOptions: Sendable {
    /// Validate and print the plan; write nothing.
    public var dryRun = false
    /// Give every establishment a new GUID: a copy, not a move.
    public var asCopy = false
    /// Where the result goes (a `.csv`, with a `.json` beside it); default: next to the bundle.
    public var resultURL: URL?
    /// Also check that each contact e-mail's domain accepts mail, asking this resolver
    /// (`--check-mail-domains`); `nil` (the default): no DNS traffic, for servers without DNS access.
    public var mailDomainResolver: (any MailDomainResolver)?
    /// Import establishments whose source data has rows pointing at missing parents, as they are
    /// (each listed in the result); by default such an establishment is refused with the rows named.
    public var acceptForeignKeyViolations = false
    /// A SACoche bundle's digests recorded by `verify --digests` (`--check-digests`): the restored tables
    /// must have them.
    public var sacocheDigests: SACocheDigests?
    /// Where the signed receipt goes (default: `<zip name>.receipt.json` next to the result file).
    public var receiptURL: URL?
    /// The operator's words, kept in the journal with the import.
    public var note: String?
    /// Polled between establishments and statements; `true` stops cleanly (SIGINT/SIGTERM).
    public var shouldStop: @Sendable () -> Bool = { false }
    /// Told of each establishment restored and of the dump bytes read.
    public var progress: WorkProgress?
    /// Asked whether the hosting's disk has room for the bundle before anything is written (tests
    /// pretend a full disk through it).
    public var diskSpace = DiskSpace.system
    /// Content categories whose rows are not restored (`--without`), or the only ones restored (`--only`);
    /// their tables are created empty, and their digests in the manifest are not checked (said in the notes).
    public var without: [String] = []
    public var only: [String]?

    public init(dryRun: Bool = false, asCopy: Bool = false, resultURL: URL? = nil) {
        self.dryRun = dryRun
        self.asCopy = asCopy
        self.resultURL = resultURL
    }
}

/// Restores the establishments of an edited bundle into a hosting.
///
/// 1. Leftovers of a killed import are cleaned first (see ``Doctor``).
/// 2. Every row is validated (``ImportPlanner``); one problem anywhere and nothing is imported.
/// 3. Ids are claimed for all rows in one registry transaction (status *importing*, locked).
/// 4. Each establishment is restored by parsing its dump, its digests are checked, its schema upgraded,
///    its files written, and only then is it made active and journaled. A failure removes everything of
///    that establishment; the others still import.
///
/// ```swift
/// let report = try Importer(hosting: target).run(csv: csvURL, zip: zipURL, options: ImportOptions())
/// for e in report.establishments { print(e.newID ?? 0, e.outcome) }
/// ```
public struct Importer {
    public let hosting: Hosting
    /// The fresh establishment's schema, computed at the first import that needs it.
    private let fresh = FreshSchemaCache()
    /// How each distinct imported schema differs from the fresh one, compared once per import.
    private let schemaDifferences = SchemaDifferenceCache()

    public init(hosting: Hosting) {
        self.hosting = hosting
    }

    public func run(csv: URL, zip: URL, options: ImportOptions) throws -> ImportReport {
        let doctor = Doctor(hosting: hosting)
        let (cleaned, abandonedClaims) =
            options.dryRun ? ([], []) : try doctor.cleanAbandonedImportsKeepingTheirClaims()
        let bundleName = zip.deletingPathExtension().lastPathComponent
        let resumes = try hosting.registry.hasUnfinishedImportRun(bundle: bundleName)
        var planner = ImportPlanner(
            hosting: hosting, asCopy: options.asCopy, readContents: options.dryRun,
            mailDomains: options.mailDomainResolver)
        planner.sacocheDigests = options.sacocheDigests
        var plan = try planner.plan(csv: csv, zip: zip, resumes: resumes)
        if options.dryRun, let shortfall = spaceShortfall(plan, diskSpace: options.diskSpace) {
            // The real import would be refused for want of room: the dry run says so with the other problems.
            plan.problems.append(shortfall)
        }
        var report = ImportReport(
            csv: csv.path, zip: zip.path, dryRun: options.dryRun, resumed: resumes && !options.dryRun,
            cleanedLeftovers: cleaned)
        report.csvEncoding = plan.csv?.encoding.rawValue
        report.csvSeparator = plan.csv?.separator.rawValue
        guard plan.isValid, let bundle = plan.bundle, let source = plan.source else {
            throw ImportValidationError(
                problems: plan.problems, csvEncoding: report.csvEncoding, csvSeparator: report.csvSeparator,
                prerequisites: plan.prerequisites)
        }
        // A selection (`--without`, `--only`) that cannot be made is refused before anything is written, and
        // by the dry run too.
        for planned in plan.establishments where planned.alreadyImported == nil {
            _ = try leftOutTables(of: planned.establishment, options: options)
        }
        if options.dryRun {
            report.establishments = plan.establishments.map { planned in
                outcome(
                    planned, id: planned.structure.baseID, planned.alreadyImported == nil ? .planned : .alreadyImported)
            }
            return report
        }

        let toImport = plan.establishments.filter { $0.alreadyImported == nil }
        // Room for every database and file the bundle declares, asked before anything is written.
        try RestoreSpaceCheck(diskSpace: options.diskSpace).requireRoom(for: toImport.map(\.establishment), in: hosting)
        // The bundle's identity for the journal and the receipt (read once; the restore reads it anyway).
        let zipSHA256 = try SHA256Hex.ofFile(zip)
        // With require_maintenance_window, the ids the establishments will receive must be in a window.
        try HostingAccess(registry: hosting.registry, settings: hosting.accessSettings)
            .requireWindow(covering: toImport.map(\.structure.baseID), command: "import")
        let run = try hosting.registry.startImportRun(bundle: bundleName)
        let claimed: [Structure]
        do {
            // Rows without Id_Import get their ids inside the claim's transaction, by the rule the dry run
            // showed (``Hosting/freeIDs(count:reserved:)``): the same ids unless another import came between.
            // An establishment whose killed import had claimed an id gets it back, as a clean import would.
            let reclaimed = try ReclaimedIDs(claims: abandonedClaims, hosting: hosting)
            claimed = try hosting.registry.claimForImport(
                toImport.map { planned in
                    var structure = planned.structure
                    if !planned.explicitID { structure.baseID = reclaimed.id(for: structure) }
                    return structure
                },
                reserved: Set(toImport.filter(\.explicitID).map(\.structure.baseID)), isFree: try hosting.freeIDTest())
        } catch {
            try? hosting.registry.finishImportRun(id: run.id, complete: false)
            throw ImportError.claimFailed(String(describing: error))
        }
        // The restore locks stay fresh for as long as the restores take (a killed import's go stale).
        let heartbeat = LockHeartbeat(registry: hosting.registry) { [claimed] in claimed.map(\.baseID) }
        defer { heartbeat.stop() }
        var claimedByLine: [Int: Structure] = [:]
        for (planned, structure) in Swift.zip(toImport, claimed) { claimedByLine[planned.row.line] = structure }

        report.establishments = restoreAll(
            plan.establishments, claimedByLine: claimedByLine, source: source, bundle: bundle,
            bundleName: bundleName, zipSHA256: zipSHA256, options: options)
        let complete = report.establishments.allSatisfy { $0.outcome != .failed }
        try hosting.registry.finishImportRun(id: run.id, complete: complete)
        let resultURL = options.resultURL ?? Self.defaultResultURL(zip: zip)
        if !options.without.isEmpty || options.only != nil {
            // A receipt tells the source that the establishment lives here now: not true of part of it.
            report.receiptProblem =
                "no receipt: --without/--only imported part of the content, and `transfert confirm` must only ever confirm a whole establishment"
        } else {
            writeReceipt(
                into: &report, plan: plan, bundle: bundle, source: source, bundleName: bundleName,
                zipSHA256: zipSHA256,
                url: options.receiptURL ?? ReceiptWriter.defaultURL(result: resultURL, bundleName: bundleName),
                note: options.note)
        }
        report.writeResultFiles(to: resultURL)
        return report
    }

    /// What the real import's ``RestoreSpaceCheck`` would refuse, as a problem of the dry run.
    private func spaceShortfall(_ plan: ImportPlan, diskSpace: DiskSpace) -> Problem? {
        let toImport = plan.establishments.filter { $0.alreadyImported == nil }
        guard !toImport.isEmpty else { return nil }
        do {
            try RestoreSpaceCheck(diskSpace: diskSpace).requireRoom(for: toImport.map(\.establishment), in: hosting)
            return nil
        } catch {
            return Problem(code: error.problemCode, message: error.description, location: error.location)
        }
    }

    /// Restores the claimed establishments, as many at once as the backend allows
    /// (``HostingBackend/concurrentRestores``), and returns every row's outcome in CSV order.
    ///
    /// Small establishments are mostly fixed costs — creating the database, the registry's transactions
    /// and their fsyncs, the schema comparison — during which a core would idle; two restores at once keep
    /// both busy. Each restore stays all-or-nothing on its own: one failing does not stop the other.
    private func restoreAll(
        _ establishments: [PlannedEstablishment], claimedByLine: [Int: Structure], source: any BundleSource,
        bundle: BundleManifest, bundleName: String, zipSHA256: String, options: ImportOptions
    ) -> [ImportOutcome] {
        var outcomes = [ImportOutcome?](repeating: nil, count: establishments.count)
        var jobs: [(slot: Int, planned: PlannedEstablishment, structure: Structure)] = []
        for (slot, planned) in establishments.enumerated() {
            if let existing = planned.alreadyImported {
                outcomes[slot] = outcome(planned, id: existing.baseID, .alreadyImported)
            } else if let structure = claimedByLine[planned.row.line] {
                jobs.append((slot, planned, structure))
            }
        }
        options.progress?.begin(
            items: jobs.count, amount: jobs.lazy.map(\.planned.establishment.contentBytes).saturatingSum())
        let queue = IndexedWorkQueue<ImportOutcome>(count: jobs.count)
        let worker = { [self] in
            while let index = queue.next() {
                let (_, planned, structure) = jobs[index]
                if options.shouldStop() {
                    Doctor(hosting: hosting).rollBack(structure.baseID)
                    var stopped = outcome(planned, id: structure.baseID, .failed)
                    stopped.reason = "not imported: the import was interrupted"
                    stopped.problem = Problem(
                        code: .importInterrupted, message: stopped.reason!,
                        location: ProblemLocation(establishment: planned.establishment.nomFichier))
                    stopped.newID = nil
                    queue.store(stopped, at: index)
                    continue
                }
                let item = options.progress?.startItem(
                    structure.displayName,
                    expected: planned.establishment.contentBytes)
                let result = restore(
                    planned, as: structure, source: source, bundle: bundle, bundleName: bundleName,
                    zipSHA256: zipSHA256, options: options, progress: item)
                item?.finish(outcome: result.outcome.rawValue)
                queue.store(result, at: index)
            }
        }
        Concurrently.workers(min(hosting.backend.concurrentRestores, jobs.count), worker)
        // Workers never fail the queue (a failed restore is an outcome), so every slot is filled.
        for (index, result) in ((try? queue.results()) ?? []).enumerated() { outcomes[jobs[index].slot] = result }
        return outcomes.compactMap { $0 }
    }

    /// The signed receipt of what this bundle now has here; SACoche bundles get none (SACoche has no
    /// `confirm` to read it). A receipt that cannot be written is reported, not thrown: the import is done.
    private func writeReceipt(
        into report: inout ImportReport, plan: ImportPlan, bundle: BundleManifest, source: any BundleSource,
        bundleName: String, zipSHA256: String, url: URL, note: String?
    ) {
        guard source.kind == .transfert else {
            report.receiptProblem =
                "no receipt: the bundle was written by SACoche, which has no `confirm` step to read one"
            return
        }
        let byGUID = Dictionary(
            plan.establishments.map { ($0.establishment.guid.lowercased(), $0.establishment) },
            uniquingKeysWith: { first, _ in first })
        let hosted = report.establishments.filter { $0.outcome == .imported || $0.outcome == .alreadyImported }
            .compactMap { outcome in byGUID[outcome.guid].map { (outcome: outcome, establishment: $0) } }
        var writer = ReceiptWriter(
            directory: hosting.directory, registry: hosting.registry, configuration: hosting.configuration)
        do {
            report.receipt = try writer.write(
                to: url, bundle: bundle, bundleName: bundleName, zipSHA256: zipSHA256, hosted: hosted, note: note)?.path
            if !writer.journalProblems.isEmpty {
                report.receiptProblem = writer.journalProblems.joined(separator: "; ")
            }
        } catch {
            report.receiptProblem =
                "the receipt could not be written to \(url.path) (\(error)): give --receipt FILE and import again (nothing is imported twice)"
        }
    }

    /// How the imported database's schema differs from a fresh establishment's at the current version,
    /// and what a format-1 bundle says it left out: reported, never silent.
    /// `imported`: the database's schema when already read (it is read again after migrations).
    private func schemaNotes(
        for establishment: BundleManifest.Establishment, of bundle: BundleManifest, baseID: Int64,
        imported known: DatabaseSchema?
    ) throws -> [String] {
        var notes: [String] = []
        if bundle.formatVersion < 2 {
            notes.append(
                "this bundle uses archive format \(bundle.formatVersion), which does not carry foreign keys, CHECK constraints, expression or partial indexes, views or triggers"
            )
            notes += establishment.schemaNotes.map { "left out by the export: \($0)" }
        }
        let imported = try known ?? hosting.establishments.read(baseID: baseID) { try $0.schema() }
        notes += hosting.backend.caveats(for: imported)
        let actual = imported.withoutTransfertTables
        notes += try schemaDifferences.notes(for: actual) {
            SchemaComparison.differences(
                expected: try freshSchema(), actual: actual, actualLabel: "the imported database"
            )
            .map { "differs from a fresh establishment: \($0.message)" }
        }
        return notes
    }

    /// A fresh establishment's schema on this hosting, made once per import.
    private func freshSchema() throws -> DatabaseSchema {
        try fresh.schema { try hosting.freshEstablishmentSchema() }
    }

    /// `<bundle>.result.csv`, next to the bundle.
    static func defaultResultURL(zip: URL) -> URL {
        zip.deletingPathExtension().appendingPathExtension("result").appendingPathExtension("csv")
    }

    /// Restores one establishment completely, or removes every trace of it.
    private func restore(
        _ planned: PlannedEstablishment, as structure: Structure, source: any BundleSource,
        bundle: BundleManifest, bundleName: String, zipSHA256: String, options: ImportOptions,
        progress: ProgressItem?
    ) -> ImportOutcome {
        let started = Date()
        let establishment = planned.establishment
        let id = structure.baseID
        let store = hosting.establishments
        do {
            let (leftOut, content) = try leftOutTables(of: establishment, options: options)
            let version = hosting.profile.schemaVersion
            try store.create(baseID: id, schema: DatabaseSchema())
            // The schema-version row follows the restored data even when its table's rows are left out.
            let restored = try source.restore(
                establishment, into: store, baseID: id, progress: progress,
                leavingOut: leftOut.subtracting([version.table]))
            if leftOut.contains(version.table) {
                try store.write(baseID: id) { writer in
                    try writer.deleteRows(of: version.table, keeping: (version.keyColumn, version.key))
                }
            }
            // One read for both the digests' check and the schema the notes compare (one connection fewer
            // per establishment: most of a small establishment's import is such fixed costs).
            // MySQL tables of a Transfert bundle are also checked by MySQL's rules (a SACoche bundle's were,
            // value by value, as they were parsed): a value SACoche's server would refuse never comes in,
            // whatever this hosting's engine, since it could never go back (Docs/sacoche.md §4).
            let (differences, restoredSchema, mysql) = try store.read(baseID: id) { reader in
                (
                    try restored.differences(from: establishment.tables, in: reader, leftOut: leftOut),
                    try reader.schema(),
                    source.kind == .sacoche
                        ? (problems: [], refused: 0)
                        : try MySQLRowAudit.problems(in: establishment.schema, reader: reader, limit: 20)
                )
            }
            guard differences.isEmpty else { throw ImportError.digestMismatch(differences) }
            guard mysql.refused == 0 else {
                throw ImportError.mysqlValues(mysql.problems.map(\.description), total: mysql.refused)
            }
            var notes = planned.notes + source.notes(of: establishment)
            if !leftOut.isEmpty {
                notes.append(
                    "left out (\(content.selection.leftOut.map { "\($0.category): \($0.reason)" }.joined(separator: "; "))): the rows of \(leftOut.sorted().joined(separator: ", ")) were not restored, so their digests in the manifest were not checked"
                )
            }
            if !restored.foreignKeys.isEmpty {
                guard options.acceptForeignKeyViolations else {
                    throw ImportError.foreignKeyViolations(
                        restored.foreignKeys.descriptions, total: restored.foreignKeys.total)
                }
                notes += restored.foreignKeys.descriptions.map {
                    "kept as in the source (--accept-foreign-key-violations): \($0)"
                }
            }
            if let content = bundle.options.content, !content.isComplete, !establishment.schemaVersion.isEmpty {
                // The version row was left out with its category: a fresh establishment has one, and the
                // application would not open the database without it. The manifest names it.
                let version = hosting.profile.schemaVersion
                if try store.read(baseID: id, { try version.read(from: $0) }) == nil {
                    try store.write(baseID: id) { writer in
                        try writer.makeInserter(
                            table: version.table, columns: [version.keyColumn, version.valueColumn]
                        )
                        .insert([.text(version.key), .text(establishment.schemaVersion)])
                    }
                    notes.append(
                        "the schema version row was left out by the export (\(content.leftOut.map(\.category).joined(separator: ", "))): set to \(establishment.schemaVersion), the manifest's"
                    )
                }
            }
            if !planned.migrations.isEmpty {
                let version = hosting.profile.schemaVersion
                try store.write(baseID: id) { writer in
                    for migration in planned.migrations {
                        try writer.execute(migration.sql)
                        try version.write(migration.to, with: writer)
                    }
                }
            }
            notes += try schemaNotes(
                for: establishment, of: bundle, baseID: id,
                imported: planned.migrations.isEmpty ? restoredSchema : nil)
            if content.carriesFiles {
                try source.restoreFiles(establishment, into: hosting.filesDirectory(baseID: id))
            } else if !establishment.files.isEmpty {
                notes.append("its \(establishment.files.count) uploaded file(s) were left out")
            }
            progress?.add(establishment.filesBytes)
            var details: [String] = []
            if options.asCopy { details.append("copy of GUID \(establishment.guid)") }
            if !bundle.options.includeFiles { details.append(JournalEntry.filesNotIncludedNote) }  // letters say so
            if bundle.options.isAnonymised { details.append(JournalEntry.anonymisedCopyNote) }  // letters refuse it
            if let content = bundle.options.content, !content.isComplete {
                details.append("left out by the export: \(content.leftOut.map(\.category).joined(separator: ", "))")
            }
            if !planned.migrations.isEmpty {
                details.append(
                    "schema upgraded from \(establishment.schemaVersion) to \(hosting.profile.schemaVersion.current)")
            }
            try hosting.registry.completeImport(
                baseID: id,
                journal: JournalEntry(
                    event: .imported, guid: structure.guid.uuidString.lowercased(), baseID: id,
                    denomination: structure.denomination,
                    sourceServer: bundle.source.serverName, sourceFingerprint: bundle.source.fingerprint,
                    sourceBaseID: establishment.baseID, bundle: bundleName,
                    details: (details + notes).isEmpty ? nil : (details + notes).joined(separator: "; "),
                    uai: structure.uai?.rawValue, bundleSHA256: zipSHA256, digests: establishment.tables,
                    note: options.note),
                letterLanguage: establishment.language.flatMap { LetterLanguage.all.contains($0) ? $0 : nil })
            var result = outcome(planned, id: id, .imported)
            notes += letterLanguageNotes(of: establishment, id: id)
            result.notes = notes
            result.structure = structure
            result.tables = restored.tables.count
            result.rows = restored.rows
            result.seconds = Date().timeIntervalSince(started)
            return result
        } catch {
            Doctor(hosting: hosting).rollBack(id)
            var result = outcome(planned, id: nil, .failed)
            result.reason = String(describing: error)
            result.problem = Problem(
                error, code: .importFailed,
                establishment: ProblemLocation(establishment: establishment.nomFichier, baseID: establishment.baseID))
            result.seconds = Date().timeIntervalSince(started)
            return result
        }
    }

    /// The tables whose rows `--without`/`--only` leave out of `establishment`, and the resolved selection
    /// (everything when neither is given).
    private func leftOutTables(of establishment: BundleManifest.Establishment, options: ImportOptions)
        throws(ContentSelectionError) -> (Set<String>, ResolvedContent)
    {
        let model = hosting.profile.content
        guard !options.without.isEmpty || options.only != nil else { return ([], .everything(model)) }
        let content = try ContentSelector(model: model).resolve(
            schema: establishment.schema, without: options.without, only: options.only)
        return (Set(establishment.schema.tables.map(\.name).filter { !content.carries(table: $0) }), content)
    }

    /// The establishment's own letter language, from the bundle, is recorded with the import's completion
    /// (one registry transaction). A language this server does not write letters in is said in the result,
    /// not dropped.
    private func letterLanguageNotes(of establishment: BundleManifest.Establishment, id: Int64) -> [String] {
        guard let language = establishment.language, !LetterLanguage.all.contains(language) else { return [] }
        return [
            "its letter language '\(language)' does not exist here: its letters will be in the hosting's \(hosting.configuration.userLanguage) (set one with `transfert structure language --ids \(id) fr|en`)"
        ]
    }

    private func outcome(_ planned: PlannedEstablishment, id: Int64?, _ kind: ImportOutcome.Kind) -> ImportOutcome {
        let s = planned.alreadyImported ?? planned.structure
        return ImportOutcome(
            line: planned.row.line, newID: id, idExport: planned.establishment.baseID,
            guid: s.guid.uuidString.lowercased(),
            zoneID: s.zoneID, localisation: s.localisation, denomination: s.denomination, uai: s.uai?.rawValue,
            contactNom: s.contactNom, contactPrenom: s.contactPrenom, contactCourriel: s.contactCourriel.rawValue,
            accessURL: id.map { hosting.configuration.accessURL(baseID: $0) }, outcome: kind,
            tables: planned.establishment.tables.count, rows: planned.establishment.rows)
    }
}

/// Every problem that stopped an import before anything was written.
public struct ImportValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var problems: [Problem]
    public var csvEncoding: String?
    public var csvSeparator: String?
    /// What the hosting lacks before any data can be restored, all of it in one sentence.
    public var prerequisites: String?

    public init(
        problems: [Problem], csvEncoding: String? = nil, csvSeparator: String? = nil, prerequisites: String? = nil
    ) {
        self.problems = problems
        self.csvEncoding = csvEncoding
        self.csvSeparator = csvSeparator
        self.prerequisites = prerequisites
    }

    public var description: String {
        guard !problems.isEmpty else {
            return
                "nothing was imported: \(prerequisites ?? "the bundle cannot be imported here").\nPrepare this hosting and run the import again; --dry-run checks without importing."
        }
        return
            "nothing was imported: \(problems.count) problem\(problems.count == 1 ? "" : "s") in the CSV or the bundle.\n"
            + (prerequisites.map { "First, \($0).\n" } ?? "")
            + problems.map { "  - \($0)" }.joined(separator: "\n")
            + "\nCorrect the CSV (or export again) and run the import again; --dry-run checks without importing."
    }
}

public enum ImportError: Error, Equatable, Sendable, CustomStringConvertible, LocatedError {
    case claimFailed(String)
    /// Each table that differs, with its table as `field`.
    case digestMismatch([Problem])
    /// Rows of the source data point at missing parents (listed), out of `total`.
    case foreignKeyViolations([String], total: Int)
    /// Values of MySQL tables a MySQL server in strict mode would refuse or change (listed), out of `total`.
    case mysqlValues([String], total: Int)

    public var problemCode: ProblemCode {
        switch self {
        case .claimFailed: return .importClaimFailed
        case .digestMismatch: return .restoreDigestMismatch
        case .foreignKeyViolations: return .restoreForeignKey
        case .mysqlValues: return .restoreMySQLValue
        }
    }

    /// The establishment is added by whoever reports it (``Problem/init(_:code:establishment:)``).
    public var location: ProblemLocation? { nil }

    public var description: String {
        switch self {
        case .claimFailed(let reason):
            return
                "nothing was imported: the ids could not be reserved (\(reason)); another import may be running: run the import again"
        case .digestMismatch(let differences):
            return "the restored database does not match the bundle: "
                + differences.map(\.message).joined(separator: "; ")
        case .foreignKeyViolations(let rows, let total):
            return "\(total) row(s) of the source data point at a missing parent row: " + rows.joined(separator: "; ")
                + ". Correct them on the source and export again, or import them as they are with --accept-foreign-key-violations"
        case .mysqlValues(let values, let total):
            return
                "\(total) value(s) of its MySQL tables would be refused or changed by a MySQL server in strict mode, so the establishment could never go back to SACoche: "
                + values.joined(separator: "; ") + (total > values.count ? "; … and \(total - values.count) more" : "")
                + ". Correct them on the source and export again"
        }
    }
}

/// Holds a fresh establishment's schema for the length of an import; made once, under a lock, since two
/// restores may ask for it at the same time.
private final class FreshSchemaCache: Sendable {
    private let made = Mutex<DatabaseSchema?>(nil)

    func schema(make: () throws -> DatabaseSchema) throws -> DatabaseSchema {
        try made.withLock { made in
            if let made { return made }
            let schema = try make()
            made = schema
            return schema
        }
    }
}

extension ImportValidationError: LocatedError {
    /// `import.prerequisites` when this server lacks what the bundle needs, else `import.invalid`.
    public var problemCode: ProblemCode { prerequisites != nil ? .importPrerequisites : .importInvalid }
}
