import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct InfoCommand: ParsableCommand, TransfertSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "This hosting's identity: server name, address, fingerprint, and the key that signs its receipts.",
        discussion:
            "Give the receipt key to the source's operator: `transfert confirm --expect-key KEY` refuses receipts signed by any other."
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert

    struct Info: Encodable {
        var serverName: String
        var baseURL: String
        var fingerprint: String
        var backend: String
        var application: String
        var schemaVersion: String
        var timeZone: String
        var receiptPublicKey: String
        var establishments: Int
        var movedAway: Int

        enum CodingKeys: String, CodingKey {
            case serverName = "server_name"
            case baseURL = "base_url"
            case fingerprint, backend, application
            case schemaVersion = "schema_version"
            case timeZone = "time_zone"
            case receiptPublicKey = "receipt_public_key"
            case establishments
            case movedAway = "moved_away"
        }
    }

    func run() throws {
        try reportingErrors(json: output.json) {
            let hosting = try hostingOptions.open()
            let configuration = hosting.configuration
            let info = Info(
                serverName: configuration.serverName, baseURL: configuration.baseURL,
                fingerprint: try hosting.registry.fingerprint(), backend: hosting.backend.name,
                application: hosting.profile.name, schemaVersion: hosting.profile.schemaVersion.current,
                timeZone: configuration.timeZoneIdentifier,
                receiptPublicKey: try ReceiptKey.load(in: hosting.directory).publicKeyBase64,
                establishments: try hosting.registry.structures().count, movedAway: try hosting.registry.moves().count)
            if output.json { return try printJSON(info) }
            print(
                """
                Server:              \(info.serverName)
                Address:             \(info.baseURL)
                Fingerprint:         \(info.fingerprint)
                Backend:             \(info.backend)
                Application:         \(info.application), schema version \(info.schemaVersion)
                Time zone:           \(info.timeZone)
                Receipt key:         \(info.receiptPublicKey)
                Establishments:      \(info.establishments) hosted, \(info.movedAway) moved away
                """)
        }
    }
}
