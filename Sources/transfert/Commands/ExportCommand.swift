import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct ExportCommand: ParsableCommand, AuditedCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export establishments: a CSV manifest and a ZIP of portable dumps.",
        discussion: """
            Each establishment is locked ("Sauvegarde de la base en cours") while it is dumped from one \
            consistent snapshot, then unlocked unless --keep-locked. Both files are created owner-only, \
            under temporary names, and renamed only when complete.
            --format sacoche writes the bundle SACoche's own transfer module imports (its CSV, a ZIP of \
            per-base ZIPs of MySQL dumps): for a hosting with Samples/sacoche-profile.yaml. What that \
            format cannot carry is refused before anything is written.
            --without/--only choose content categories (the profile's `categories:`): left-out tables are \
            created empty, and categories whose rows point at them are left out too (and named). \
            --anonymise replaces personal data by pseudonyms: such a bundle imports only with --as-copy.
            Example: transfert export --ids 1,4,7 --out /srv/exports
            Example: transfert export --ids 1 --without users,logs --out /srv/exports
            Example: transfert export --ids 1 --anonymise --out /srv/private
            Example: transfert export --format sacoche --ids 1,4 --out /srv/exports
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @OptionGroup var audit: AuditOptions
    @OptionGroup var progressOptions: ProgressOptions

    @Option(
        name: .long, help: ArgumentHelp("Establishment ids, comma-separated.", valueName: "id,id…"),
        transform: parseIDList)
    var ids: [Int64]?
    @Flag(name: .long, help: "Every establishment of the hosting.") var all = false
    @Option(name: .long, help: "Every establishment of this zone.") var zone: Int64?

    @Option(
        name: .long,
        help: ArgumentHelp("Where to write the two files (default: the hosting's exports/).", valueName: "dir"))
    var out: String?

    /// One choice with two spellings each way: `--include-files`/`--files` and `--no-files`/
    /// `--no-include-files`. `nil` when neither is given: the files travel, except with --format sacoche.
    @Flag(
        name: [.customLong("include-files"), .customLong("files")], inversion: .prefixedNo, exclusivity: .exclusive,
        help: "Include the establishments' uploaded files (the default), or leave them out (--no-files).")
    var includeFiles: Bool?

    @Flag(help: "Keep the establishments locked after the export (a real move: no write may follow).")
    var keepLocked = false

    @Option(help: ArgumentHelp("Your words, kept in the journal with the export.", valueName: "text"))
    var note: String?

    @OptionGroup var content: ContentOptions
    @Flag(
        help:
            "Replace every personal-data column (the profile's `personal_data:`) by pseudonyms: an anonymised copy, imported only with --as-copy, never used for letters. Uploads are left out unless the profile marks them free of personal data."
    )
    var anonymise = false

    @Option(help: ArgumentHelp("The bundle's format: transfert (the default) or sacoche.", valueName: "format"))
    var format: BundleKind = .transfert
    @Option(
        name: .customLong("replace-semicolons"),
        help: ArgumentHelp(
            "With --format sacoche: what to write instead of a ';' in a CSV field (SACoche writes fields unquoted); by default such a field is refused.",
            valueName: "text"))
    var replaceSemicolons: String?
    @Option(
        name: .customLong("compression-level"),
        help: ArgumentHelp(
            "How hard the dumps are deflated: 1 (fastest, the default) to 12 (smallest).",
            valueName: "n"))
    var compressionLevel: Int?
    @Option(
        name: .customLong("packet-rows"),
        help: ArgumentHelp(
            "With --format sacoche: rows per SQL file, as SACoche's packet (default 5000).", valueName: "n"))
    var packetRows = 5000

    func validate() throws {
        let given = [ids != nil, all, zone != nil].filter { $0 }.count
        guard given == 1 else {
            throw ValidationError("Choose the establishments with exactly one of --ids 1,4,7, --all or --zone N.")
        }
        if format == .sacoche && includeFiles == true {
            throw ValidationError(
                "--format sacoche carries no uploaded files: SACoche's transfer moves the databases only.")
        }
        if format != .sacoche && (replaceSemicolons != nil || packetRows != 5000) {
            throw ValidationError("--replace-semicolons and --packet-rows are for --format sacoche.")
        }
        if let compressionLevel {
            guard format != .sacoche else {
                throw ValidationError(
                    "--compression-level is for the transfert format: --format sacoche writes SACoche's own ZIPs.")
            }
            guard DeflateLevel(compressionLevel) != nil else {
                throw ValidationError(
                    "--compression-level must be between \(DeflateLevel.range.lowerBound) (fastest) and \(DeflateLevel.range.upperBound) (smallest); it is \(compressionLevel)."
                )
            }
        }
        guard packetRows > 0 else { throw ValidationError("--packet-rows must be a positive number of rows.") }
        if format == .sacoche && (content.isGiven || anonymise) {
            throw ValidationError(
                "--without, --only and --anonymise are for the transfert format: SACoche's format cannot say what a bundle left out or replaced, and its importer would take a partial or anonymised base for the whole establishment."
            )
        }
    }

    func run() throws {
        let hosting = try hostingOptions.open()
        let selection: ExportSelection = all ? .all : zone.map(ExportSelection.zone) ?? .ids(ids ?? [])
        var options = ExportOptions(
            selection: selection, outputDirectory: out.map { URL(fileURLWithPath: $0) },
            includeFiles: includeFiles ?? true, keepLocked: keepLocked)
        options.shouldStop = { Interruption.requested }
        options.note = note
        options.without = content.without ?? []
        options.only = content.only
        options.anonymise = anonymise
        if let level = compressionLevel.flatMap(DeflateLevel.init) { options.compressionLevel = level }
        Interruption.install()
        let progress = progressOptions.start(task: "export", itemName: "establishments", unit: .bytes, output: output)
        defer { progress?.end() }
        options.progress = progress?.work
        let result: ExportResult
        if format == .sacoche {
            var sacoche = SACocheExportOptions(
                selection: selection, outputDirectory: options.outputDirectory, keepLocked: keepLocked,
                replaceSemicolons: replaceSemicolons, packetRows: packetRows)
            sacoche.shouldStop = { Interruption.requested }
            sacoche.progress = progress?.work
            result = try SACocheExporter(hosting: hosting).run(sacoche)
        } else {
            result = try Exporter(hosting: hosting).run(options)
        }
        progress?.end()
        if output.json { return try printJSON(result) }

        var table = TextTable(columns: [
            .init("Id", alignment: .right), .init("Dénomination"), .init("Nom_fichier"),
            .init("Tables", alignment: .right),
            .init("Rows", alignment: .right), .init("Dump", alignment: .right), .init("Files", alignment: .right),
            .init("Time", alignment: .right),
        ])
        for e in result.establishments {
            table.append([
                String(e.baseID), e.denomination, e.nomFichier, String(e.tables), String(e.rows),
                formatBytes(e.dumpBytes), "\(formatBytes(e.filesBytes)) (\(e.filesCount))",
                String(format: "%.2f s", e.seconds),
            ])
        }
        print(table.render())
        if let content = result.content, !content.isComplete || content.anonymised {
            print("")
            print("Carried: \(content.included.isEmpty ? "no category" : content.included.joined(separator: ", "))")
            let asked = content.leftOut.filter { $0.reason == "asked" }.map(\.category)
            if !asked.isEmpty { print("Left out: \(asked.joined(separator: ", "))") }
            for other in content.leftOut where other.reason != "asked" {
                print("Left out too: \(other.category) — \(other.reason)")
            }
            if content.anonymised {
                print(
                    "Anonymised copy: personal data replaced by pseudonyms; import it with --as-copy (no letter is written from it)."
                )
            }
        }
        print("")
        print("CSV: \(result.csv.path)")
        print("ZIP: \(result.zip.path)")
        if result.keptLocked {
            print(
                "The establishments stay locked. Release with: transfert lock release --ids \(result.establishments.map { String($0.baseID) }.joined(separator: ","))"
            )
        }
        for warning in result.warnings { print("Warning: \(warning)") }
        print("Next: transfert verify \(result.csv.path) \(result.zip.path)")
    }
}

/// SIGINT and SIGTERM ask the running operation to stop at the next safe point, so it can remove its
/// temporary files and release its locks instead of dying half-way.
enum Interruption {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    static var requested: Bool { flag != 0 }

    static func install() {
        signal(SIGINT) { _ in Interruption.flag = 1 }
        signal(SIGTERM) { _ in Interruption.flag = 1 }
        // A parent may have started us with these signals blocked (they would stay pending until the
        // end); unblock them so an operator's Ctrl-C or kill always reaches the handler.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}

extension BundleKind: ExpressibleByArgument {}
