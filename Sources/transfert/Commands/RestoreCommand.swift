import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct RestoreCommand: ParsableCommand, AuditedCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a bundle into an existing establishment: replace its content, or merge into it.",
        discussion: """
            --replace takes a safety backup of the establishment first (backups/manual/), restores the \
            bundle into a staging database, checks every digest, and swaps it into place in one step: on \
            any failure the establishment is as it was. Its id, URL, GUID and contact are kept; its name, \
            place, UAI and settings too, unless --overwrite-settings.
            --merge adds the bundle's rows by the profile's natural keys (`merge:`): a user whose login is \
            there already is not duplicated (each match is listed), references follow; one transaction.
            --without/--only leave content categories out (e.g. --without users restores without user data).
            Afterwards the profile's restore checks compare the bundle's counts with the establishment's.
            Example: transfert restore sauvegarde-….csv sauvegarde-….zip --into 3 --replace --yes
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @OptionGroup var audit: AuditOptions
    @OptionGroup var confirmation: ConfirmationOptions

    @Argument(help: ArgumentHelp("The bundle's CSV manifest, first.", valueName: "csv")) var csv: String
    @Argument(help: ArgumentHelp("The bundle's ZIP, second.", valueName: "zip")) var zip: String

    @Option(help: ArgumentHelp("The existing establishment to restore into.", valueName: "id")) var into: Int64
    @Flag(help: "Delete the establishment's content and restore the bundle's (after a safety backup).")
    var replace = false
    @Flag(help: "Add the bundle's rows to the establishment's, matched by the profile's natural keys.")
    var merge = false
    @Option(
        help: ArgumentHelp(
            "The establishment of a bundle that holds several (its Id_Export); default: the only one.",
            valueName: "id-export"))
    var from: Int64?
    @OptionGroup var content: ContentOptions
    @Flag(
        name: .customLong("overwrite-settings"),
        help:
            "Take the bundle's name, place, UAI, letter language and settings; default: keep the establishment's own."
    )
    var overwriteSettings = false
    @Option(
        name: .customLong("merge-users"),
        help: ArgumentHelp(
            "With --merge: match (a user already there is used, not duplicated) or never (refuse if any matches).",
            valueName: "match|never"))
    var mergeUsers: MergeUsersPolicy = .match
    @Flag(
        name: .customLong("dry-run"),
        help: "Check the bundle and the target and show what would happen; change nothing.")
    var dryRun = false
    @Option(help: ArgumentHelp("Your words, kept in the journal with the restore.", valueName: "text"))
    var note: String?

    var auditedEstablishments: [Int64] { [into] }

    func validate() throws {
        guard replace != merge else {
            throw ValidationError("Say how to restore: --replace or --merge (one of them).")
        }
        if mergeUsers != .match && !merge {
            throw ValidationError("--merge-users is for --merge: add --merge, or leave --merge-users out.")
        }
    }

    func run() throws {
        try BundleFilePair.check(
            csv: URL(fileURLWithPath: csv), zip: URL(fileURLWithPath: zip), command: "transfert restore")
        let hosting = try hostingOptions.open()
        var options = RestoreOptions(mode: replace ? .replace : .merge)
        options.fromID = from
        options.without = content.without ?? []
        options.only = content.only
        options.overwriteSettings = overwriteSettings
        options.mergeUsers = mergeUsers
        options.dryRun = dryRun
        options.note = note
        if !dryRun {
            let name = (try? hosting.registry.structure(baseID: into))??.displayName ?? "establishment \(into)"
            try Confirmation(
                consequences: replace
                    ? [
                        "This replaces the content of establishment \(into) (\(name)) by the bundle's (a safety backup is taken first)."
                    ]
                    : ["This adds the bundle's rows to establishment \(into) (\(name))."],
                refusal: "Not confirmed: nothing was restored."
            ).ask(yes: confirmation.yes, command: "restore")
        }
        let restorer = EstablishmentRestorer(hosting: hosting, safetyBackup: BackupMaker(hosting: hosting))
        let report = try restorer.run(
            csv: URL(fileURLWithPath: csv), zip: URL(fileURLWithPath: zip), into: into, options: options)
        if output.json { return try printJSON(report) }
        printReport(report)
    }

    private func printReport(_ report: RestoreReport) {
        let verb = report.dryRun ? "Would restore" : "Restored"
        print(
            "\(verb) \(report.fromName) (export id \(report.fromID)) from \(report.bundle) into establishment \(report.baseID) (\(report.mode.rawValue))."
        )
        if let backup = report.safetyBackup { print("Safety backup: \(backup)") }
        for left in report.leftOut { print("Left out: \(left.category) (\(left.reason))") }
        if !report.merged.isEmpty {
            var table = TextTable(columns: [
                .init("Table"), .init("Added", alignment: .right), .init("Matched", alignment: .right),
                .init("Already there", alignment: .right),
            ])
            for t in report.merged {
                table.append([t.table, String(t.added), String(t.matched), String(t.alreadyThere)])
            }
            print(table.render())
        }
        for match in report.matches {
            print("Matched: \(match.table) \(match.key): bundle id \(match.bundleID) → existing id \(match.existingID)")
        }
        if !report.checks.isEmpty {
            print("")
            print("Checks (the bundle's content against the establishment):")
            for check in report.checks {
                if let problem = check.problem {
                    print("  \(check.label): could not run (\(problem))")
                    continue
                }
                let total = check.lines.map(\.after).reduce(Int64(0)) { $0.addingReportingOverflow($1).partialValue }
                guard !check.isEqual else {
                    print("  \(check.label): as expected (\(check.lines.count) line(s), \(total) in all)")
                    continue
                }
                print("  \(check.label): DIFFERENT")
                for line in check.lines where line.difference != nil {
                    let before = line.before.map { "before \($0), " } ?? ""
                    print(
                        "    \(line.label): \(before)bundle \(line.bundle), now \(line.after) — \(line.difference ?? "")"
                    )
                }
            }
            print("  (every line: --json)")
        }
        for note in report.notes { print("Note: \(note)") }
        if !report.dryRun {
            print(
                "Next: check that users are enrolled and the grade book is complete (transfert stats --ids \(report.baseID))"
            )
        }
    }
}

extension MergeUsersPolicy: ExpressibleByArgument {}
