import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct HistoryCommand: ParsableCommand, TransfertSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "An establishment's whole path across the servers this hosting knows of, oldest first.",
        discussion: """
            From the transfer journal: exports, imports (with the server it came from and its id there), \
            receipts, confirmations (with the server it went to and its new id), redirections, removals. \
            Its GUID never changes; its id does at each move.
            Examples: transfert history --id 12
                      transfert history --uai 0250010A --json
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert

    @Option(name: .long, help: ArgumentHelp("Its GUID.", valueName: "guid")) var guid: String?
    @Option(name: .long, help: ArgumentHelp("Its id on this server, now or before it moved.", valueName: "id")) var id:
        Int64?
    @Option(name: .long, help: ArgumentHelp("Its UAI.", valueName: "uai")) var uai: String?

    func validate() throws {
        if [guid != nil, id != nil, uai != nil].filter({ $0 }).count != 1 {
            throw ValidationError("Give one of --guid G, --id N or --uai U.")
        }
    }

    func run() throws {
        try reportingErrors(json: output.json) {
            let hosting = try hostingOptions.open()
            let key: EstablishmentHistory.Key = guid.map { .guid($0) } ?? id.map { .id($0) } ?? .uai(uai ?? "")
            let histories = try EstablishmentHistory.find(
                key, in: hosting.registry, serverName: hosting.configuration.serverName)
            guard !histories.isEmpty else {
                throw CommandFailure(
                    "this hosting's journal knows nothing of \(guid.map { "GUID \($0)" } ?? id.map { "id \($0)" } ?? "UAI \(uai ?? "")"): `transfert journal` lists what it knows"
                )
            }
            if output.json { return try printJSON(histories) }
            let time = MaintenanceTime(timeZone: hosting.configuration.timeZone)
            let here = hosting.configuration.serverName
            for (index, history) in histories.enumerated() {
                if index > 0 { print() }
                print("\(history.denomination) — GUID \(history.guid)")
                print("Path: " + history.path.map { "\($0.server) #\($0.id)" }.joined(separator: " → "))
                var table = TextTable(columns: [
                    .init("When"), .init("Server"), .init("Id", alignment: .right), .init("Event"), .init("What"),
                ])
                for event in history.events {
                    let when = ISO8601DateFormatter().date(from: event.at).map(time.dayAndClock) ?? event.at
                    table.append([
                        when, here, String(event.baseID),
                        event.event.rawValue + (event.outcome == .refused ? " (refused)" : ""),
                        Self.describe(event),
                    ])
                }
                print(table.render())
            }
        }
    }

    static func describe(_ event: JournalEntry) -> String {
        var parts: [String] = []
        switch event.event {
        case .imported:
            if let server = event.sourceServer {
                parts.append("from \(server)\(event.sourceBaseID.map { " #\($0)" } ?? "")")
            }
        case .receiptWritten:
            if let server = event.sourceServer {
                parts.append("for \(server)\(event.sourceBaseID.map { " #\($0)" } ?? "")")
            }
        case .confirmed, .redirected:
            if let server = event.targetServer {
                parts.append("to \(server)\(event.targetBaseID.map { " #\($0)" } ?? "")")
            }
        case .exported, .removed, .restored:
            break
        }
        if let bundle = event.bundle { parts.append(bundle) }
        if let details = event.details { parts.append(details) }
        if let note = event.note { parts.append("note: \(note)") }
        return parts.joined(separator: "; ")
    }
}
