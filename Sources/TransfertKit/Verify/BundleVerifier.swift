import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Proves a bundle (CSV manifest + ZIP) is complete and restorable, and that it still matches the live
/// source, before anything is deleted on the old server.
///
/// - default: the CSV reads (with the importer's reader); every row's dump is in the ZIP and every
///   ZIP entry belongs to the manifest; no entry is unsafe; every entry's CRC-32, size and SHA-256
///   match, read once while inflating.
/// - ``VerificationLevel/deep``: each dump is also parsed under the importer's rules and restored into
///   a scratch database (always removed), whose row counts, content digests and integrity are checked.
/// - ``VerificationLevel/againstSource``: each establishment still hosted here (by GUID) is compared
///   with its live database and files; any write after the export shows as a difference.
///
/// It never stops at the first problem: the report lists them all.
///
/// ```swift
/// let report = BundleVerifier(hosting: hosting).verify(csv: csvURL, zip: zipURL, level: [.deep, .againstSource])
/// if !report.isVerified { report.allProblems.forEach { print($0) } }
/// ```
public struct BundleVerifier {
    /// The hosting to compare with (``VerificationLevel/againstSource``); not needed otherwise.
    public var hosting: Hosting?
    /// Where deep verification restores its scratch databases (default: the system's temporary directory).
    public var scratchDirectory: URL?
    /// Asked whether the scratch directory has room before a deep verification restores (a seam for tests).
    public var diskSpace = DiskSpace.system

    /// A SACoche bundle's digests recorded by an earlier `verify --digests`: proved unchanged.
    public var sacocheDigests: SACocheDigests?

    /// Told of each establishment checked and of the dump bytes restored (`--deep`).
    public var progress: WorkProgress?

    public init(hosting: Hosting? = nil, scratchDirectory: URL? = nil, sacocheDigests: SACocheDigests? = nil) {
        self.hosting = hosting
        self.scratchDirectory = scratchDirectory
        self.sacocheDigests = sacocheDigests
    }

    /// - Parameter readContents: inflate every entry and check its checksums (the default). Import
    ///   passes `false`: it checks each entry while it restores it, and reads each byte once.
    public func verify(csv: URL, zip: URL, level: VerificationLevel, readContents: Bool = true) -> VerificationReport {
        var report = VerificationReport(
            csv: csv.path, zip: zip.path, deep: level.contains(.deep),
            againstSource: level.contains(.againstSource))
        if level.contains(.againstSource) && hosting == nil {
            report.bundleProblems.append(
                Problem(
                    code: .verifyNoHosting,
                    message: "--against-source needs the hosting that exported the bundle (--hosting DIR)"))
        }
        let opened = OpenedBundle.open(csv: csv, zip: zip, sacocheDigests: sacocheDigests)
        report.csvEncoding = opened.csv?.encoding.rawValue
        report.csvSeparator = opened.csv?.separator.rawValue
        report.bundleProblems += opened.problems
        guard let source = opened.source else { return report }
        let manifest = source.manifest
        report.format = source.kind

        let pairs = Self.pair(opened.csv, with: manifest, report: &report)
        // Scratch databases on the hosting's own engine; SQLite (no server needed) without a hosting. A
        // SACoche bundle has no digests of its own: it is always restored, to compute them.
        var scratch: DeepRestore?
        if level.contains(.deep) || source.kind == .sacoche {
            // Scratch databases are files here when the engine is SQLite: room for them is asked first.
            if hosting == nil || hosting?.backend is SQLiteBackend {
                do {
                    try RestoreSpaceCheck(diskSpace: diskSpace).requireScratchRoom(
                        for: pairs.compactMap(\.establishment), concurrent: hosting?.backend.concurrentRestores ?? 2,
                        in: scratchDirectory ?? FileManager.default.temporaryDirectory)
                } catch {
                    report.bundleProblems.append(
                        Problem(code: error.problemCode, message: error.description, location: error.location))
                    return report
                }
            }
            do {
                scratch = DeepRestore(
                    databases: try hosting?.backend.makeScratchDatabases(parent: scratchDirectory)
                        ?? SQLiteBackend.scratchDatabases(parent: scratchDirectory))
            } catch {
                report.bundleProblems.append(
                    Problem(code: .verifyNoScratchDatabase, message: "no scratch database for --deep: \(error)"))
                return report
            }
        }
        defer { scratch?.databases.remove() }
        progress?.begin(
            items: pairs.count, amount: pairs.lazy.map { $0.establishment?.contentBytes ?? 0 }.saturatingSum())
        // Two establishments at once, as an import restores them: a bundle of many small establishments
        // is mostly per-establishment fixed costs, which one core alone would wait on.
        let queue = IndexedWorkQueue<EstablishmentVerification>(count: pairs.count)
        let workers = scratch == nil ? 2 : (hosting?.backend.concurrentRestores ?? 2)
        Concurrently.workers(min(workers, pairs.count)) { [self] in
            while let index = queue.next() {
                let pair = pairs[index]
                let item = progress?.startItem(
                    pair.establishment?.denomination ?? pair.row?["Dénomination"] ?? "",
                    expected: pair.establishment?.contentBytes ?? 0)
                let result = check(
                    pair, source: source, level: level, scratch: scratch, readContents: readContents, progress: item)
                item?.finish(outcome: result.status.rawValue)
                queue.store(result, at: index)
            }
        }
        // Checks never fail the queue (a problem is a verdict), so every slot is filled, in CSV order.
        report.establishments += (try? queue.results()) ?? []
        return report
    }

