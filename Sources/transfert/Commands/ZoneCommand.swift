import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct ZoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zone", abstract: "Manage zones.", subcommands: [Add.self, List.self]
    ).namingRootOptions()

    struct Add: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a zone and print its id.")
            .namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions
        @Argument(help: "The zone's name, e.g. \"Académie de Besançon\".") var name: String

        func run() throws {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else {
                throw ValidationError(
                    "The zone name is empty: give a name, e.g. transfert zone add \"Académie de Lyon\".")
            }
            let zone = try hostingOptions.open().registry.addZone(named: trimmed)
            if output.json { try printJSON(zone) } else { print("Added zone \(zone.id): \(zone.name)") }
        }
    }

    struct List: ParsableCommand, TransfertSubcommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List zones.")
            .namingRootOptions()
        @ParentCommand var transfert: Transfert

        func run() throws {
            let zones = try hostingOptions.open().registry.zones()
            if output.json { return try printJSON(zones) }
            var table = TextTable(columns: [.init("Id", alignment: .right), .init("Name")])
            for zone in zones { table.append([String(zone.id), zone.name]) }
            print(table.render())
        }
    }
}
