import Crypto
import Foundation
import TransfertModel

/// A SACoche bundle seen as a ``BundleSource``: every base the CSV names (or, without a CSV, every
/// inner ZIP) is read through once when the bundle is opened — statements, values, row counts,
/// `version_base` — and described as a ``BundleManifest`` establishment:
///
/// - `nom_fichier`: the inner ZIP; `base_id`: the CSV's `Id_Export` (else the id in the inner ZIP's name);
/// - `guid`: derived from the bundle's and the inner ZIP's names, so that a re-run of the same import
///   finds what it already imported (SACoche bases have no GUID; import gives them this one);
/// - `schema_version`: `version_base`; `tables`: row counts, with content digests only when a digests
///   file (`verify --digests`) gives them — a SACoche bundle has no checksum of its own;
/// - `entries`: the SQL files, with their sizes and SHA-256; `dump_sha256`: the inner ZIP's.
public final class SACocheBundleSource: BundleSource {
    public let bundle: SACocheBundle
    public private(set) var manifest: BundleManifest
    public private(set) var bundleProblems: [Problem] = []
    private var problems: [String: [String]] = [:]
    /// Per inner ZIP, the values refused by MySQL's rules (also among its problems, as sentences).
    private var refusals: [String: [MySQLValueRefusal]] = [:]

    /// The values of `establishment` that MySQL's rules refused, with their places (`verify --json`
    /// gives each its file, line, column, `table.column` and value).
    public func valueRefusals(of establishment: BundleManifest.Establishment) -> [MySQLValueRefusal] {
        refusals[establishment.nomFichier] ?? []
    }

    /// The sentence a refused value is listed with among the establishment's problems.
    package static func message(of refusal: MySQLValueRefusal, in innerZip: String) -> String {
        "\(innerZip): refused value: \(refusal)"
    }
    public var kind: BundleKind { .sacoche }

    /// - Parameters:
    ///   - csv: the CSV read, when there is one: its rows say which bases to read and what the registry
    ///     rows are.
    ///   - digests: per-table digests recorded by an earlier `verify --digests`, to be proved unchanged.
    public init(bundle: SACocheBundle, bundleName: String, csv: ReadManifest?, digests: SACocheDigests? = nil) {
        self.bundle = bundle
        manifest = BundleManifest(
            toolVersion: "SACoche",
            source: .init(
                serverName: "SACoche", baseURL: "", fingerprint: "", backend: "mysql", applicationProfile: "SACoche"),
            createdAt: "", options: .init(includeFiles: false, keepLocked: false), establishments: [])
        let named = Set((csv?.rows ?? []).map { $0["Nom_fichier"] })
        for other in bundle.otherEntries where !named.contains(other) {
            if bundle.misnamedZips.contains(other) {
                bundleProblems.append(
                    Problem(
                        code: .sacocheBundleUnexpectedEntry,
                        message:
                            "entry \(other) is a ZIP not named dump_SACoche_<id>_<date>_<n>.zip: SACoche names a base's ZIP after the wrong field when a ';' was written raw inside a CSV value (the line's fields shift). "
                            + (csv == nil ? "Give the CSV too to find the line; " : "No CSV line names it; ")
                            + "correct the CSV line (remove the ';' from the value) and export again from SACoche",
                        location: ProblemLocation(file: other)))
            } else {
                bundleProblems.append(
                    Problem(
                        code: .sacocheBundleUnexpectedEntry,
                        message:
                            "entry \(other) is not a base's ZIP (dump_SACoche_….zip): SACoche's importer would ignore it",
                        location: ProblemLocation(file: other)))
            }
        }
        let rows = csv?.rows ?? []
        let headerFields = csv.map { $0.columns.count + $0.ignoredColumns.count } ?? CSVManifest.sacocheColumns.count
        var names: [(name: String, row: ManifestRow?)] =
            rows.isEmpty ? bundle.innerZips.map { ($0, nil) } : rows.map { ($0["Nom_fichier"], $0) }
        if !rows.isEmpty {
            for inner in bundle.innerZips where !rows.contains(where: { $0["Nom_fichier"] == inner }) {
                names.append((inner, nil))
            }
        }
        var seen = Set<String>()
        for (name, row) in names where !name.isEmpty {
            guard seen.insert(name).inserted else {
                // Two shifted lines with the same date name the same ZIP (SACoche wrote the second over the
                // first): the second line is said too.
                if let row, let shifted = Self.shiftedLine(row, headerFields: headerFields) {
                    problems[name, default: []].append(shifted)
                }
                continue
            }
            var establishment = BundleManifest.Establishment(
                nomFichier: name, guid: Self.guid(bundleName: bundleName, innerZip: name).uuidString.lowercased(),
                baseID: row.flatMap { Int64($0["Id_Export"]) } ?? SACocheNames.baseID(ofInnerZip: name) ?? 0,
                uai: row.map { $0["UAI"] }.flatMap { $0.isEmpty ? nil : $0 }, denomination: row?["Dénomination"] ?? "",
                schemaVersion: "", tables: [], schema: DatabaseSchema(), schemaNotes: [], entries: [], dumpBytes: 0,
                dumpSHA256: "", files: [])
            var found: [String] = []
            if let row, let shifted = Self.shiftedLine(row, headerFields: headerFields) { found.append(shifted) }
            if !SACocheNames.isInnerZip(name) {
                found.append("Nom_fichier \(name) is not a SACoche base's ZIP name (dump_SACoche_<id>_<date>_<n>.zip)")
            }
            if bundle.archive.entries[name] == nil {
                found.append("the ZIP has no \(name)" + (row.map { " (named on CSV line \($0.line))" } ?? ""))
            } else {
                read(name, into: &establishment, problems: &found)
            }
            if let recorded = digests?.establishments[name] {
                found += applyRecorded(recorded, to: &establishment)
            }
            problems[name] = found
            manifest.establishments.append(establishment)
        }
    }