    // MARK: Pairing CSV rows with the manifest

    /// A CSV row and the manifest's establishment it names; either may be missing.
    struct Pair {
        var row: ManifestRow?
        var establishment: BundleManifest.Establishment?
        var problems: [Problem] = []
        /// In the ZIP, but the CSV that was read names it on no row.
        var droppedByOperator = false
    }

    /// CSV rows first, in file order, then the manifest's establishments no row names.
    static func pair(_ csv: ReadManifest?, with manifest: BundleManifest, report: inout VerificationReport) -> [Pair] {
        let byName = Dictionary(
            manifest.establishments.map { ($0.nomFichier, $0) }, uniquingKeysWith: { first, _ in first })
        guard let csv else { return manifest.establishments.map { Pair(row: nil, establishment: $0) } }
        var pairs: [Pair] = []
        var named: [String: Int] = [:]
        for row in csv.rows {
            let name = row["Nom_fichier"]
            var pair = Pair(row: row, establishment: byName[name])
            let place = ProblemLocation(file: csv.file, line: row.line, field: "Nom_fichier", value: name)
            if name.isEmpty {
                pair.problems.append(
                    Problem(code: .csvRequired, message: "CSV line \(row.line): Nom_fichier is empty", location: place))
            } else if let first = named[name] {
                pair.problems.append(
                    Problem(
                        code: .csvRepeated,
                        message: "CSV line \(row.line): Nom_fichier \(name) is already named on line \(first)",
                        location: place))
                pair.establishment = nil
            } else if pair.establishment == nil {
                pair.problems.append(
                    Problem(
                        code: .csvDumpNotInZIP,
                        message:
                            "CSV line \(row.line): the dump \(name) is not in the ZIP (its manifest does not list it)",
                        location: place))
            }
            named[name] = named[name] ?? row.line
            if let establishment = pair.establishment {
                pair.problems += RowMismatch.between(row, establishment, csv: csv).map {
                    Problem(
                        code: .csvMismatch,
                        message: "CSV line \(row.line), \($0.column) '\(row[$0.column])': \($0.message)",
                        location: ProblemLocation(
                            file: csv.file, line: row.line, field: $0.column, value: row[$0.column],
                            establishment: establishment.nomFichier, baseID: establishment.baseID))
                }
            }
            pairs.append(pair)
        }
        for establishment in manifest.establishments where named[establishment.nomFichier] == nil {
            pairs.append(Pair(row: nil, establishment: establishment, droppedByOperator: true))
        }
        if !pairs.contains(where: { $0.row != nil && $0.establishment != nil }) && !csv.rows.isEmpty {
            report.bundleProblems.append(
                Problem(
                    code: .csvNoDumpNamed,
                    message: "no row of the CSV names a dump of the ZIP: are the CSV and the ZIP from the same export?",
                    location: ProblemLocation(file: csv.file)))
        }
        return pairs
    }

    // MARK: One establishment

