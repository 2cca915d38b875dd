import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

@Suite("Receipts and moves")
struct ReceiptTests {
    static func receipt() -> ImportReceipt {
        ImportReceipt(
            target: .init(serverName: "serveur-b", baseURL: "https://b.example.org/", fingerprint: "fb", publicKey: ""),
            source: .init(serverName: "serveur-a", fingerprint: "fa"),
            bundle: .init(name: "bases_dump_x", zipSHA256: String(repeating: "0", count: 64)),
            importedAt: "2026-11-25T10:00:00Z",
            establishments: [
                .init(
                    guid: "g", oldID: 1, newID: 12, accessURL: "https://b.example.org/?id=12",
                    denomination: "Lycée « Les Îles »", uai: nil,
                    tables: [TableDigest(table: "élèves", rows: 3, sha256: String(repeating: "a", count: 64))])
            ])
    }

    @Test func aSignedReceiptVerifiesAndAnyEditBreaksIt() throws {
        // A directory is all a key needs: no hosting.
        let directory = try TemporaryDirectory()
        let key = try ReceiptKey.load(in: directory.url)
        #expect(try ReceiptKey.load(in: directory.url).publicKeyBase64 == key.publicKeyBase64, "the key is kept")
        let keyFile = directory.path(ReceiptKey.fileName).path
        #expect(try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int == 0o600)
        let signed = try key.sign(Self.receipt())
        #expect(signed.target.publicKey == key.publicKeyBase64)
        try ReceiptKey.verify(signed)
        // Through the file and back.
        let url = directory.path("r.json")
        try signed.fileData().write(to: url)
        let (read, sha) = try ImportReceipt.read(contentsOf: url)
        try ReceiptKey.verify(read)
        #expect(read == signed && sha.count == 64)
        // Every kind of edit is caught.
        var edits: [ImportReceipt] = []
        var edited = signed
        edited.establishments[0].newID = 13
        edits.append(edited)
        edited = signed
        edited.establishments[0].tables[0].rows = 4
        edits.append(edited)
        edited = signed
        edited.bundle.name = "bases_dump_y"
        edits.append(edited)
        edited = signed
        edited.establishments[0].accessURL = "https://evil.example.org/"
        edits.append(edited)
        edited = signed
        edited.target.publicKey = try ReceiptKey.load(in: directory.path("other")).publicKeyBase64
        edits.append(edited)
        for edit in edits {
            #expect(throws: MoveError.self) { try ReceiptKey.verify(edit) }
        }
        var unsigned = signed
        unsigned.signature = nil
        #expect(throws: MoveError.badSignature("it is not signed")) { try ReceiptKey.verify(unsigned) }
    }

    @Test func whatIsNotAReceiptIsRefusedWithTheReason() throws {
        let directory = try TemporaryDirectory()
        for (text, words) in [
            ("not json", "not valid JSON"), ("{\"format\":\"x\"}", "not a receipt"),
            ("{\"format\":\"transfert-receipt\",\"version\":1}", "not a receipt"),
        ] {
            let url = directory.path("bad.json")
            try text.write(to: url, atomically: true, encoding: .utf8)
            do {
                _ = try ImportReceipt.read(contentsOf: url)
                Issue.record("\(text) was read")
            } catch {
                #expect("\(error)".contains(words), "\(error)")
            }
        }
        var newer = Self.receipt()
        newer.version = 99
        try newer.fileData().write(to: directory.path("newer.json"))
        #expect(throws: MoveError.self) { try ImportReceipt.read(contentsOf: directory.path("newer.json")) }
        #expect(throws: MoveError.self) { try ImportReceipt.read(contentsOf: directory.path("absent.json")) }
    }

    @Test func aReceiptsContentIsCheckedBeforeItIsBelieved() throws {
        var receipt = Self.receipt()
        receipt.establishments[0].guid = UUID().uuidString.lowercased()
        try ReceiptValidation.check(receipt)
        var evil = receipt
        evil.establishments[0].accessURL = "https://evil.example.org/?id=12"
        var control = receipt
        control.establishments[0].denomination = "Lycée\u{1B}[31m"
        var twice = receipt
        twice.establishments.append(receipt.establishments[0])
        var empty = receipt
        empty.establishments = []
        var scheme = receipt
        scheme.target.baseURL = "javascript:alert(1)//"
        scheme.establishments[0].accessURL = "javascript:alert(1)//?id=12"
        for (bad, words) in [
            (evil, "is not the target's address for id 12"), (control, "control character"), (twice, "listed twice"),
            (empty, "lists no establishment"), (scheme, "not an http(s) address"),
        ] {
            #expect(throws: MoveError.self) { try ReceiptValidation.check(bad) }
            do { try ReceiptValidation.check(bad) } catch { #expect("\(error)".contains(words), "\(error)") }
        }
        // Each reason is a problem naming the receipt's field, for `confirm --json`'s `error.problems`.
        do {
            try ReceiptValidation.check(evil)
            Issue.record("an address elsewhere was accepted")
        } catch let error as MoveError {
            #expect(error.problems.map(\.code) == [.receiptInvalidField], "\(error)")
            #expect(error.problems.map { $0.location?.field } == ["establishments[0].access_url"], "\(error)")
        }
    }

    @Test func aHistoryPathFollowsImportsAndConfirmations() {
        func entry(
            _ event: JournalEntry.Event, _ id: Int64, source: (String, Int64)? = nil, target: (String, Int64)? = nil,
            outcome: JournalEntry.Outcome = .done
        ) -> JournalEntry {
            JournalEntry(
                event: event, guid: "g", baseID: id, denomination: "x", sourceServer: source?.0,
                sourceBaseID: source?.1,
                targetServer: target?.0, targetBaseID: target?.1, outcome: outcome)
        }
        let events = [
            entry(.imported, 3, source: ("serveur-a", 1)),
            entry(.receiptWritten, 3, source: ("serveur-a", 1), target: ("serveur-b", 3)),
            entry(.exported, 3),
            entry(.confirmed, 3, target: ("serveur-x", 9), outcome: .refused),
            entry(.confirmed, 3, target: ("serveur-c", 7)),
            entry(.redirected, 3, target: ("serveur-c", 7)),
            entry(.removed, 3),
        ]
        let path = EstablishmentHistory.path(of: events, here: "serveur-b").map { "\($0.server)#\($0.id)" }
        #expect(path == ["serveur-a#1", "serveur-b#3", "serveur-c#7"], "a refused confirmation is not a step")
    }
}
