import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct StructureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "structure", abstract: "Manage the hosted establishments.",
        subcommands: [Add.self, Edit.self, List.self, Show.self, Language.self, Remove.self]
    ).namingRootOptions()

    struct Add: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Register an establishment and create its empty database.",
            discussion: """
                The UAI must carry its check letter; the e-mail must be well-formed; id and UAI must be free.
                Example: transfert structure add --uai 0250001W --denomination "Collège Victor Hugo" \
                --localisation Besançon --contact-nom Dupont --contact-prenom Hélène --contact-courriel h.dupont@ac-besancon.fr
                """
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions
        @Option(help: "The establishment code (7 digits + check letter); may be omitted outside France.") var uai:
            String?
        @Option(help: "The establishment's name.") var denomination: String
        @Option(help: "The town or place.") var localisation: String
        @Option(help: "The zone id (see `zone list`).") var zone: Int64 = 1
        @Option(name: .customLong("contact-nom"), help: "The contact's last name.") var contactNom: String
        @Option(name: .customLong("contact-prenom"), help: "The contact's first name.") var contactPrenom: String
        @Option(name: .customLong("contact-courriel"), help: "The contact's e-mail address.") var contactCourriel:
            String
        @Option(help: "Registration date, YYYY-MM-DD (default: today).", transform: { try CalendarDate(parsing: $0) })
        var date: CalendarDate?
        @Option(help: "The id to use (default: the next free one).") var id: Int64?
        @Option(
            help: ArgumentHelp(
                "The language of its contact's letters, when not the hosting's: fr or en.", valueName: "fr|en"))
        var language: String?

        func run() throws {
            let hosting = try hostingOptions.open()
            // Checked first: a refused language adds nothing.
            let language = try self.language.map { try LetterLanguage.checked($0, option: "--language") }
            let structure = try hosting.addStructure(
                NewStructure(
                    baseID: id, zoneID: zone, uai: uai, localisation: localisation, denomination: denomination,
                    contactNom: contactNom, contactPrenom: contactPrenom, contactCourriel: contactCourriel,
                    inscriptionDate: date))
            if let language {
                // Registered already: a language that cannot be recorded is said, not dropped.
                do { try hosting.registry.setLetterLanguage(language, baseID: structure.baseID) } catch {
                    throw CommandFailure(
                        "establishment \(structure.baseID) was added, but its letter language could not be recorded (\(error)): run `transfert structure language --ids \(structure.baseID) \(language)`"
                    )
                }
            }
            if output.json { return try printJSON(structure) }
            print("Added establishment \(structure.baseID): \(structure.displayName)")
            print("  access URL: \(hosting.configuration.accessURL(baseID: structure.baseID))")
        }
    }

    struct Edit: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a registered establishment's details (zone, UAI, name, place, contact).",
            discussion: """
                Only the options given change; the same rules as `structure add` apply (UAI with its check \
                letter and free, well-formed e-mail, existing zone), every broken one listed. Its id and GUID \
                never change; --uai "" removes its UAI. The letters' language: `structure language`.
                Example: transfert structure edit 12 --contact-nom Martin --contact-courriel c.martin@ac-lyon.fr
                """
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions
        @Argument(help: "The establishment id.") var id: Int64
        @Option(help: "The establishment code (7 digits + check letter); \"\" removes it.") var uai: String?
        @Option(help: "The establishment's name.") var denomination: String?
        @Option(help: "The town or place.") var localisation: String?
        @Option(help: "The zone id (see `zone list`).") var zone: Int64?
        @Option(name: .customLong("contact-nom"), help: "The contact's last name.") var contactNom: String?
        @Option(name: .customLong("contact-prenom"), help: "The contact's first name.") var contactPrenom: String?
        @Option(name: .customLong("contact-courriel"), help: "The contact's e-mail address.") var contactCourriel:
            String?
        @Option(help: "Registration date, YYYY-MM-DD.", transform: { try CalendarDate(parsing: $0) })
        var date: CalendarDate?

        var changes: StructureChanges {
            StructureChanges(
                zoneID: zone, uai: uai, localisation: localisation, denomination: denomination,
                contactNom: contactNom, contactPrenom: contactPrenom, contactCourriel: contactCourriel,
                inscriptionDate: date)
        }

        func validate() throws {
            if changes.isEmpty {
                throw ValidationError(
                    "Give at least one detail to change: --denomination, --localisation, --uai, --zone, --contact-nom, --contact-prenom, --contact-courriel or --date."
                )
            }
        }

        func run() throws {
            let hosting = try hostingOptions.open()
            let structure = try hosting.editStructure(baseID: id, changes: changes)
            if output.json { return try printJSON(structure) }
            print("Changed establishment \(structure.baseID): \(structure.displayName)")
        }
    }

    struct List: ParsableCommand, TransfertSubcommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the establishments.")
            .namingRootOptions()
        @ParentCommand var transfert: Transfert
        @Option(help: "Only this zone.") var zone: Int64?

        func run() throws {
            let structures = try hostingOptions.open().registry.structures().filter { zone == nil || $0.zoneID == zone }
            if output.json { return try printJSON(structures) }
            var table = TextTable(columns: [
                .init("Id", alignment: .right), .init("Zone", alignment: .right), .init("UAI"), .init("Localisation"),
                .init("Dénomination"), .init("Contact"), .init("Courriel"), .init("Inscription"),
            ])
            for s in structures {
                table.append([
                    String(s.baseID), String(s.zoneID), s.uai?.rawValue ?? "", s.localisation, s.denomination,
                    "\(s.contactPrenom) \(s.contactNom)", s.contactCourriel.rawValue, s.inscriptionDate.description,
                ])
            }
            print(table.render())
            print("\(structures.count) establishment\(structures.count == 1 ? "" : "s")")
        }
    }

    struct Show: ParsableCommand, TransfertSubcommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one establishment.")
            .namingRootOptions()
        @ParentCommand var transfert: Transfert
        @Argument(help: "The establishment id.") var id: Int64

        func run() throws {
            let hosting = try hostingOptions.open()
            guard let s = try hosting.registry.structure(baseID: id) else { throw RegistryError.unknownStructure(id) }
            if output.json { return try printJSON(s) }
            let zone = try hosting.registry.zone(id: s.zoneID)
            let fields: [(String, String)] = [
                ("Id", String(s.baseID)), ("GUID", s.guid.uuidString.lowercased()),
                ("Zone", "\(s.zoneID) (\(zone?.name ?? "unknown"))"), ("UAI", s.uai?.rawValue ?? "—"),
                ("Localisation", s.localisation), ("Dénomination", s.denomination),
                ("Contact", "\(s.contactPrenom) \(s.contactNom) <\(s.contactCourriel)>"),
                ("Inscription", s.inscriptionDate.description), ("Status", s.status.rawValue),
                (
                    "Letters in",
                    try hosting.registry.letterLanguage(baseID: s.baseID).map { "\($0) (its own)" }
                        ?? "\(hosting.configuration.userLanguage) (the hosting's)"
                ),
                ("Access URL", hosting.configuration.accessURL(baseID: s.baseID)),
                (
                    "Database",
                    hosting.establishments.exists(baseID: s.baseID)
                        ? formatBytes((try? hosting.establishments.storageSize(baseID: s.baseID)) ?? 0) : "missing"
                ),
            ]
            let width = fields.map(\.0.count).max() ?? 0
            for (label, value) in fields {
                print(label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
            }
        }
    }

    struct Language: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(
            commandName: "language",
            abstract: "Set the language of establishments' letters, or list the languages set.",
            discussion: """
                Letters (`letters`, `import --notify`, newsletters) are written in each establishment's own \
                language when it has one, else in the hosting's (`language` in transfert.yaml); `--template` \
                or `--language` on those commands still decides for all. `default` clears an establishment's \
                own language. The language travels with the establishment in the bundle.
                Examples: transfert structure language --ids 12,13 en
                          transfert structure language --ids 12 default
                          transfert structure language
                """
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions
        @Option(
            name: .long, help: ArgumentHelp("Establishment ids, comma-separated.", valueName: "id,id…"),
            transform: parseIDList)
        var ids: [Int64]?
        @Argument(help: ArgumentHelp("fr, en, or default (the hosting's).", valueName: "language"))
        var language: String?

        func validate() throws {
            if (ids == nil) != (language == nil) {
                throw ValidationError(
                    "Give --ids and a language (fr, en or default), or neither to list the languages set.")
            }
        }

        func run() throws {
            try reportingErrors(json: output.json) {
                let hosting = try hostingOptions.open()
                guard let ids, let language else {
                    let languages = try hosting.registry.letterLanguages()
                    if output.json {
                        return try printJSON(
                            Dictionary(uniqueKeysWithValues: languages.map { (String($0.key), $0.value) }))
                    }
                    for (id, language) in languages.sorted(by: { $0.key < $1.key }) { print("\(id)  \(language)") }
                    print("Every other establishment: \(hosting.configuration.userLanguage) (the hosting's).")
                    return
                }
                let chosen = language == "default" ? nil : try LetterLanguage.checked(language, option: "language")
                let structures = try hosting.selectStructures(ids)
                for structure in structures { try hosting.registry.setLetterLanguage(chosen, baseID: structure.baseID) }
                if output.json {
                    return try printJSON(
                        Dictionary(
                            uniqueKeysWithValues: ids.map { (String($0), chosen ?? hosting.configuration.userLanguage) }
                        ))
                }
                for structure in structures {
                    print(
                        "Establishment \(structure.baseID) (\(structure.displayName)): letters in \(chosen ?? "\(hosting.configuration.userLanguage) (the hosting's)")."
                    )
                }
            }
        }
    }

    struct Remove: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Delete establishments: database, files, lock and registry row.",
            discussion: """
                Only with a bundle that verifies --deep --against-source for every one of them \
                (--verified-by CSV ZIP), or with --force, which asks for confirmation on a terminal. \
                Establishments whose move is confirmed (`transfert confirm RECEIPT`) need neither: the \
                target's signed receipt proved them. Each deletion is recorded in the transfer journal \
                (transfert journal); a moved establishment's old address keeps redirecting.
                Example: transfert structure remove --ids 3,4 --verified-by bases_dump_….csv bases_dump_….zip
                """
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions
        @Option(
            name: .long, help: ArgumentHelp("Establishment ids, comma-separated.", valueName: "id,id…"),
            transform: parseIDList)
        var ids: [Int64]
        @Option(
            name: .customLong("verified-by"), parsing: .upToNextOption,
            help: ArgumentHelp("The bundle that must verify first: its CSV and its ZIP.", valueName: "csv zip"))
        var verifiedBy: [String] = []
        @Flag(help: "Remove without a verified bundle (asks to type the ids on a terminal; --yes for scripts).")
        var force = false
        @OptionGroup var confirmation: ConfirmationOptions
        @Option(help: ArgumentHelp("Where the verification restores its scratch databases.", valueName: "dir"))
        var scratch: String?
        @Flag(
            name: .customLong("dry-run"),
            help:
                "Make every check (the bundle's verification, the confirmed moves) and list what would be removed; remove nothing."
        )
        var dryRun = false

        func validate() throws {
            if !verifiedBy.isEmpty && verifiedBy.count != 2 {
                throw ValidationError("--verified-by takes two files: the bundle's CSV and its ZIP.")
            }
            if !verifiedBy.isEmpty && force { throw ValidationError("Give --verified-by or --force, not both.") }
        }

        func run() throws {
            let hosting = try hostingOptions.open()
            let deletion = SafeDeletion(hosting: hosting, scratchDirectory: scratch.map { URL(fileURLWithPath: $0) })
            let removed: [Structure]
            let moved = try ids.compactMap { try hosting.registry.move(baseID: $0) }
            if verifiedBy.isEmpty && !force && moved.count == ids.count {
                if !dryRun { try ask(try hosting.selectStructures(ids), why: "whose moves are confirmed") }
                removed = try deletion.removeMoved(ids: ids, dryRun: dryRun)
            } else if verifiedBy.isEmpty && !force {
                let unproved = ids.filter { id in !moved.contains { $0.baseID == id } }
                throw CommandFailure(
                    "Removing deletes the data, and nothing proves establishment\(unproved.count == 1 ? "" : "s") \(unproved.map(String.init).joined(separator: ", ")) can be restored elsewhere: confirm the move with the target's receipt (`transfert confirm RECEIPT`), or give --verified-by CSV ZIP (a bundle that verifies), or --force."
                )
            } else if force && dryRun {
                removed = try hosting.selectStructures(ids)
            } else if force {
                let structures = try hosting.selectStructures(ids)
                let expected = structures.map { String($0.baseID) }.joined(separator: ",")
                try Confirmation(
                    consequences: ["This deletes, with no bundle to restore them from:"]
                        + structures.map { "  \($0.baseID)  \($0.displayName)" },
                    expectedAnswer: expected, refusal: "Not confirmed: nothing was removed."
                )
                .ask(yes: confirmation.yes, command: "structure remove --force")
                removed = try deletion.removeForced(ids: ids)
            } else {
                try BundleFilePair.check(
                    csv: URL(fileURLWithPath: verifiedBy[0]), zip: URL(fileURLWithPath: verifiedBy[1]),
                    command:
                        "transfert structure remove --ids \(ids.map(String.init).joined(separator: ",")) --verified-by")
                if !dryRun {
                    try ask(
                        try hosting.selectStructures(ids), why: "once the bundle verifies (deep, against this server)")
                }
                if !output.json { print("Verifying the bundle (deep, against source)…") }
                removed = try deletion.removeVerified(
                    ids: ids, csv: URL(fileURLWithPath: verifiedBy[0]), zip: URL(fileURLWithPath: verifiedBy[1]),
                    dryRun: dryRun)
            }
            if output.json { return try printJSON(removed) }
            if dryRun {
                for s in removed { print("Dry run: would remove establishment \(s.baseID): \(s.displayName)") }
                print(
                    "Nothing was removed: run it again without --dry-run\(force ? " (it will ask you to confirm)" : "")."
                )
                return
            }
            for s in removed { print("Removed establishment \(s.baseID): \(s.displayName)") }
            print("Recorded in the transfer journal (transfert journal).")
        }

        /// On a terminal, unless --yes: the establishments named, and "yes" typed.
        private func ask(_ structures: [Structure], why: String) throws {
            try Confirmation(
                consequences: ["This deletes the databases, files and registry rows of these establishments, \(why):"]
                    + structures.map { "  \($0.baseID)  \($0.displayName)" },
                refusal: "Not confirmed: nothing was removed."
            ).ask(yes: confirmation.yes, command: "structure remove")
        }
    }
}
