import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct ImportCommand: ParsableCommand, AuditedCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import establishments from an (edited) CSV and its ZIP.",
        discussion: """
            Every row is validated first (zone, UAI, e-mail, date, dump present, Id_Import free and not \
            repeated, GUID not already hosted, schema version); one problem anywhere and nothing is \
            imported, with every problem listed by line and column. Blank Id_Import values get free ids. \
            Each dump is parsed (never executed), checked against its digests and registered only then; \
            a failure removes all of that establishment while the others import.
            The CSV may come back from a spreadsheet: UTF-8 (with or without BOM) or Windows-1252, \
            separated by ';', ',' or tab.
            --check-mail-domains also asks DNS whether each contact e-mail's domain accepts mail (MX, or \
            A/AAAA when it has no MX); it is off by default so that servers without DNS access can import.
            Example: transfert import --dry-run bases_dump_….csv bases_dump_….zip
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @OptionGroup var audit: AuditOptions
    @OptionGroup var progressOptions: ProgressOptions

    @Argument(help: ArgumentHelp("The CSV manifest (as edited), first.", valueName: "csv")) var csv: String
    @Argument(
        help: ArgumentHelp("The ZIP of dumps, second (the two swapped are recognised and refused).", valueName: "zip"))
    var zip: String

    @Flag(name: .customLong("dry-run"), help: "Validate and show the plan (the id each row will get); import nothing.")
    var dryRun = false
    @Flag(name: .customLong("as-copy"), help: "Give each establishment a new GUID: a copy, not a move.")
    var asCopy = false
    @Option(
        help: ArgumentHelp(
            "Where to write the result table as CSV (and JSON beside it). Default: next to the ZIP.", valueName: "file")
    )
    var result: String?
    @Flag(
        name: .customLong("accept-foreign-key-violations"),
        help:
            "Import establishments whose source data has rows pointing at a missing parent, as they are (each row is listed in the result). Default: such an establishment is refused."
    )
    var acceptForeignKeyViolations = false
    @Flag(
        help:
            "Also write a letter to the contact of every establishment imported (outbox/; send with `transfert outbox send`)."
    )
    var notify = false
    @Flag(
        name: .customLong("check-mail-domains"),
        help:
            "Also check in DNS that each contact e-mail's domain accepts mail (an MX record, or an A/AAAA record without MX)."
    )
    var checkMailDomains = false
    @Option(
        name: .customLong("dns-server"),
        help: ArgumentHelp(
            "The DNS server --check-mail-domains asks: an IPv4 address, maybe with a port.",
            discussion: "Default: $TRANSFERT_DNS_SERVER, else the system's (/etc/resolv.conf).",
            valueName: "host[:port]"))
    var dnsServer: String?
    @Option(
        name: .customLong("check-digests"),
        help: ArgumentHelp(
            "SACoche bundles: the digests file `transfert verify --digests` wrote; every table imported must still have them.",
            valueName: "file"))
    var checkDigests: String?
    @Option(
        help: ArgumentHelp(
            "Where to write the signed receipt for the source's `transfert confirm`. Default: <zip name>.receipt.json next to the result.",
            valueName: "file"))
    var receipt: String?
    @Option(help: ArgumentHelp("Your words, kept in the journal with the import.", valueName: "text"))
    var note: String?
    @OptionGroup var content: ContentOptions
    @Option(
        help: ArgumentHelp(
            "With --notify: fr, en or a template file for every letter (default: each establishment's own language, else the hosting's).",
            valueName: "name|file"))
    var template: String?

    func validate() throws {
        if template != nil && !notify {
            throw ValidationError("--template is for the letters of --notify: add --notify, or leave --template out.")
        }
        guard let dnsServer else { return }
        if !checkMailDomains {
            throw ValidationError(
                "--dns-server is only used with --check-mail-domains: add it, or leave --dns-server out.")
        }
        do { _ = try DNSServerAddress(parsing: dnsServer) } catch { throw ValidationError("--dns-server: \(error)") }
    }

    /// The resolver for --check-mail-domains, or `nil` without it (then nothing asks DNS).
    private func mailDomainResolver() throws -> LibresolvResolver? {
        guard checkMailDomains else { return nil }
        if let dnsServer { return LibresolvResolver(server: try DNSServerAddress(parsing: dnsServer)) }
        guard let fromEnvironment = ProcessInfo.processInfo.environment["TRANSFERT_DNS_SERVER"],
            !fromEnvironment.isEmpty
        else {
            return LibresolvResolver()
        }
        do { return LibresolvResolver(server: try DNSServerAddress(parsing: fromEnvironment)) } catch {
            throw CommandFailure("$TRANSFERT_DNS_SERVER: \(error)")
        }
    }

    func run() throws {
        // The pair's order checked by content first: swapped files are named as such, not as a damaged ZIP.
        try BundleFilePair.check(
            csv: URL(fileURLWithPath: csv), zip: URL(fileURLWithPath: zip), command: "transfert import")
        let hosting = try hostingOptions.open()
        // Read before anything is imported: a template that does not parse stops nothing half-way.
        let letters = try template.map { try LetterTemplate.named($0) }
        var options = ImportOptions(dryRun: dryRun, asCopy: asCopy, resultURL: result.map { URL(fileURLWithPath: $0) })
        options.acceptForeignKeyViolations = acceptForeignKeyViolations
        options.shouldStop = { Interruption.requested }
        options.mailDomainResolver = try mailDomainResolver()
        options.sacocheDigests = try checkDigests.map { try SACocheDigests.load(from: URL(fileURLWithPath: $0)) }
        options.receiptURL = receipt.map { URL(fileURLWithPath: $0) }
        options.note = note
        options.without = content.without ?? []
        options.only = content.only
        Interruption.install()
        let progress =
            dryRun
            ? nil : progressOptions.start(task: "import", itemName: "establishments", unit: .bytes, output: output)
        defer { progress?.end() }
        options.progress = progress?.work
        let report: ImportReport
        do {
            report = try Importer(hosting: hosting).run(
                csv: URL(fileURLWithPath: csv), zip: URL(fileURLWithPath: zip), options: options)
            progress?.end()
        } catch let error as ImportValidationError where output.json {
            progress?.end()
            try printJSON(ImportValidationJSON(error))
            throw ExitCode(1)  // as without --json: nothing was imported
        } catch let error as ImportValidationError {
            printCSVDetection(encoding: error.csvEncoding, separator: error.csvSeparator)
            throw error
        }
        if output.json {
            try printJSON(report)
        } else {
            printReport(report)
        }
        if notify, !dryRun {
            try writeNotificationLetters(report, hosting: hosting, template: letters, json: output.json)
        }
        if !report.failures.isEmpty { throw ExitCode(3) }
    }

    private func printReport(_ report: ImportReport) {
        for line in report.cleanedLeftovers { print("Cleaned: \(line)") }
        printCSVDetection(encoding: report.csvEncoding, separator: report.csvSeparator)
        if report.resumed { print("Resuming an unfinished import of this bundle: what it imported is kept.") }
        var table = TextTable(columns: [
            .init("Id", alignment: .right), .init("Structure"), .init("Contact"), .init("Result"),
        ])
        for e in report.establishments {
            let result: String
            switch e.outcome {
            case .imported:
                result = "imported (\(e.tables) tables, \(e.rows) rows, \(String(format: "%.1f s", e.seconds ?? 0)))"
            case .alreadyImported: result = "already imported"
            case .planned: result = "will be imported (\(e.tables) tables, \(e.rows) rows)"
            case .failed: result = "FAILED: \(e.reason ?? "")"
            }
            table.append([
                e.newID.map(String.init) ?? "—", e.displayName,
                "\(e.contactPrenom) \(e.contactNom) <\(e.contactCourriel)>", result,
            ])
        }
        print(table.render())
        print("")
        for e in report.establishments where !e.notes.isEmpty {
            print("Notes on \(e.newID.map { "\($0)" } ?? "—") \(e.denomination):")
            for note in e.notes { print("  - \(note)") }
            print("")
        }
        if report.dryRun {
            print(
                "Dry run: every row is valid; nothing was imported. Ids shown for blank Id_Import are what this server would choose now."
            )
            return
        }
        let hosted = report.hostedIDs.map(String.init).joined(separator: ",")
        let imported = report.establishments.filter { $0.outcome == .imported }.count
        print(
            "\(imported) imported, \(report.failures.count) failed, \(report.establishments.count - imported - report.failures.count) already there."
        )
        if let csv = report.resultCSV, let json = report.resultJSON {
            print("Result: \(csv)")
            print("        \(json)")
        } else if let problem = report.resultProblem {
            print("Warning: \(problem)")
        }
        if let receipt = report.receipt {
            print("Receipt: \(receipt)")
            print("         signed by this server: give it to the source's operator for `transfert confirm`")
        }
        if let problem = report.receiptProblem { print("Note: \(problem)") }
        if !hosted.isEmpty {
            print(
                "New access URLs: \(report.establishments.compactMap(\.accessURL).prefix(3).joined(separator: ", "))\(report.hostedIDs.count > 3 ? ", …" : "")"
            )
            print("Next: transfert stats --ids \(hosted)")
        }
        if !report.failures.isEmpty {
            print(
                "The failed establishments left nothing behind; correct the cause and run the same import again: what is there is kept."
            )
        }
    }
}

struct DoctorCommand: ParsableCommand, AuditedCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Clean what interrupted imports left behind, and report other inconsistencies.",
        discussion: """
            Half-imported establishments of a killed import and locks of dead processes are removed. \
            Databases or files with no registered establishment, and half-created establishments (registered \
            without a database, or whose database lacks the profile's schema-version row), are only reported, \
            with what to do.
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @OptionGroup var audit: AuditOptions

    @Flag(name: .customLong("dry-run"), help: "Say what would be cleaned; clean nothing.")
    var dryRun = false
    @Flag(
        name: .customLong("remove-half-created"),
        help: "Also remove half-created establishments (database, files, registry row; journaled).")
    var removeHalfCreated = false

    func run() throws {
        let report = try Doctor(hosting: try hostingOptions.open()).examine(
            dryRun: dryRun, removeHalfCreated: removeHalfCreated)
        if output.json { return try printJSON(report) }
        for line in report.cleaned { print("\(dryRun ? "Would clean" : "Cleaned"): \(line)") }
        for line in report.findings { print("Found: \(line)") }
        if report.cleaned.isEmpty && report.findings.isEmpty { print("Nothing to clean: the hosting is consistent.") }
        if dryRun && !report.cleaned.isEmpty { print("Nothing was cleaned: run it again without --dry-run.") }
    }
}
