import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct ConfirmCommand: ParsableCommand, AuditedCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm",
        abstract: "On the source: check the target's signed receipt, then mark its establishments as moved.",
        discussion: """
            The receipt (<zip name>.receipt.json, written by the target's import) must be signed by the \
            key it carries (compare it with `transfert info` on the target, or pin it with --expect-key), \
            be for a bundle exported here (name and SHA-256), and list each establishment with the digests \
            recorded at export; the live database must not have changed since. Any mismatch is refused \
            with its reason, and nothing is marked. Then each establishment is moved: access stays \
            closed with its new address, the portal redirects its old address (HTTP 301), and `structure \
            remove` needs no bundle for it. Confirming the same receipt again changes nothing.
            Example: transfert confirm bases_dump_2026-12-01_13-05-12.receipt.json
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @OptionGroup var audit: AuditOptions

    @Argument(help: ArgumentHelp("The receipt the target's import wrote.", valueName: "receipt.json"))
    var receipt: String

    @Option(
        name: .customLong("expect-key"),
        help: ArgumentHelp("The target's public key (`transfert info` there): any other is refused.", valueName: "key"))
    var expectKey: String?

    @Option(name: .long, help: ArgumentHelp("Your words, kept in the journal.", valueName: "text"))
    var note: String?

    func run() throws {
        try reportingErrors(json: output.json) {
            let hosting = try hostingOptions.open()
            let result = try MoveConfirmation(hosting: hosting).confirm(
                receipt: URL(fileURLWithPath: receipt), expectedKey: expectKey, note: note)
            if output.json { return try printJSON(result) }
            var table = TextTable(columns: [
                .init("Old id", alignment: .right), .init("Establishment"), .init("Now on"),
                .init("New id", alignment: .right), .init("New address"),
            ])
            for move in result.confirmed + result.alreadyConfirmed {
                table.append([
                    String(move.baseID), move.denomination, move.targetServer, String(move.newID), move.accessURL,
                ])
            }
            print(table.render())
            if !result.confirmed.isEmpty {
                print(
                    "Confirmed \(result.confirmed.count) move\(result.confirmed.count == 1 ? "" : "s") to \(result.target): their old addresses now redirect (HTTP 301 from `transfert serve`)."
                )
                print(
                    "Remove them from this server with `transfert structure remove --ids \(result.confirmed.map { String($0.baseID) }.joined(separator: ","))` (no bundle needed)."
                )
            }
            if !result.alreadyConfirmed.isEmpty {
                print(
                    "Already confirmed by this receipt: \(result.alreadyConfirmed.map { String($0.baseID) }.joined(separator: ", ")) (nothing changed)."
                )
            }
        }
    }
}
