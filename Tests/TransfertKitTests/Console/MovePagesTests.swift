import Foundation
import HTTPTypes
import Testing

@testable import TransfertConsole
@testable import TransfertKit
@testable import TransfertModel

/// The moves page: a receipt uploaded and checked by `transfert confirm` (accepted, forged, garbage, or
/// refused before any command by its name), the moves confirmed, histories by id, UAI and GUID; auditors
/// see and change nothing.
@Suite("Console moves")
struct MovePagesTests {
    /// The files left in the console's upload area (none, once a receipt was handled or refused).
    static func uploads(_ hosting: Hosting) -> [String] {
        let root = hosting.directory.appendingPathComponent(UploadReceiver.relativePath)
        return ((try? FileManager.default.subpathsOfDirectory(atPath: root.path)) ?? []).sorted()
    }

    @Test("A receipt of a real move is confirmed: the result, the moves list and the history show it")
    func confirmsARealReceipt() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let hosting = harness.hosting
        let source = hosting
        let export = try Exporter(hosting: source).run(
            ExportOptions(selection: .all, outputDirectory: harness.temporary.path("exports")))
        let target = try Hosting.initialise(
            at: harness.temporary.path("target"),
            configuration: HostingConfiguration(
                serverName: "serveur-b", baseURL: "https://b.example.org/",
                webmaster: .init(name: "Webmestre B", email: "webmestre@b.example.org")),
            profileSource: schoolProfile)
        let report = try Importer(hosting: target).run(csv: export.csv, zip: export.zip, options: ImportOptions())
        let receipt = try #require(report.receipt.map { URL(fileURLWithPath: $0) })
        let bytes = try [UInt8](Data(contentsOf: receipt))
        let key = try ReceiptKey.load(in: target.directory).publicKeyBase64
        try await harness.test { browser in
            try await browser.signIn("marie")
            let page = try await browser.get("/moves")
            #expect(page.body.contains("id=\"receipt-form\""))
            #expect(page.body.contains("enctype=\"multipart/form-data\""))
            // A first receipt of serveur-b without its key: the command's refusal, nothing marked.
            let untrusted = try await browser.upload(
                "/moves/receipt", files: [("receipt", receipt.lastPathComponent, bytes)])
            #expect(untrusted.status == .unprocessableContent)
            #expect(untrusted.body.contains("id=\"confirmation-result\" data-outcome=\"refused\""))
            #expect(untrusted.body.contains("--expect-key"), "\(untrusted.body)")
            #expect(try source.registry.moves().isEmpty)

            let confirmed = try await browser.upload(
                "/moves/receipt", files: [("receipt", receipt.lastPathComponent, bytes)],
                fields: [("expect_key", key), ("note", "déménagement académique")])
            #expect(confirmed.status == .ok, "\(confirmed.body)")
            #expect(
                confirmed.body.contains(
                    "id=\"confirmation-result\" class=\"success\" role=\"status\" data-confirmed=\"1\""))
            #expect(confirmed.body.contains("data-outcome=\"confirmed\""))
            #expect(confirmed.body.contains("Établissements du reçu \(receipt.lastPathComponent)</caption>"))
            #expect(!confirmed.body.contains(UploadReceiver.relativePath), "the server's paths are not shown")
            #expect(confirmed.body.contains("serveur-b"))
            let move = try #require(try source.registry.moves().first)
            #expect(confirmed.body.contains("href=\"\(move.accessURL)\""))
            #expect(Self.uploads(hosting).isEmpty, "the uploaded copy is removed: \(Self.uploads(hosting))")

            // Again: already confirmed, nothing changes.
            let again = try await browser.upload(
                "/moves/receipt", files: [("receipt", receipt.lastPathComponent, bytes)])
            #expect(again.status == .ok, "\(again.body)")
            #expect(again.body.contains("data-confirmed=\"0\""))
            #expect(again.body.contains("data-outcome=\"already-confirmed\""))

