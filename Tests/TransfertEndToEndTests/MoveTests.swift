import Foundation
import Testing

/// A move between two hostings, driven only through the command line and the portal over HTTP: export,
/// import, the signed receipt, confirm, the old address that redirects, history on both sides, removal
/// without a bundle, and every way a receipt can be wrong.
@Suite("Moves between two hostings", .serialized)
struct MoveTests {
    /// Source `a` with three establishments, target `b` with two of its own (so that new ids differ from old).
    func twoHostings() throws -> Workspace {
        let workspace = try Workspace()
        try workspace.initHosting("a", name: "serveur-a", baseURL: "https://a.example.org/sacoche/")
        try workspace.initHosting("b", name: "serveur-b", baseURL: "https://b.example.org/sacoche/")
        try workspace.succeed(["sample", "--structures", "3", "--students", "5"], hosting: "a")
        try workspace.succeed(["sample", "--structures", "2", "--students", "3", "--seed", "99"], hosting: "b")
        return workspace
    }

    /// Exports `ids` from `a` (kept locked) and returns the bundle's base path (without extension).
    func export(_ workspace: Workspace, ids: String, from hosting: String = "a", out: String = "out") throws -> String {
        try workspace.succeed(
            [
                "export", "--ids", ids, "--keep-locked", "--out", workspace.path(out), "--note",
                "Déménagement académique",
            ],
            hosting: hosting)
        let zip = try #require(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path(out)).first { $0.hasSuffix(".zip") })
        return workspace.path(out) + "/" + zip.dropLast(4)
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    @Test func aWholeMoveThroughTheCommandLineAndThePortal() throws {
        let workspace = try twoHostings()
        let bundle = try export(workspace, ids: "1,3")
        try workspace.succeed(["verify", "--deep", "--against-source", bundle + ".csv", bundle + ".zip"], hosting: "a")
        let imported = try workspace.succeed(
            ["import", bundle + ".csv", bundle + ".zip", "--note", "Rentrée"], hosting: "b")
        let receiptPath = bundle + ".receipt.json"
        #expect(imported.stdout.contains("Receipt: \(receiptPath)"))

        // The receipt: who signed, which bundle, old and new ids, digests — owner-only.
        let receiptText = try String(contentsOfFile: receiptPath, encoding: .utf8)
        let receipt = try object(receiptText)
        let target = try #require(receipt["target"] as? [String: Any])
        #expect(target["server_name"] as? String == "serveur-b")
        let info = try object(try workspace.succeed(["info", "--json"], hosting: "b").stdout)
        #expect(target["public_key"] as? String == info["receipt_public_key"] as? String, "the key `info` shows")
        #expect(target["fingerprint"] as? String == info["fingerprint"] as? String)
        let establishments = try #require(receipt["establishments"] as? [[String: Any]])
        #expect(establishments.map { $0["old_id"] as? Int } == [1, 3])
        #expect(establishments.map { $0["new_id"] as? Int } == [3, 4])
        #expect(
            establishments.map { $0["access_url"] as? String } == [
                "https://b.example.org/sacoche/?id=3", "https://b.example.org/sacoche/?id=4",
            ])
        #expect((establishments[0]["tables"] as? [[String: Any]])?.isEmpty == false)
        let mode = try FileManager.default.attributesOfItem(atPath: receiptPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Checked by an independent implementation: Python's cryptography, Ed25519 over sorted compact JSON.
        let check = try run(
            try #require(which("python3")),
            [
                "-c",
                """
                import base64, json, sys
                from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
                receipt = json.load(open(sys.argv[1], encoding='utf-8'))
                signature = base64.b64decode(receipt.pop('signature'))
                key = Ed25519PublicKey.from_public_bytes(base64.b64decode(receipt['target']['public_key']))
                key.verify(signature, json.dumps(receipt, sort_keys=True, separators=(',', ':'), ensure_ascii=False).encode('utf-8'))
                print('valid')
                """, receiptPath,
            ])
        #expect(check.stdout.contains("valid"), "Python could not verify the signature: \(check.transcript)")

        // Before the confirmation, the old address shows the kept lock (503).
        let before = try PortalServer(workspace, hosting: "a")
        #expect(try httpGet(before.base + "/?id=1").status == 503)
        before.stop()

        // Confirm on the source, once; a second time changes nothing.
        let confirmed = try workspace.succeed(
            [
                "confirm", receiptPath, "--note", "Reçu vérifié", "--expect-key",
                info["receipt_public_key"] as? String ?? "",
            ],
            hosting: "a")
        #expect(confirmed.stdout.contains("Confirmed 2 moves to serveur-b"))
        let again = try workspace.succeed(["confirm", receiptPath], hosting: "a")
        #expect(again.stdout.contains("Already confirmed by this receipt: 1, 3"))
        #expect(
            try workspace.sqlite("a/registry.sqlite", "SELECT base_id, status FROM structure ORDER BY base_id")
                == "1|moved\n2|active\n3|moved")
        #expect(
            try workspace.sqlite("a/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "2",
            "kept until removal")

        // The portal sends the old address to the new one, for good; the other establishment is untouched.
        let portal = try PortalServer(workspace, hosting: "a")
        let redirect = try httpGet(portal.base + "/?id=1")
        #expect(redirect.status == 301)
        #expect(redirect.header("Location") == "https://b.example.org/sacoche/?id=3")
        #expect(redirect.body.contains("https://b.example.org/sacoche/?id=3"))
        let status = try httpGet(portal.base + "/status?id=3").object()
        #expect(status["state"] as? String == "moved")
        #expect(status["moved_to"] as? String == "https://b.example.org/sacoche/?id=4")
        #expect(try httpGet(portal.base + "/?id=2").status == 200)

        // History on both sides: the same GUID, with both ids.
        let guid = try #require(establishments[0]["guid"] as? String)
        for (hosting, id) in [("a", "1"), ("b", "3")] {
            let histories = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(try workspace.succeed(["history", "--id", id, "--json"], hosting: hosting).stdout.utf8))
                    as? [[String: Any]])
            #expect(histories.count == 1)
            #expect(histories[0]["guid"] as? String == guid, "\(hosting)")
            let path = (histories[0]["path"] as? [[String: Any]] ?? []).map {
                "\($0["server"] as? String ?? "")#\($0["id"] as? Int ?? 0)"
            }
            #expect(path == ["serveur-a#1", "serveur-b#3"], "\(hosting): \(path)")
        }
        let text = try workspace.succeed(["history", "--guid", guid], hosting: "a").stdout
        #expect(text.contains("Path: serveur-a #1 → serveur-b #3"))
        #expect(text.contains("note: Déménagement académique") && text.contains("note: Reçu vérifié"))

        // Both journals know the bundle by the SHA-256 of its ZIP, as Python computes it.
        let zipSHA = try run(
            try #require(which("python3")),
            [
                "-c", "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())",
                bundle + ".zip",
            ]
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect((receipt["bundle"] as? [String: Any])?["zip_sha256"] as? String == zipSHA)
        #expect(
            try workspace.sqlite(
                "a/registry.sqlite", "SELECT DISTINCT bundle_sha256 FROM transfer_journal WHERE event = 'exported'")
                == zipSHA)
        #expect(
            try workspace.sqlite(
                "b/registry.sqlite", "SELECT DISTINCT bundle_sha256 FROM transfer_journal WHERE event = 'imported'")
                == zipSHA)
        // Until it is removed, doctor reminds that the old copy is still here.
        #expect(try workspace.succeed(["doctor"], hosting: "a").stdout.contains("moved to serveur-b"))

        // Removal without --force or a bundle; the old address still redirects, and its id is never reused.
        let removed = try workspace.succeed(["structure", "remove", "--yes", "--ids", "1,3"], hosting: "a")
        #expect(removed.stdout.contains("Removed establishment 1"))
        #expect(try workspace.sqlite("a/registry.sqlite", "SELECT COUNT(*) FROM structure") == "1")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("a/bases/base_1.sqlite")))
        #expect(try httpGet(portal.base + "/?id=1").header("Location") == "https://b.example.org/sacoche/?id=3")
        portal.stop()
        let events = try workspace.sqlite(
            "a/registry.sqlite", "SELECT event FROM transfer_journal WHERE guid = '\(guid)' ORDER BY id")
        #expect(events == "exported\nconfirmed\nredirected\nremoved")
        #expect(
            try workspace.sqlite(
                "a/registry.sqlite",
                "SELECT target_server, target_base_id FROM transfer_journal WHERE guid = '\(guid)' AND event = 'removed'"
            ) == "serveur-b|3")
        #expect(
            try workspace.sqlite(
                "b/registry.sqlite", "SELECT event FROM transfer_journal WHERE guid = '\(guid)' ORDER BY id")
                == "imported\nreceipt_written")
        try workspace.succeed(["sample", "--structures", "1", "--students", "2", "--seed", "5"], hosting: "a")
        #expect(
            try workspace.sqlite("a/registry.sqlite", "SELECT MAX(base_id) FROM structure") == "4",
            "ids 1 and 3 are not given again")

        // The same bundle again: refused on the target (already there) and on the source (moved away)…
        let second = try workspace.transfert(["import", bundle + ".csv", bundle + ".zip"], hosting: "b")
        #expect(second.status != 0)
        #expect(second.stderr.contains("was already imported from this bundle"))
        let back = try workspace.transfert(["import", bundle + ".csv", bundle + ".zip"], hosting: "a")
        #expect(back.status != 0)
        #expect(back.stderr.contains("left this server for serveur-b") && back.stderr.contains("--as-copy"))
        // …unless as a copy, with a new GUID (here establishment 3 alone: its CSV row kept, the other dropped).
        let copyCSV = workspace.path("copy.csv")
        _ = try run(
            try #require(which("python3")),
            [
                "-c",
                """
                import sys
                lines = open(sys.argv[1], encoding='utf-8', newline='').read().split('\\r\\n')
                keep = [lines[0]] + [l for l in lines[1:] if l and l.split(';')[0] == '3']
                open(sys.argv[2], 'w', encoding='utf-8', newline='').write('\\r\\n'.join(keep) + '\\r\\n')
                """, bundle + ".csv", copyCSV,
            ])
        try workspace.succeed(
            [
                "import", "--as-copy", copyCSV, bundle + ".zip", "--result", workspace.path("copy.result.csv"),
                "--receipt", workspace.path("copy.receipt.json"),
            ], hosting: "a")
        #expect(
            try workspace.sqlite("a/registry.sqlite", "SELECT COUNT(*) FROM structure WHERE guid = '\(guid)'") == "0")
        #expect(
            try workspace.sqlite("a/registry.sqlite", "SELECT COUNT(*) FROM structure") == "3",
            "2, the sample's 4, the copy")

        // And back again: a bundle from the server it went to is a return move, not its old bundle.
        try workspace.succeed(["export", "--ids", "3", "--keep-locked", "--out", workspace.path("back")], hosting: "b")
        let zipName = try #require(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path("back")).first { $0.hasSuffix(".zip") })
        let back2 = workspace.path("back") + "/" + zipName.dropLast(4)
        try workspace.succeed(["import", back2 + ".csv", back2 + ".zip"], hosting: "a")
        let returned = try workspace.sqlite("a/registry.sqlite", "SELECT base_id FROM structure WHERE guid = '\(guid)'")
        #expect(returned != "" && returned != "1", "a new id, never its old one")
        let aKey =
            try object(try workspace.succeed(["info", "--json"], hosting: "a").stdout)["receipt_public_key"] as? String
            ?? ""
        try workspace.succeed(["confirm", back2 + ".receipt.json", "--expect-key", aKey], hosting: "b")
        for hosting in ["a", "b"] {
            let histories = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(
                        try workspace.succeed(["history", "--guid", guid, "--json"], hosting: hosting).stdout.utf8))
                    as? [[String: Any]])
            let path = (histories.first?["path"] as? [[String: Any]] ?? []).map {
                "\($0["server"] as? String ?? "")#\($0["id"] as? Int ?? 0)"
            }
            #expect(path == ["serveur-a#1", "serveur-b#3", "serveur-a#\(returned)"], "\(hosting): \(path)")
        }
    }

    @Test func editedForeignAndStaleReceiptsAreRefusedAndNothingIsMarked() throws {
        let workspace = try twoHostings()
        let bundle = try export(workspace, ids: "2")
        try workspace.succeed(["import", bundle + ".csv", bundle + ".zip"], hosting: "b")
        let receiptPath = bundle + ".receipt.json"
        let original = try String(contentsOfFile: receiptPath, encoding: .utf8)

        func refused(_ arguments: [String], _ words: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let result = try workspace.transfert(arguments, hosting: "a")
            #expect(result.status != 0, "\(arguments) was accepted", sourceLocation: sourceLocation)
            #expect(result.stderr.contains(words), "\(result.transcript)", sourceLocation: sourceLocation)
            #expect(
                try workspace.sqlite("a/registry.sqlite", "SELECT status FROM structure WHERE base_id = 2") == "active",
                sourceLocation: sourceLocation)
            #expect(
                try workspace.sqlite("a/registry.sqlite", "SELECT COUNT(*) FROM structure_move") == "0",
                sourceLocation: sourceLocation)
        }

        // Edited by hand: another new id.
        let edited = workspace.path("edited.receipt.json")
        try original.replacingOccurrences(of: "\"new_id\" : 3", with: "\"new_id\" : 30").write(
            toFile: edited, atomically: true, encoding: .utf8)
        #expect(try String(contentsOfFile: edited, encoding: .utf8) != original)
        try refused(["confirm", edited], "the signature does not match its content")
        // Not a receipt at all, and a key that is not the expected one.
        try "{\"format\": \"something\"}".write(toFile: workspace.path("junk.json"), atomically: true, encoding: .utf8)
        try refused(["confirm", workspace.path("junk.json")], "not a receipt")
        try refused(
            ["confirm", receiptPath, "--expect-key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="],
            "is signed with key")
        let json = try workspace.transfert(["confirm", edited, "--json"], hosting: "a")
        #expect(
            try object(json.stdout)["error"].flatMap { ($0 as? [String: Any])?["code"] as? String } == "bad_signature")

        // Foreign: a receipt for another server's bundle (c exported, b imported), signed and valid.
        try workspace.initHosting("c", name: "serveur-c", baseURL: "https://c.example.org/")
        try workspace.succeed(["sample", "--structures", "1", "--students", "2", "--seed", "3"], hosting: "c")
        let foreign = try export(workspace, ids: "1", from: "c", out: "out-c")
        try workspace.succeed(["import", foreign + ".csv", foreign + ".zip"], hosting: "b")
        try refused(["confirm", foreign + ".receipt.json"], "is for a bundle of server serveur-c")

        // The first receipt of a target needs the operator's word on its key.
        try refused(["confirm", receiptPath], "this is the first receipt of server serveur-b")
        let key =
            try object(try workspace.succeed(["info", "--json"], hosting: "b").stdout)["receipt_public_key"] as? String
            ?? ""

        // Stale: the establishment changed on the source after its export (its lock released, a write made).
        try workspace.succeed(["lock", "release", "--yes", "--ids", "2"], hosting: "a")
        let table = try workspace.sqlite(
            "a/bases/base_2.sqlite", "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name LIMIT 1")
        _ = try workspace.sqlite(
            "a/bases/base_2.sqlite", "DELETE FROM \"\(table)\" WHERE rowid IN (SELECT rowid FROM \"\(table)\" LIMIT 1)")
        try refused(
            ["confirm", receiptPath, "--expect-key", key], "changed since the export, and the change would be lost")
        // With --json: the change is a problem of its own, with the establishment's id and the table.
        let stale = try object(
            try workspace.transfert(["confirm", receiptPath, "--expect-key", key, "--json"], hosting: "a").stdout)
        let staleError = try #require(stale["error"] as? [String: Any], "\(stale)")
        #expect(staleError["code"] as? String == "receipt_mismatch", "\(staleError)")
        let changes = try #require(staleError["problems"] as? [[String: Any]], "\(staleError)")
        #expect(
            changes.contains { problem in
                let place = problem["location"] as? [String: Any]
                return problem["code"] as? String == "source.changed" && place?["base_id"] as? Int == 2
                    && place?["field"] as? String == table
            }, "\(changes)")
        // The refusals are part of its story.
        #expect(
            try workspace.sqlite(
                "a/registry.sqlite",
                "SELECT COUNT(*) FROM transfer_journal WHERE event = 'confirmed' AND outcome = 'refused'") != "0")
        // Nothing proves it moved: removal still needs a bundle.
        let remove = try workspace.transfert(["structure", "remove", "--yes", "--ids", "2"], hosting: "a")
        #expect(remove.status != 0 && remove.stderr.contains("transfert confirm RECEIPT"))
    }

    @Test func importRefusesAtOnceWhatTheTargetLacks() throws {
        let workspace = try twoHostings()
        try workspace.succeed(["zone", "add", "Académie de Besançon"], hosting: "a")
        try workspace.succeed(
            [
                "structure", "add", "--uai", "0250010A", "--denomination", "Collège Victor Hugo", "--localisation",
                "Besançon",
                "--zone", "2", "--contact-nom", "Lefèvre", "--contact-prenom", "Agnès",
                "--contact-courriel", "agnes.lefevre@ac-besancon.fr",
            ], hosting: "a")
        let bundle = try export(workspace, ids: "1,4")
        // A target of another application, without zone 2: both said in one message, before any data.
        try workspace.initHosting(
            "other", name: "autre", baseURL: "https://autre.example.org/", profile: "Samples/sacoche-profile.yaml")
        let result = try workspace.transfert(["import", bundle + ".csv", bundle + ".zip"], hosting: "other")
        #expect(result.status != 0)
        let line = try #require(
            result.stderr.components(separatedBy: "\n").first { $0.contains("lacks what the bundle needs") },
            "\(result.transcript)")
        #expect(
            line.contains(
                "the application: the bundle was made for \"Évaluations par compétences (modèle SACoche)\", this hosting runs \"SACoche\""
            ))
        #expect(line.contains("zone 2 (create it with `transfert zone add`"))
        #expect(try workspace.sqlite("other/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0")
    }
}
