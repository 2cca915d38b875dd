import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct VerifyCommand: ParsableCommand, TransfertSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove a bundle is complete and restorable before anything is deleted.",
        discussion: """
            Default: the CSV reads, every row's dump is in the ZIP, no entry is unsafe, and every entry's \
            CRC-32 and SHA-256 match the manifest (each byte read once).
            --deep also parses and restores every dump into a scratch database (always removed) and \
            compares row counts and content digests. --against-source compares each establishment still \
            hosted here (by GUID) with its live database and files: any write since the export shows.
            Exit status 0 only when every establishment checked is OK; every problem is listed.
            Example: transfert verify --deep --against-source bases_dump_….csv bases_dump_….zip
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @OptionGroup var progressOptions: ProgressOptions

    @Argument(help: ArgumentHelp("The CSV manifest, first.", valueName: "csv")) var csv: String
    @Argument(
        help: ArgumentHelp("The ZIP of dumps, second (the two swapped are recognised and refused).", valueName: "zip"))
    var zip: String

    @Flag(help: "Also restore every dump into a scratch database and compare digests.") var deep = false
    @Flag(name: .customLong("against-source"), help: "Also compare with the live establishments of this hosting.")
    var againstSource = false
    @Option(help: ArgumentHelp("Where --deep restores its scratch databases (default: $TMPDIR).", valueName: "dir"))
    var scratch: String?
    @Option(
        help: ArgumentHelp(
            "SACoche bundles: write the per-table content digests computed here to this file (owner-only), for a later --check-digests.",
            valueName: "file"))
    var digests: String?
    @Option(
        name: .customLong("check-digests"),
        help: ArgumentHelp(
            "SACoche bundles: prove the bundle still has the digests an earlier verify --digests wrote.",
            valueName: "file"))
    var checkDigests: String?

    func run() throws {
        try BundleFilePair.check(
            csv: URL(fileURLWithPath: csv), zip: URL(fileURLWithPath: zip), command: "transfert verify")
        let level = VerificationLevel(deep: deep, againstSource: againstSource)
        let hosting = againstSource ? try hostingOptions.open() : nil
        let recorded = try checkDigests.map { try SACocheDigests.load(from: URL(fileURLWithPath: $0)) }
        var verifier = BundleVerifier(
            hosting: hosting, scratchDirectory: scratch.map { URL(fileURLWithPath: $0) }, sacocheDigests: recorded)
        let progress = progressOptions.start(task: "verify", itemName: "establishments", unit: .bytes, output: output)
        defer { progress?.end() }
        verifier.progress = progress?.work
        let report = verifier.verify(csv: URL(fileURLWithPath: csv), zip: URL(fileURLWithPath: zip), level: level)
        progress?.end()
        if let digests {
            guard report.format == .sacoche else {
                throw ValidationError(
                    "--digests is for SACoche bundles: a Transfert bundle carries its digests in its manifest")
            }
            let file = report.sacocheDigests(
                bundle: URL(fileURLWithPath: zip).lastPathComponent,
                createdAt: ISO8601DateFormatter().string(from: Date()))
            try file.write(to: URL(fileURLWithPath: digests))
        }
        if output.json {
            try printJSON(VerificationJSON(report: report))
        } else {
            printReport(report)
        }
        if !report.isVerified { throw ExitCode(2) }
    }

    private func printReport(_ report: VerificationReport) {
        printCSVDetection(encoding: report.csvEncoding, separator: report.csvSeparator)
        if report.format == .sacoche {
            print("Format: SACoche bundle (no manifest: contents read through, digests computed from a scratch copy)")
        }
        var table = TextTable(columns: [
            .init("Id", alignment: .right), .init("Dénomination"), .init("UAI"), .init("Version"),
            .init("Dump", alignment: .right),
            .init("Tables", alignment: .right), .init("Rows", alignment: .right), .init("Result"),
        ])
        for e in report.establishments {
            table.append([
                e.baseID.map(String.init) ?? "?", e.denomination, e.uai ?? "", e.schemaVersion ?? "",
                formatBytes(e.dumpBytes),
                String(e.tables), String(e.rows), abbreviate(e.result),
            ])
        }
        if !report.establishments.isEmpty { print(table.render()) }
        for e in report.establishments {
            guard let digests = e.digests, !digests.isEmpty else { continue }
            print("")
            print("\(e.nomFichier) — content digests (SHA-256 of the values, per table):")
            for digest in digests { print("  \(digest.table)  \(digest.rows) rows  \(digest.sha256)") }
        }
        let problems = report.allProblems
        if !problems.isEmpty {
            print("")
            print("Problems (\(problems.count)):")
            for problem in problems { print("  - \(problem.replacingOccurrences(of: "\n", with: "\n    "))") }
        }
        let notes = report.establishments.flatMap { e in e.notes.map { "\(e.nomFichier): \($0)" } }
        if !notes.isEmpty {
            print("")
            for note in notes { print("Note: \(note)") }
        }
        print("")
        let checked = report.establishments.filter { $0.status != .notInCSV }
        let dropped = report.establishments.count - checked.count
        let level = VerificationLevel(deep: report.deep, againstSource: report.againstSource).label
        if report.isVerified {
            print(
                "Verdict: VERIFIED (\(level)): \(checked.count) establishment\(checked.count == 1 ? "" : "s") OK"
                    + (dropped > 0 ? "; \(dropped) in the ZIP but not in the CSV (not checked)" : "") + ".")
        } else {
            print(
                "Verdict: NOT VERIFIED (\(level)): \(problems.count) problem\(problems.count == 1 ? "" : "s"). Delete nothing on the source server."
            )
        }
    }
}

/// Long results are cut in the table; the list of problems below it has them whole.
func abbreviate(_ text: String, to length: Int = 72) -> String {
    text.count <= length ? text : String(text.prefix(length - 1)) + "…"
}

extension VerificationLevel {
    init(deep: Bool, againstSource: Bool) {
        self = []
        if deep { insert(.deep) }
        if againstSource { insert(.againstSource) }
    }
}

struct InspectCommand: ParsableCommand, TransfertSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a bundle holds before anything is restored.",
        discussion: """
            Source server (and whether it is this one), creation date, tool and format version, options, \
            and per establishment its GUID, old id, schema version, tables with row counts and files.
            Give the ZIP, or the CSV and the ZIP; a CSV beside the ZIP with the same name is read too.
            Example: transfert inspect bases_dump_….csv bases_dump_….zip
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert

    @Argument(help: ArgumentHelp("[CSV] ZIP: the bundle's files.", valueName: "file")) var files: [String]

    func validate() throws {
        guard (1...2).contains(files.count), files.filter({ $0.lowercased().hasSuffix(".zip") }).count == 1 else {
            throw ValidationError("Give the bundle's ZIP, optionally preceded by its CSV: transfert inspect [CSV] ZIP")
        }
    }

    func run() throws {
        let zip = URL(fileURLWithPath: files.first { $0.lowercased().hasSuffix(".zip") }!)
        let given = files.first { !$0.lowercased().hasSuffix(".zip") }.map { URL(fileURLWithPath: $0) }
        if let given { try BundleFilePair.check(csv: given, zip: zip, command: "transfert inspect") }
        let csv = given ?? BundleInspection.companionCSV(of: zip)
        let inspection = try BundleInspection.inspect(zip: zip, csv: csv, hosting: try? hostingOptions.openIfPresent())
        if output.json { return try printJSON(inspection) }

        let m = inspection.manifest
        if inspection.format == .sacoche { return printSACoche(inspection) }
        let thisServer =
            inspection.isThisServer.map { $0 ? "this server" : "another server" }
            ?? "unknown: no hosting to compare with"
        let summary = inspection.summary
        let settings = summary.settings
        let content =
            settings.complete
            ? (settings.included.isEmpty ? "everything" : "everything: \(settings.included.joined(separator: ", "))")
            : "partial: carries \(settings.included.isEmpty ? "no category" : settings.included.joined(separator: ", "))"
        var fields: [(String, String)] = [
            ("Type", "Transfert bundle"),
            ("Bundle", inspection.zip),
            (
                "CSV",
                inspection.csv.map {
                    "\($0) (\(inspection.csvRows?.count ?? 0) rows, \(inspection.csvEncoding ?? "?"))"
                } ?? "none found"
            ),
            ("Source", "\(m.source.serverName), \(m.source.baseURL)"),
            ("Fingerprint", "\(m.source.fingerprint) (\(thisServer))"),
            ("Created", m.createdAt),
            ("Tool", "Transfert \(m.toolVersion), archive format \(m.formatVersion)"),
            ("Backend", "\(m.source.backend); application: \(m.source.applicationProfile)"),
            ("Schema", summary.details.schemaVersions.joined(separator: ", ")),
        ]
        let fromHere = summary.details.comesFromThisHosting.map { $0 ? "yes" : "no" }
        fields.append(("From this hosting", fromHere ?? "unknown: no hosting to compare with"))
        fields.append(("Content", content))
        for leftOut in settings.leftOut {
            fields.append(("Left out", "\(leftOut.category) (\(leftOut.reason))"))
        }
        let anonymised =
            settings.anonymised
            ? "yes: personal data replaced by pseudonyms; imports only with --as-copy, no letters" : "no"
        fields.append(("Anonymised", anonymised))
        let files = "files \(m.options.includeFiles ? "included" : "left out"), "
        let locked = m.options.keepLocked ? "source kept locked" : "source unlocked after export"
        fields.append(("Options", files + locked))
        let width = fields.map(\.0.count).max() ?? 0
        for (label, value) in fields {
            print(label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
        }
        print("")
        var table = TextTable(columns: [
            .init("Id", alignment: .right), .init("GUID"), .init("Dénomination"), .init("UAI"), .init("Schema"),
            .init("Tables", alignment: .right), .init("Rows", alignment: .right), .init("Dump", alignment: .right),
            .init("Files", alignment: .right), .init("In CSV"),
        ])
        for e in m.establishments {
            let inCSV = inspection.csvRows.map { $0.contains(e.nomFichier) ? "yes" : "no" } ?? "?"
            table.append([
                String(e.baseID), e.guid, e.denomination, e.uai ?? "", e.schemaVersion, String(e.tables.count),
                String(e.rows), formatBytes(e.dumpBytes), "\(formatBytes(e.filesBytes)) (\(e.files.count))", inCSV,
            ])
        }
        print(table.render())
        for e in m.establishments {
            print("")
            print(
                "\(e.nomFichier) — \(e.denomination): "
                    + e.tables.map { "\($0.table) \($0.rows)" }.joined(separator: ", "))
            print(
                m.formatVersion < 2
                    ? "  schema: archive format \(m.formatVersion), which does not carry foreign keys, CHECK constraints, expression or partial indexes, views or triggers"
                    : "  schema: \(e.schema.summary)")
            for note in e.schemaNotes { print("  note: \(note)") }
            if let grouped = summary.establishments.first(where: { $0.nomFichier == e.nomFichier }) {
                printCategories(grouped, from: summary.categoriesFrom)
            }
        }
    }

    /// Per category: carried or not, its rows (files), and whether it holds user data.
    private func printCategories(_ content: BundleContentSummary.EstablishmentContent, from source: String) {
        guard source != "tables" else { return }
        var table = TextTable(columns: [
            .init("Category"), .init("Carried"), .init("Rows", alignment: .right), .init("User data"), .init("Tables"),
        ])
        for category in content.categories {
            table.append([
                category.name, category.carried ? "yes" : "no",
                category.files.map { "\($0) files" } ?? String(category.rows), category.userData ? "yes" : "",
                category.tables.map { "\($0.table) \($0.rows)" }.joined(separator: ", "),
            ])
        }
        print("  categories (from the \(source)):")
        for line in table.render().split(separator: "\n") { print("    " + line) }
    }

    /// A SACoche bundle has no manifest: what was read of it, base by base.
    private func printSACoche(_ inspection: BundleInspection) {
        print("Bundle  \(inspection.zip)")
        print(
            "CSV     "
                + (inspection.csv.map {
                    "\($0) (\(inspection.csvRows?.count ?? 0) rows, \(inspection.csvEncoding ?? "?"))"
                } ?? "none found"))
        print("Format  SACoche bundle (a ZIP of per-base ZIPs of MySQL dumps; no manifest, no checksums)")
        print("")
        var table = TextTable(columns: [
            .init("Id", alignment: .right), .init("Dénomination"), .init("UAI"), .init("version_base"),
            .init("Tables", alignment: .right), .init("Rows", alignment: .right), .init("Dump", alignment: .right),
            .init("Inner ZIP"),
        ])
        for e in inspection.manifest.establishments {
            table.append([
                String(e.baseID), e.denomination, e.uai ?? "", e.schemaVersion, String(e.tables.count), String(e.rows),
                formatBytes(e.dumpBytes), e.nomFichier,
            ])
        }
        print(table.render())
        for e in inspection.manifest.establishments where !e.tables.isEmpty {
            print("")
            print(
                "\(e.nomFichier) — \(e.denomination): "
                    + e.tables.map { "\($0.table) \($0.rows)" }.joined(separator: ", "))
            if let grouped = inspection.summary.establishments.first(where: { $0.nomFichier == e.nomFichier }) {
                printCategories(grouped, from: inspection.summary.categoriesFrom)
            }
        }
        if !inspection.problems.isEmpty {
            print("")
            print("Problems (\(inspection.problems.count)):")
            for problem in inspection.problems { print("  - \(problem)") }
        }
    }
}