    /// A CSV line with more fields than the header: a `;` written raw inside a value (SACoche writes
    /// values without quoting) shifted the fields after it, and SACoche named the base's ZIP after the
    /// field it then read as Nom_fichier.
    static func shiftedLine(_ row: ManifestRow, headerFields: Int) -> String? {
        guard row.fieldCount > headerFields else { return nil }
        return
            "CSV line \(row.line) has \(row.fieldCount) fields where the header has \(headerFields): a ';' written raw inside a value (SACoche writes values without quoting) shifts the fields after it, so UAI, contact, date and Nom_fichier are read from the wrong columns (SACoche named this base's ZIP '\(row["Nom_fichier"])' after the shifted field). Correct the line in the CSV (remove the ';' from the value), or correct the name in SACoche and export again"
    }

    /// SACoche bases have no GUID: each gets one derived from where it comes from, stable across runs.
    public static func guid(bundleName: String, innerZip: String) -> UUID {
        var bytes = Array(SHA256.hash(data: Data("sacoche:\(bundleName)/\(innerZip)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50  // version 5 layout (name-based)
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    private func read(
        _ name: String, into establishment: inout BundleManifest.Establishment, problems found: inout [String]
    ) {
        do {
            let base = try bundle.openBase(name)
            let (files, fileProblems) = base.sqlFiles
            found += fileProblems
            establishment.dumpSHA256 = base.sha256
            for file in files {
                // The ZIP's declared size: bounded by the reader's limits, converted and added without trapping anyway.
                let size = Int64(exactly: base.archive.entries[file]?.uncompressedSize ?? 0) ?? .max
                establishment.entries.append(BundleManifest.Entry(path: "\(name)/\(file)", size: size, sha256: ""))
                establishment.dumpBytes = establishment.dumpBytes.saturatingAdding(size)
            }
            guard fileProblems.isEmpty else { return }
            let parser = try base.parse(into: SchemaOnlyHandler())
            establishment.schema = DatabaseSchema(tables: parser.tables)
            establishment.tables = parser.tables.map {
                TableDigest(table: $0.name, rows: parser.rowCounts[$0.name] ?? 0, sha256: "")
            }
            if let version = parser.versionBase {
                establishment.schemaVersion = version
            } else {
                found.append(
                    "\(name): no version_base row in \(SACocheNames.parameterTable): it is not a SACoche base (or the file is damaged)"
                )
            }
        } catch SACocheBundleError.valuesRefused(let refused) {
            // One problem per value, each with its file, line, table, row and column.
            found += refused.map { Self.message(of: $0, in: name) }
            refusals[name] = refused
        } catch {
            found.append("\(name): \(error)")
        }
    }

    private func applyRecorded(_ recorded: [TableDigest], to establishment: inout BundleManifest.Establishment)
        -> [String]
    {
        var found: [String] = []
        let byName = Dictionary(recorded.map { ($0.table, $0) }, uniquingKeysWith: { first, _ in first })
        for index in establishment.tables.indices {
            let table = establishment.tables[index]
            guard let wanted = byName[table.table] else {
                found.append(
                    "table \(table.table) is not in the digests file: the bundle changed since it was verified")
                continue
            }
            if wanted.rows != table.rows {
                found.append(
                    "table \(table.table) has \(table.rows) rows where the digests file recorded \(wanted.rows): the bundle changed since it was verified"
                )
            }
            establishment.tables[index].sha256 = wanted.sha256
        }
        for table in recorded where !establishment.tables.contains(where: { $0.table == table.table }) {
            found.append(
                "table \(table.table) of the digests file is no longer in the bundle: it changed since it was verified")
        }
        return found
    }

    /// The base's problems; a value refused by MySQL's rules is ``ProblemCode/dumpValueRefused`` with its
    /// place (SQL file, line, column, `table.column`, the value), the others ``ProblemCode/archiveContent``.
    public func contentProblems(of establishment: BundleManifest.Establishment, readContents: Bool) -> [Problem] {
        let located = Dictionary(
            valueRefusals(of: establishment).map { refusal in
                (
                    Self.message(of: refusal, in: establishment.nomFichier),
                    Problem(
                        code: .dumpValueRefused, message: Self.message(of: refusal, in: establishment.nomFichier),
                        location: ProblemLocation(
                            file: refusal.entry, line: refusal.line, column: refusal.column,
                            field: "\(refusal.problem.table).\(refusal.problem.column)", value: refusal.problem.value,
                            establishment: establishment.nomFichier, baseID: establishment.baseID))
                )
            }, uniquingKeysWith: { first, _ in first })
        return (problems[establishment.nomFichier] ?? []).map {
            located[$0] ?? Problem(code: .archiveContent, message: $0)
        }
    }

    /// `progress` is told when the base is in: its files are parsed whole, one after the other.
    public func restore(
        _ establishment: BundleManifest.Establishment, into store: any EstablishmentStore, baseID: Int64,
        progress: ProgressItem?, leavingOut: Set<String>
    ) throws -> RestoredDump {
        let base = try bundle.openBase(establishment.nomFichier)
        var restored = RestoredDump()
        try store.load(baseID: baseID) { writer in
            // As for a Transfert dump (``DumpLoader``): one thread inflates and parses, the calling thread,
            // which owns the connection, creates and inserts.
            var restorer = DumpRestorer(writer: writer, leavingOut: leavingOut)
            let tables = try Pipeline.run(
                capacity: 2,
                produce: { send -> [String] in
                    do {
                        var parser = try base.parse(into: RowBatcher(send: send))
                        try parser.handler.flush()
                        return parser.tables.map(\.name)
                    } catch is RowBatcher.ConsumerStopped {
                        return []  // the database side failed; its error is the one reported
                    }
                },
                consume: { (batch: RowBatch) in
                    try batch.replay(into: &restorer)
                })
            try restorer.finish()
            restored.foreignKeys = try writer.foreignKeyViolations(limit: DumpLoader.reportedViolations)
            restored.tables = tables
            restored.rowCounts = restorer.rowCounts
        }
        return restored
    }

    public func restoreFiles(_ establishment: BundleManifest.Establishment, into directory: URL) throws {
        // A SACoche transfer carries no uploaded files.
    }

    public func notes(of establishment: BundleManifest.Establishment) -> [String] {
        ["a SACoche bundle carries the database only: uploaded files (if any) stay on the old server"]
    }
}

/// Per-table content digests of a SACoche bundle, computed by `verify` and written with `--digests FILE`,
/// so that a later `verify` or `import` (`--check-digests FILE`) proves the files did not change.
public struct SACocheDigests: Codable, Equatable, Sendable {
    public var bundle: String
    public var createdAt: String
    /// Per inner ZIP, its tables.
    public var establishments: [String: [TableDigest]]

    enum CodingKeys: String, CodingKey {
        case bundle
        case createdAt = "created_at"
        case establishments
    }

    public init(bundle: String, createdAt: String, establishments: [String: [TableDigest]]) {
        self.bundle = bundle
        self.createdAt = createdAt
        self.establishments = establishments
    }

    /// Writes the file atomically, owner-only.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: url)
    }

    public static func load(from url: URL) throws -> SACocheDigests {
        do {
            return try JSONDecoder().decode(SACocheDigests.self, from: Data(contentsOf: url))
        } catch {
            throw ConfigurationError.invalid(
                file: url.path, reason: "not a digests file written by transfert verify --digests (\(error))")
        }
    }
}
