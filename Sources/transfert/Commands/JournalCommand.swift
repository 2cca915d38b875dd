import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct JournalCommand: ParsableCommand, TransfertSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Show the transfer journal: exports, imports and removals, by GUID.",
        discussion: "Example: transfert journal --guid 3f2c…"
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @Option(help: "Only the entries of this establishment GUID.") var guid: String?

    func run() throws {
        let hosting = try hostingOptions.open()
        let entries = try hosting.registry.journal(guid: guid)
        if output.json {
            let time = MaintenanceTime(timeZone: hosting.configuration.timeZone)
            return try printJSON(entries.map { $0.shown(in: time) })
        }
        var table = TextTable(columns: [
            .init("At"), .init("Event"), .init("Id", alignment: .right), .init("Dénomination"), .init("GUID"),
            .init("From"), .init("Bundle"), .init("Details"),
        ])
        for e in entries {
            let from = e.sourceServer.map { "\($0) id \(e.sourceBaseID.map(String.init) ?? "?")" } ?? ""
            table.append([
                e.at, e.event.rawValue, String(e.baseID), e.denomination, e.guid, from, e.bundle ?? "", e.details ?? "",
            ])
        }
        print(table.render())
        print("\(entries.count) entr\(entries.count == 1 ? "y" : "ies")")
    }
}
