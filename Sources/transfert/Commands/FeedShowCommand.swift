import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel

struct FeedShowCommand: ParsableCommand, TransfertSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "List an establishment's feed memberships: status, availability, data source, when last seen.",
        discussion: "Example: transfert feed show --id 2 --course 6A"
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @Option(help: "The establishment.") var id: Int64
    @Option(help: "Only this course key.") var course: String?
    @Option(help: "Only this person key.") var person: String?

    func run() throws {
        try reportingErrors(json: output.json) {
            let hosting = try hostingOptions.open()
            let records = try FeedState(hosting: hosting).memberships(baseID: id, course: course, person: person)
            if output.json { return try printJSON(records) }
            var table = TextTable(columns: [
                .init("Course"), .init("Person"), .init("Status"), .init("Available"), .init("Role"),
                .init("Integration"), .init("Data source"), .init("First seen"), .init("Last seen"),
                .init("Disabled at"),
            ])
            for r in records {
                table.append([
                    r.course, r.person, r.status, r.available ? "Y" : "N", r.role ?? "", r.integration, r.dataSource,
                    r.firstSeen, r.lastSeen, r.disabledAt ?? "",
                ])
            }
            print(table.render())
            print("\(records.count) record(s)")
        }
    }
}