            let list = try await browser.get("/moves")
            #expect(list.body.contains("<table id=\"moves\">"))
            #expect(list.body.contains("<tr data-id=\"1\">"))
            let history = try await browser.get("/moves?q=1")
            #expect(history.body.contains("<table id=\"history\">"))
            #expect(history.body.contains("data-event=\"exported\""))
            #expect(history.body.contains("data-event=\"confirmed\""))
            #expect(history.body.contains("serveur-test #1 → serveur-b #\(move.newID)"), "\(history.body)")
            #expect(history.body.contains("déménagement académique"))
            let byGUID = try await browser.get("/moves?q=\(move.guid.uppercased())")
            #expect(byGUID.body.contains("data-event=\"confirmed\""))
            // Its users are now sent to the new address: the preview says what the portal answers.
            let preview = try await browser.get("/maintenance/preview?id=1")
            #expect(preview.body.contains("id=\"preview-now\" data-state=\"moved\" data-status=\"301\""))
            #expect(preview.body.contains("HTTP 301 → \(move.accessURL)"))
        }
        let log = try String(
            contentsOf: source.directory.appendingPathComponent(OperationLog.relativePath), encoding: .utf8)
        #expect(log.contains("\"command\":\"confirm\""), "\(log)")
        #expect(log.contains("\"user\":\"marie\""))
    }

    @Test("A forged or garbage receipt is refused with the command's reason, and nothing is marked")
    func forgedAndGarbage() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let hosting = harness.hosting
        let keys = try TemporaryDirectory()
        var forged = try ReceiptKey.load(in: keys.url).sign(ReceiptTests.receipt())
        forged.establishments[0].newID = 13
        let forgedBytes = try [UInt8](forged.fileData())
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/moves")
            let garbage = try await browser.upload(
                "/moves/receipt", files: [("receipt", "r.receipt.json", Array("not json".utf8))])
            #expect(garbage.status == .unprocessableContent)
            #expect(garbage.body.contains("class=\"failure\""))
            #expect(garbage.body.contains("not valid JSON"), "\(garbage.body)")
            let signature = try await browser.upload(
                "/moves/receipt", files: [("receipt", "f.receipt.json", forgedBytes)])
            #expect(signature.status == .unprocessableContent)
            #expect(signature.body.contains("signature is not valid"), "\(signature.body)")
            #expect(signature.body.contains("(bad_signature)"), "\(signature.body)")
            let none = try await browser.upload("/moves/receipt", files: [], fields: [("note", "x")])
            #expect(none.status == .badRequest)
        }
        #expect(try hosting.registry.moves().isEmpty)
        #expect(Self.uploads(hosting).isEmpty, "\(Self.uploads(hosting))")
    }

    @Test("A receipt named as a path is refused before any command runs, and nothing is written")
    func unsafeName() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let hosting = harness.hosting
        let journal = try hosting.registry.journal(guid: nil)
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/moves")
            for name in ["../../etc/passwd", "/etc/passwd", ".hidden.json", "a/../b.json"] {
                let refused = try await browser.upload(
                    "/moves/receipt", files: [("receipt", name, Array("root:x:0:0".utf8))])
                #expect(refused.status == .badRequest, "\(name)")
                #expect(refused.body.contains("(unsafe_name)"), "\(name)")
                #expect(refused.body.contains("is not a plain file name"), "\(name)")
            }
            let notMultipart = try await browser.post("/moves/receipt", [("receipt", "x")])
            #expect(notMultipart.status == .badRequest)
        }
        #expect(Self.uploads(hosting).isEmpty, "\(Self.uploads(hosting))")
        #expect(try hosting.registry.journal(guid: nil) == journal)
        #expect(!FileManager.default.fileExists(atPath: hosting.directory.appendingPathComponent("console/etc").path))
    }

    @Test("A receipt larger than any receipt is refused while it arrives, and nothing stays on disk")
    func tooLarge() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let hosting = harness.hosting
        let bytes = [UInt8](repeating: UInt8(ascii: " "), count: Int(MovePages.receiptLimitBytes) + 2_097_152)
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/moves")
            let refused = try await browser.upload("/moves/receipt", files: [("receipt", "big.receipt.json", bytes)])
            #expect(refused.status == .contentTooLarge)
            #expect(refused.body.contains("(upload_too_large)"), "\(refused.body)")
        }
        #expect(Self.uploads(hosting).isEmpty, "\(Self.uploads(hosting))")
        #expect(try hosting.registry.moves().isEmpty)
    }

    @Test("History by id and UAI (any case), unknown keys and absurd ids answered in words")
    func historyByIDAndUAI() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let hosting = harness.hosting
        let structure = try #require(try hosting.registry.structure(baseID: 1))
        let guid = structure.guid.uuidString.lowercased()
        try hosting.registry.record(
            JournalEntry(
                event: .exported, guid: guid, baseID: 1, denomination: structure.denomination, bundle: "bases_dump_x",
                uai: "0250010A", at: ISO8601DateFormatter().date(from: "2026-06-01T10:00:00Z")!))
        try hosting.registry.record(
            JournalEntry(
                event: .confirmed, guid: guid, baseID: 1, denomination: structure.denomination, bundle: "bases_dump_x",
                uai: "0250010A", targetServer: "serveur-b", targetBaseID: 12, note: "<script>alert(1)</script>",
                at: ISO8601DateFormatter().date(from: "2026-06-02T10:00:00Z")!))
        try await harness.test { browser in
            try await browser.signIn("marie")
            for query in ["1", "0250010a", "0250010A", " 1 "] {
                let page = try await browser.get("/moves?q=\(ConsoleBrowser.encode(query))")
                #expect(page.status == .ok)
                #expect(page.body.contains("<table id=\"history\">"), "\(query)")
                #expect(page.body.contains("data-event=\"exported\""), "\(query)")
                #expect(page.body.contains("vers serveur-b #12"), "\(query)")
                // 10:00 UTC is 12:00 in Paris in June.
                #expect(page.body.contains("01/06/2026 12:00"), "\(query)")
                #expect(page.body.contains("serveur-test #1 → serveur-b #12"), "\(query)")
                #expect(!page.body.contains("<script>alert"))
                #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            }
            let unknown = try await browser.get("/moves?q=99")
            #expect(unknown.body.contains("id=\"history-refusal\""))
            #expect(unknown.body.contains("id 99"))
            #expect(!unknown.body.contains("<table id=\"history\">"))
            let absurd = try await browser.get("/moves?q=999999999999999999999999")
            #expect(absurd.status == .ok)
            #expect(absurd.body.contains("n’est pas un identifiant"))
            let script = try await browser.get("/moves?q=%3Cscript%3E")
            #expect(!script.body.contains("<script>"))
            #expect(script.body.contains("UAI &lt;SCRIPT&gt;"))
        }
    }

    @Test("An auditor sees moves and histories, no receipt form, and an upload is refused")
    func auditor() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let hosting = harness.hosting
        try await harness.test { browser in
            try await browser.signIn("paul")
            let page = try await browser.get("/moves")
            #expect(page.status == .ok)
            #expect(!page.body.contains("receipt-form"))
            #expect(page.body.contains("id=\"history-form\" method=\"get\""))
            let refused = try await browser.upload(
                "/moves/receipt", files: [("receipt", "r.receipt.json", Array("{}".utf8))])
            #expect(refused.status == .forbidden)
        }
        #expect(Self.uploads(hosting).isEmpty)
    }
}