    private func check(
        _ pair: Pair, source: any BundleSource, level: VerificationLevel,
        scratch: DeepRestore?, readContents: Bool, progress: ProgressItem?
    ) -> EstablishmentVerification {
        let manifest = source.manifest
        let row = pair.row
        var result = EstablishmentVerification(
            nomFichier: pair.establishment?.nomFichier ?? row?["Nom_fichier"] ?? "",
            baseID: pair.establishment?.baseID ?? row.flatMap { Int64($0["Id_Export"]) },
            guid: pair.establishment?.guid,
            denomination: pair.establishment?.denomination ?? row?["Dénomination"] ?? "",
            uai: pair.establishment?.uai ?? row.map { $0["UAI"] }, dumpBytes: pair.establishment?.dumpBytes ?? 0,
            tables: pair.establishment?.tables.count ?? 0, rows: pair.establishment?.rows ?? 0, csvLine: row?.line,
            status: .ok, problems: pair.problems, notes: [])
        guard let establishment = pair.establishment else {
            result.status = .failed
            return result
        }
        result.schemaVersion = establishment.schemaVersion
        if pair.droppedByOperator {
            result.status = .notInCSV
            return result
        }
        let (problems, digests) = Self.contentProblems(
            of: establishment, source: source, readContents: readContents,
            scratch: level.contains(.deep) || source.kind == .sacoche ? scratch : nil,
            progress: progress)
        result.problems += problems
        if source.kind == .sacoche { result.digests = digests }
        if level.contains(.againstSource), let hosting {
            let (problems, notes, liveID) = compareWithSource(
                establishment, includeFiles: manifest.options.includeFiles, content: manifest.options.content,
                hosting: hosting)
            result.problems += problems
            result.notes += notes
            result.liveBaseID = liveID
        }
        result.status = result.problems.isEmpty ? .ok : .failed
        return result
    }

    /// Every entry of `establishment` is in the ZIP and, with `readContents`, matches its checksums; with
    /// a `scratch` restore the dump is also restored and compared with the manifest's digests.
    static func contentProblems(
        of establishment: BundleManifest.Establishment, source: any BundleSource,
        readContents: Bool, scratch: DeepRestore?, progress: ProgressItem? = nil
    ) -> (problems: [Problem], digests: [TableDigest]) {
        let place = ProblemLocation(establishment: establishment.nomFichier, baseID: establishment.baseID)
        // Each problem keeps its code and entry (a SACoche refused value its file, line, column and value);
        // the establishment completes its place.
        let content = { (problems: [Problem]) in problems.map { $0.restated(place: place) } }
        guard let scratch, readContents else {
            return (content(source.contentProblems(of: establishment, readContents: readContents)), [])
        }
        let listed = source.contentProblems(of: establishment, readContents: false)
        guard listed.isEmpty else { return (content(listed), []) }
        let (problems, digests) = scratch.restoreAndCompare(establishment, source: source, progress: progress)
        return (problems + content(source.fileProblems(of: establishment)), digests)
    }

    private func compareWithSource(
        _ establishment: BundleManifest.Establishment, includeFiles: Bool, content: ContentSelection?,
        hosting: Hosting
    ) -> (problems: [Problem], notes: [String], liveID: Int64?) {
        do {
            guard let guid = UUID(uuidString: establishment.guid),
                let live = try hosting.registry.structure(guid: guid)
            else {
                return ([], ["not hosted here (GUID \(establishment.guid)): nothing to compare"], nil)
            }
            var digests = try hosting.establishments.read(baseID: live.baseID) { try $0.tableDigests() }
            // A partial bundle's left-out tables are empty by design, an anonymised one's personal tables
            // hold pseudonyms: those are not compared, and the notes say which.
            var expected = establishment.tables
            var skipped: [String] = []
            if let content {
                let personal =
                    content.anonymised ? Set(hosting.profile.personalData.filter { !$0.value.isEmpty }.keys) : []
                skipped = expected.map(\.table).filter { !content.carries(table: $0) || personal.contains($0) }
                expected.removeAll { skipped.contains($0.table) }
                digests.removeAll { skipped.contains($0.table) }
            }
            var changes = DigestComparison.differences(
                expected: expected, actual: digests,
                actualLabel: "the live database (id \(live.baseID))")
            if includeFiles {
                changes += try DigestComparison.fileDifferences(
                    expected: establishment.files, prefix: "\(establishment.nomFichier)/files/",
                    directory: hosting.filesDirectory(baseID: live.baseID), label: "the live files (id \(live.baseID))")
            }
            let problems = changes.map {
                $0.restated(
                    prefix: "changed since the export: ", code: .sourceChanged,
                    place: ProblemLocation(establishment: establishment.nomFichier, baseID: live.baseID))
            }
            let notSkipped =
                skipped.isEmpty
                ? "" : " (not compared: \(skipped.joined(separator: ", ")), left out or anonymised by the export)"
            return (problems, ["compared with the live establishment \(live.baseID)" + notSkipped], live.baseID)
        } catch {
            return (
                [
                    Problem(
                        code: .sourceUnreadable, message: "cannot compare with the live source: \(error)",
                        location: ProblemLocation(establishment: establishment.nomFichier, baseID: establishment.baseID)
                    )
                ], [], nil
            )
        }
    }
}
