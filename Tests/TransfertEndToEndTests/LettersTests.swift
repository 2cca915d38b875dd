import Foundation
import Testing

/// Two hostings; the source's establishments (two samples and "Établissement Régional d'Enseignement
/// Adapté", contact Joël Lefèvre) exported and imported into the target, optionally with `--notify`.
private struct LettersFixture {
    let workspace = try! Workspace()
    let resultCSV: String
    let importOutput: ProcessResult

    static let targetBaseURL = "https://b.example.org/sacoche/"

    init(notify: Bool = true, exportOptions: [String] = []) throws {
        try workspace.initHosting("source", name: "serveur-a", baseURL: "https://a.example.org/sacoche/")
        try workspace.initHosting("target", name: "serveur-b", baseURL: Self.targetBaseURL)
        try workspace.succeed(["sample", "--structures", "2", "--students", "5", "--seed", "21"], hosting: "source")
        try workspace.succeed(
            [
                "structure", "add", "--uai", "0250010A", "--denomination",
                "Établissement Régional d'Enseignement Adapté",
                "--localisation", "Besançon", "--contact-nom", "Lefèvre", "--contact-prenom", "Joël",
                "--contact-courriel", "joel.lefevre@ac-besancon.fr",
            ], hosting: "source")
        try workspace.succeed(["export", "--all", "--out", workspace.path("out")] + exportOptions, hosting: "source")
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out"))
        let csv = try #require(
            names.first { $0.hasPrefix("bases_dump_") && $0.hasSuffix(".csv") && !$0.contains(".result") })
        let zip = try #require(names.first { $0.hasSuffix(".zip") })
        importOutput = try workspace.succeed(
            ["import"] + (notify ? ["--notify"] : []) + [workspace.path("out/\(csv)"), workspace.path("out/\(zip)")],
            hosting: "target")
        resultCSV = workspace.path("out/\((zip as NSString).deletingPathExtension).result.csv")
    }

    /// The target's establishments: id → (contact first name, last name, address, name).
    func establishments() throws -> [Int: [String: Any]] {
        let list = try #require(
            try workspace.json(try workspace.succeed(["structure", "list", "--json"], hosting: "target"))
                as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: list.map { ($0["base_id"] as! Int, $0) })
    }

    /// `outbox list --json` of the target.
    func outbox(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        try #require(
            try workspace.json(
                try workspace.succeed(["outbox", "list", "--json"], hosting: "target", sourceLocation: sourceLocation))
                as? [[String: Any]],
            sourceLocation: sourceLocation)
    }

    func outboxFiles() throws -> [String] {
        try outbox().map { workspace.path("target/outbox/\($0["file"] as! String)") }
    }

    /// Appends `text` (an `smtp:` section) to the target's transfert.yaml.
    func configure(_ text: String) throws {
        let url = URL(fileURLWithPath: workspace.path("target/transfert.yaml"))
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }
}

@Suite("Letters, outbox and SMTP delivery", .serialized)
struct LettersTests {
    @Test func importNotifyWritesOneLetterPerImportedEstablishmentAndSendDeliversThem() throws {
        let f = try LettersFixture()
        #expect(f.importOutput.stdout.contains("3 letters written to"))
        let establishments = try f.establishments()
        #expect(establishments.count == 3)
        let outbox = try f.outbox()
        #expect(outbox.count == 3)
        #expect(outbox.allSatisfy { $0["state"] as? String == "pending" && $0["attempts"] as? Int == 0 })

        // Nothing left the machine: the operator reads first.
        let show = try f.workspace.succeed(["outbox", "show", "3"], hosting: "target")
        #expect(show.stdout.contains("Bonjour Joël Lefèvre,"))

        let sink = try SMTPSink(store: f.workspace.url.appendingPathComponent("received"))
        try f.configure(sink.configuration())
        let send = try f.workspace.succeed(["outbox", "send"], hosting: "target")
        #expect(send.stdout.contains("3 sent, 0 failed."), "\(send.transcript)")

        let envelopes = try sink.envelopes()
        let expectedRecipients = Set(establishments.values.map { $0["contact_courriel"] as! String })
        #expect(Set(envelopes.flatMap { $0 }) == expectedRecipients)
        #expect(envelopes.allSatisfy { $0.count == 1 })

        let received = try inspectEmails(try sink.messageFiles())
        #expect(received.count == 3)
        for message in received {
            let to = try #require((message["to"] as? [[String: String]])?.first)
            let (id, structure) = try #require(
                establishments.first { $0.value["contact_courriel"] as? String == to["address"] })
            let name = structure["denomination"] as! String
            #expect(to["name"] == "\(structure["contact_prenom"]!) \(structure["contact_nom"]!)")
            #expect(message["subject"] as? String == "\(name) : nouvelle adresse sur le serveur serveur-b")
            let body = try #require(message["body"] as? String)
            #expect(
                body.contains("\n    \(LettersFixture.targetBaseURL)?id=\(id)\n"),
                "exact access URL on its own line:\n\(body)")
            #expect(body.contains("Bonjour \(structure["contact_prenom"]!) \(structure["contact_nom"]!),"))
            #expect(body.contains(name))
            #expect(body.contains("jusqu'ici hébergé sur le serveur serveur-a"))
            #expect(body.contains("les fichiers déposés (documents, logos, photos)."))
            #expect(body.contains("Hélène Dupré\nWebmestre du serveur serveur-b\nwebmestre@hebergeur-scolaire.fr"))
        }
        let joel = try #require(
            received.first { ($0["to"] as? [[String: String]])?.first?["address"] == "joel.lefevre@ac-besancon.fr" })
        #expect(
            joel["subject"] as? String
                == "Établissement Régional d'Enseignement Adapté : nouvelle adresse sur le serveur serveur-b")
        #expect((joel["body"] as? String ?? "").contains("Bonjour Joël Lefèvre,"))
        #expect((joel["body"] as? String ?? "").contains("(UAI 0250010A), Besançon."))

        let after = try f.outbox()
        #expect(
            after.allSatisfy {
                $0["state"] as? String == "sent" && $0["attempts"] as? Int == 1
                    && ($0["last_reply"] as? String ?? "").hasPrefix("250")
            })
        // Sent letters are never sent again.
        let again = try f.workspace.succeed(["outbox", "send"], hosting: "target")
        #expect(again.stdout.contains("0 sent, 0 failed, 3 already sent before."))
        #expect(try sink.messageFiles().count == 3)
    }

    @Test func everyOutboxFileIsAWellFormedRFC5322MessageOwnerOnly() throws {
        let f = try LettersFixture()
        let files = try f.outboxFiles()
        #expect(files.count == 3)
        for file in files {
            let mode = try #require(
                try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)
            #expect(mode.intValue & 0o777 == 0o600, "\(file) has mode \(String(mode.intValue, radix: 8))")
        }
        let directoryMode = try #require(
            try FileManager.default.attributesOfItem(atPath: f.workspace.path("target/outbox"))[.posixPermissions]
                as? NSNumber)
        #expect(directoryMode.intValue & 0o077 == 0)
        for message in try inspectEmails(files) {
            let path = message["path"] as! String
            #expect((message["defects"] as? [String]) == [], "\(path): \(message["defects"]!)")
            #expect(message["ascii"] as? Bool == true, "\(path): 7-bit only")
            #expect(message["bare_lf"] as? Bool == false && message["bare_cr"] as? Bool == false, "\(path): CRLF only")
            #expect(message["ends_with_crlf"] as? Bool == true)
            #expect(
                (message["longest_line"] as? Int ?? 999) <= 78, "\(path): a line is \(message["longest_line"]!) long")
            let from = try #require((message["from"] as? [[String: String]])?.first)
            #expect(from == ["name": "Hélène Dupré", "address": "webmestre@hebergeur-scolaire.fr"])
            #expect((message["to"] as? [[String: String]])?.count == 1)
            #expect(message["date"] as? String != nil, "\(path): Date parses")
            let messageID = message["message_id"] as? String ?? ""
            #expect(messageID.hasPrefix("<") && messageID.hasSuffix("@hebergeur-scolaire.fr>"), "\(messageID)")
            #expect(message["mime_version"] as? String == "1.0")
            #expect(message["content_type"] as? String == "text/plain")
            #expect(message["charset"] as? String == "utf-8")
            #expect(["quoted-printable", "base64"].contains(message["transfer_encoding"] as? String ?? ""))
            // Non-ASCII subjects travel as RFC 2047 encoded-words.
            let subject = message["subject"] as? String ?? ""
            if subject.unicodeScalars.contains(where: { !$0.isASCII }) {
                #expect((message["raw_subject"] as? String ?? "").contains("Subject: =?UTF-8?"))
            }
        }
        let messageIDs = try inspectEmails(files).map { $0["message_id"] as? String ?? "" }
        #expect(Set(messageIDs).count == 3)
    }

    @Test func aRefusedRecipientIsMarkedFailedAndOnlyItIsRetried() throws {
        let f = try LettersFixture()
        let sink = try SMTPSink(store: f.workspace.url.appendingPathComponent("received"))
        try f.configure(sink.configuration(extra: "  batch_size: 2\n"))
        try sink.refuse(["joel.lefevre@ac-besancon.fr"])

        let first = try f.workspace.transfert(["outbox", "send"], hosting: "target")
        #expect(first.status == 3, "some failed: exit 3\n\(first.transcript)")
        #expect(first.stdout.contains("2 sent, 1 failed."))
        #expect(first.stdout.contains("550 5.1.1 <joel.lefevre@ac-besancon.fr>: Recipient address rejected"))
        #expect(try sink.messageFiles().count == 2)
        #expect(!(try sink.envelopes().flatMap { $0 }.contains("joel.lefevre@ac-besancon.fr")))
        let failed = try f.outbox().filter { $0["state"] as? String == "failed" }
        #expect(failed.count == 1)
        #expect(failed.first?["recipient"] as? String == "joel.lefevre@ac-besancon.fr")
        #expect((failed.first?["last_reply"] as? String)?.hasPrefix("550 5.1.1") == true)

        // Still refused: tried again (only it), still failed, nothing more received. With --json: one object,
        // the delivery with the refusal beside it as an error, and the same exit code 3.
        let second = try f.workspace.transfert(["outbox", "send", "--json"], hosting: "target")
        #expect(second.status == 3, "\(second.transcript)")
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any], "\(second.stdout)")
        #expect(summary["already_sent"] as? Int == 2 && (summary["failed"] as? [Any])?.count == 1, "\(summary)")
        let error = try #require(summary["error"] as? [String: Any], "\(summary)")
        #expect(error["code"] as? String == "outbox.refused" && error["exit_code"] as? Int == 3, "\(error)")
        let refusal = try #require((error["problems"] as? [[String: Any]])?.first, "\(error)")
        #expect((refusal["message"] as? String ?? "").contains("joel.lefevre@ac-besancon.fr: 550 5.1.1"), "\(refusal)")
        #expect(
            (refusal["location"] as? [String: Any])?["value"] as? String == "joel.lefevre@ac-besancon.fr", "\(refusal)")
        #expect(try sink.messageFiles().count == 2)
        #expect(try f.outbox().first { $0["state"] as? String == "failed" }?["attempts"] as? Int == 2)

        // Accepted now: exactly one more message, for that recipient.
        try sink.refuse([])
        let third = try f.workspace.succeed(["outbox", "send"], hosting: "target")
        #expect(third.stdout.contains("1 sent, 0 failed, 2 already sent before."))
        let envelopes = try sink.envelopes()
        #expect(envelopes.count == 3)
        #expect(envelopes.last == ["joel.lefevre@ac-besancon.fr"])
        #expect(try f.outbox().allSatisfy { $0["state"] as? String == "sent" })
    }

    @Test func aRelayThatIsDownGivesAClearErrorAndLosesNothing() throws {
        let f = try LettersFixture()
        // A loopback port nobody listens on any more.
        let gone = try SMTPSink(store: f.workspace.url.appendingPathComponent("gone"))
        let port = gone.port
        gone.stop()
        try f.configure("\nsmtp:\n  host: \"127.0.0.1\"\n  port: \(port)\n  security: none\n  attempts: 2\n")

        let down = try f.workspace.transfert(["outbox", "send"], hosting: "target")
        #expect(down.status == 1, "\(down.transcript)")
        #expect(
            down.stderr.contains("Error: the SMTP relay 127.0.0.1:\(port) (none) cannot be reached"),
            "\(down.transcript)")
        #expect(down.stderr.contains("0 sent before it stopped, 0 failed, 3 kept in the outbox, unsent."))
        #expect(!down.stderr.contains("Fatal error") && !down.stderr.contains("Stack dump"))
        let outbox = try f.outbox()
        #expect(outbox.count == 3)
        #expect(outbox.allSatisfy { $0["state"] as? String == "pending" && $0["sent_at"] == nil })
        #expect(outbox.contains { ($0["last_reply"] as? String ?? "").hasPrefix("not sent: ") })

        // The relay is back (on another port): everything goes, once.
        let sink = try SMTPSink(store: f.workspace.url.appendingPathComponent("received"))
        let configuration = try String(contentsOfFile: f.workspace.path("target/transfert.yaml"), encoding: .utf8)
        try configuration.replacingOccurrences(of: "port: \(port)", with: "port: \(sink.port)")
            .write(toFile: f.workspace.path("target/transfert.yaml"), atomically: true, encoding: .utf8)
        let back = try f.workspace.succeed(["outbox", "send"], hosting: "target")
        #expect(back.stdout.contains("3 sent, 0 failed."))
        #expect(try sink.messageFiles().count == 3)
    }

    @Test func letterFromAResultCSVWithACustomTemplate() throws {
        let f = try LettersFixture(notify: false, exportOptions: ["--no-files"])
        #expect(try f.outbox().isEmpty)
        let template = f.workspace.path("lettre.mustache")
        let printed = try f.workspace.succeed(["letters", "--print-template", "fr"], hosting: "target")
        #expect(printed.stdout.hasPrefix("Subject: {{establishment_name}}"))
        // An operator's copy: a new subject and a line of their own.
        let edited = printed.stdout
            .replacingOccurrences(
                of: "Subject: {{establishment_name}} : nouvelle adresse sur le serveur {{server_name}}",
                with: "Subject: Déménagement de {{establishment_name}} ({{uai}})"
            )
            .replacingOccurrences(
                of: "Bien cordialement,", with: "Zone : {{zone}}. Ancien numéro : {{old_id}}.\n\nBien cordialement,")
        try edited.write(toFile: template, atomically: true, encoding: .utf8)

        let letters = try f.workspace.succeed(
            ["letters", "--result", f.resultCSV, "--template", template], hosting: "target")
        #expect(letters.stdout.contains("3 letters written"))
        let messages = try inspectEmails(try f.outboxFiles())
        #expect(messages.count == 3)
        let joel = try #require(
            messages.first { ($0["to"] as? [[String: String]])?.first?["address"] == "joel.lefevre@ac-besancon.fr" })
        #expect(joel["subject"] as? String == "Déménagement de Établissement Régional d'Enseignement Adapté (0250010A)")
        let body = joel["body"] as? String ?? ""
        #expect(body.contains("Zone : Zone par défaut. Ancien numéro : 3."))
        // Exported with --no-files: the letter says the files did not move.
        #expect(body.contains("Ce qui n'a pas été transféré :"))

        // Writing again replaces the unsent letters: still one per establishment.
        let english = try f.workspace.succeed(
            ["letters", "--result", f.resultCSV, "--template", "en"], hosting: "target")
        #expect(english.stdout.contains("Replaced 3 unsent letters"))
        let again = try inspectEmails(try f.outboxFiles())
        #expect(again.count == 3)
        #expect(
            again.allSatisfy { ($0["subject"] as? String ?? "").hasSuffix(": new address on the server serveur-b") })
        #expect(FileManager.default.fileExists(atPath: f.workspace.path("target/outbox")))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: f.workspace.path("target/outbox")).filter {
                $0.hasSuffix(".eml")
            }.count == 3)
    }

    @Test func templateAndSelectionErrorsNameTheLineAndWriteNothing() throws {
        let f = try LettersFixture(notify: false)
        let template = f.workspace.path("typo.mustache")
        try "Subject: Bonjour {{contact_first_name}}\n\nBonjour,\n\nVotre adresse : {{acces_url}}\n".write(
            toFile: template, atomically: true, encoding: .utf8)
        let typo = try f.workspace.transfert(["letters", "--ids", "1", "--template", template], hosting: "target")
        #expect(typo.status == 1)
        #expect(
            typo.stderr.contains("template \(template), line 5: unknown variable {{acces_url}}"), "\(typo.transcript)")
        #expect(typo.stderr.contains("access_url"))
        #expect(!typo.stderr.contains("Fatal") && !typo.stderr.contains("Stack"))

        try "Bonjour {{contact_first_name}}\n".write(toFile: template, atomically: true, encoding: .utf8)
        let noSubject = try f.workspace.transfert(["letters", "--ids", "1", "--template", template], hosting: "target")
        #expect(noSubject.status == 1)
        #expect(
            noSubject.stderr.contains("line 1: expected a header line such as `Subject: …`"), "\(noSubject.transcript)")

        try "Subject: x\n\n{{#files_moved}}oui\n".write(toFile: template, atomically: true, encoding: .utf8)
        let unclosed = try f.workspace.transfert(["letters", "--ids", "1", "--template", template], hosting: "target")
        #expect(unclosed.status == 1)
        #expect(unclosed.stderr.contains("a section is never closed"), "\(unclosed.transcript)")

        let unknown = try f.workspace.transfert(["letters", "--ids", "1,42,43"], hosting: "target")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no establishment has id 42"))
        #expect(unknown.stderr.contains("no establishment has id 43"))

        let wrongFile = try f.workspace.transfert(
            ["letters", "--result", f.workspace.path("source/transfert.yaml")], hosting: "target")
        #expect(wrongFile.status == 1)
        #expect(try f.outbox().isEmpty, "nothing written by failed commands")
    }

    @Test func newsletterFramesTheTextForEachContactAndSendDeliversIt() throws {
        let f = try LettersFixture(notify: false)
        try f.configure("\nproject_site: \"https://sacoche.sesamath.net/\"\n")
        let sink = try SMTPSink(store: f.workspace.url.appendingPathComponent("received"))
        try f.configure(sink.configuration())
        let text = f.workspace.path("message.txt")
        try "Le serveur sera arrêté le 12 août de 8 h à 10 h.\nMerci de prévenir vos collègues.\n".write(
            toFile: text, atomically: true, encoding: .utf8)
        let ids = try f.establishments().keys.sorted()
        let result = try f.workspace.succeed(
            [
                "newsletter", "--ids", ids.prefix(2).map(String.init).joined(separator: ","),
                "--subject", "Maintenance du serveur – été", "--body-file", text, "--send",
            ], hosting: "target")
        #expect(result.stdout.contains("2 sent, 0 failed."), "\(result.transcript)")
        let received = try inspectEmails(try sink.messageFiles())
        #expect(received.count == 2)
        let establishments = try f.establishments()
        for (message, id) in zip(received, ids.prefix(2)) {
            let structure = try #require(establishments[id])
            #expect(message["subject"] as? String == "Maintenance du serveur – été")
            let body = message["body"] as? String ?? ""
            #expect(
                body.hasPrefix(
                    "Bonjour \(structure["contact_prenom"]!) \(structure["contact_nom"]!),\n\nLe serveur sera arrêté le 12 août de 8 h à 10 h.\nMerci de prévenir vos collègues.\n"
                ))
            #expect(body.contains("\n-- \n"))
            #expect(
                body.contains("Adresse d'accès de votre établissement : \(LettersFixture.targetBaseURL)?id=\(id)\n"))
            #expect(body.contains("Site du projet : https://sacoche.sesamath.net/"))
        }
        #expect(try f.outbox().allSatisfy { $0["kind"] as? String == "newsletter" && $0["state"] as? String == "sent" })
    }

    @Test func authenticatesWithAPasswordFromTheEnvironmentAndNeverPrintsIt() throws {
        let f = try LettersFixture()
        let password = "s3cr3t-Mot-de-passe"
        let sink = try SMTPSink(
            store: f.workspace.url.appendingPathComponent("received"), credentials: "webmestre:\(password)")
        try f.configure(
            sink.configuration(extra: "  username: \"webmestre\"\n  password_env: \"TRANSFERT_TEST_SMTP_PASSWORD\"\n"))

        let missing = try f.workspace.transfert(["outbox", "send"], hosting: "target")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("smtp.password_env"), "\(missing.transcript)")

        let wrong = try run(
            transfertBinary, ["--hosting", f.workspace.path("target"), "outbox", "send"],
            environment: ["TRANSFERT_TEST_SMTP_PASSWORD": "not-the-password"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("refused the login of webmestre"), "\(wrong.transcript)")
        #expect(try f.outbox().allSatisfy { $0["state"] as? String == "pending" })

        let good = try run(
            transfertBinary, ["--hosting", f.workspace.path("target"), "outbox", "send"],
            environment: ["TRANSFERT_TEST_SMTP_PASSWORD": password])
        #expect(good.status == 0, "\(good.transcript)")
        #expect(good.stdout.contains("3 sent, 0 failed."))
        #expect(try sink.messageFiles().count == 3)
        let log = try String(contentsOf: sink.store.appendingPathComponent("auth.log"), encoding: .utf8)
        #expect(log.contains("webmestre ok"))
        for output in [missing, wrong, good] {
            #expect(!output.stdout.contains(password) && !output.stderr.contains(password))
        }
        #expect(!(try f.workspace.succeed(["outbox", "list"], hosting: "target").stdout.contains(password)))
    }

    /// `init` without --webmaster-*: it says which keys to set; letters are written (drafts) with a warning;
    /// `outbox send`, its --dry-run and --json refuse the placeholder sender and any address in a domain
    /// reserved for examples (RFC 2606/6761), naming the key; letters written from a placeholder are refused
    /// even once the key is set, until written again.
    @Test func aPlaceholderSenderWritesDraftsButNeverSends() throws {
        let workspace = try Workspace()
        let created = try workspace.succeed([
            "init", "--name", "serveur-a", "--base-url", "https://a.example.org/sacoche/",
        ])
        #expect(
            created.stdout.contains("warning: letters will be signed Webmestre <webmestre@example.org>"),
            "\(created.transcript)")
        #expect(
            created.stdout.contains(
                "Set webmaster.name and webmaster.email in \(workspace.path("hosting/transfert.yaml"))"),
            "\(created.transcript)")
        #expect(created.stdout.contains("--webmaster-email"), "\(created.transcript)")
        try workspace.succeed(["sample", "--structures", "2", "--students", "2", "--seed", "5"])
        let written = try workspace.succeed(["letters", "--ids", "1,2"])
        #expect(written.stdout.contains("2 letters written"), "\(written.transcript)")
        #expect(
            written.stdout.contains("warning: these letters are from webmestre@example.org"), "\(written.transcript)")
        // doctor names the placeholder and the key to set, as text and as JSON.
        let doctor = try workspace.succeed(["doctor"])
        #expect(
            doctor.stdout.contains(
                "Found: webmaster.email in \(workspace.path("hosting/transfert.yaml")) is webmestre@example.org"),
            "\(doctor.transcript)")
        #expect(!doctor.stdout.contains("Nothing to clean"), "\(doctor.transcript)")
        let doctorJSON = try workspace.jsonObject(["doctor", "--json"])
        #expect(
            (doctorJSON["findings"] as? [String] ?? []).contains {
                $0.contains("webmaster.email") && $0.contains("webmestre@example.org")
            }, "\(doctorJSON)")
        // The same finding as a value: its code, the configuration file, the key and the placeholder.
        let finding = try #require(
            (doctorJSON["problems"] as? [[String: Any]] ?? []).first {
                $0["code"] as? String == "doctor.placeholder_sender"
            },
            "\(doctorJSON)")
        let place = try #require(finding["location"] as? [String: Any], "\(finding)")
        #expect(
            place["file"] as? String == workspace.path("hosting/transfert.yaml")
                && place["field"] as? String == "webmaster.email"
                && place["value"] as? String == "webmestre@example.org", "\(place)")

        let sink = try SMTPSink(store: workspace.url.appendingPathComponent("received"))
        let file = URL(fileURLWithPath: workspace.path("hosting/transfert.yaml"))
        try (try String(contentsOf: file, encoding: .utf8) + sink.configuration()).write(
            to: file, atomically: true, encoding: .utf8)
        for extra in [[], ["--dry-run"]] {
            let refused = try workspace.transfert(["outbox", "send"] + extra)
            #expect(refused.status == 1, "\(refused.transcript)")
            #expect(refused.stderr.contains("letters would go out from webmestre@example.org"), "\(refused.transcript)")
            #expect(refused.stderr.contains("set webmaster.email"), "\(refused.transcript)")
            let json = try workspace.transfert(["outbox", "send", "--json"] + extra)
            #expect(json.status == 1, "\(json.transcript)")
            let error = try #require(
                (try workspace.json(json) as? [String: Any])?["error"] as? [String: Any], "\(json.transcript)")
            #expect(error["code"] as? String == "outbox_send.placeholder_sender", "\(error)")
        }
        var current = "  email: \"webmestre@example.org\""
        for reserved in [
            "webmestre@a.example.org", "w@EXAMPLE.COM", "w@x.example.net", "w@ecole.test", "w@serveur.invalid",
            "w@serveur.example", "w@poste.localhost",
        ] {
            try workspace.replaceConfigurationLine(current, with: "  email: \"\(reserved)\"")
            current = "  email: \"\(reserved)\""
            let refused = try workspace.transfert(["outbox", "send", "--dry-run"])
            #expect(
                refused.status == 1 && refused.stderr.contains("letters would go out from \(reserved)"),
                "\(reserved): \(refused.transcript)")
        }
        #expect(try sink.messageFiles().isEmpty, "nothing was sent")
        #expect(
            try workspace.jsonArray(["outbox", "list", "--json"]).allSatisfy { $0["state"] as? String == "pending" },
            "the drafts stay")

        // A real sender: the letters written before still carry the placeholder in From: refused, named.
        #expect(
            try workspace.succeed(["doctor"]).stdout.contains("webmaster.email in"),
            "a reserved domain is a finding too")
        try workspace.replaceConfigurationLine(current, with: "  email: \"webmestre@hebergeur-scolaire.fr\"")
        #expect(try workspace.succeed(["doctor"]).stdout.contains("Nothing to clean: the hosting is consistent."))
        let stale = try workspace.transfert(["outbox", "send"])
        #expect(
            stale.status == 1
                && stale.stderr.contains("2 letters were written while the sender was webmestre@example.org"),
            "\(stale.transcript)")
        let staleJSON = try workspace.transfert(["outbox", "send", "--dry-run", "--json"])
        #expect(
            ((try workspace.json(staleJSON) as? [String: Any])?["error"] as? [String: Any])?["code"] as? String
                == "outbox_send.placeholder_in_letters")
        #expect(try sink.messageFiles().isEmpty)
        // Written again: sent, from the real address.
        let again = try workspace.succeed(["letters", "--ids", "1,2"])
        #expect(!again.stdout.contains("warning:"), "\(again.transcript)")
        let sent = try workspace.succeed(["outbox", "send"])
        #expect(sent.stdout.contains("2 sent, 0 failed."), "\(sent.transcript)")
        #expect(try sink.messageFiles().count == 2)
    }

    /// What `letters` prints can be pasted: each letter's number is the one `outbox show N` takes, beside its
    /// establishment's id.
    @Test func lettersPrintsTheNumbersOutboxShowTakes() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "3", "--students", "2", "--seed", "5"])
        try workspace.succeed(["letters", "--ids", "3"])
        let written = try workspace.succeed(["letters", "--ids", "1,2"])
        let rows = written.stdout.split(separator: "\n").map {
            $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        }
        let header = try #require(rows.first, "\(written.transcript)")
        #expect(Array(header.prefix(2)) == ["#", "Id"], "\(written.transcript)")
        let numbered = rows.filter { $0.count > 2 && Int($0[0]) != nil && Int($0[1]) != nil }.map {
            (number: $0[0], id: $0[1])
        }
        #expect(numbered.map(\.id) == ["1", "2"], "\(written.transcript)")
        let third = try #require(
            try workspace.jsonArray(["outbox", "list", "--json"]).firstIndex { $0["base_id"] as? Int == 3 })
        #expect(
            Set(numbered.map(\.number)).count == 2 && !numbered.map(\.number).contains(String(third + 1)),
            "establishment 3's letter has its own number: \(written.transcript)")
        #expect(
            written.stdout.contains("Read one: transfert outbox show \(numbered[0].number);"), "\(written.transcript)")
        let list = try workspace.jsonArray(["outbox", "list", "--json"])
        for (number, id) in numbered {
            let shown = try workspace.jsonObject(["outbox", "show", number, "--json"])
            #expect(
                (shown["message"] as? [String: Any])?["base_id"] as? Int == Int(id),
                "outbox show \(number) is establishment \(id)'s letter: \(shown)")
            #expect(list[Int(number)! - 1]["base_id"] as? Int == Int(id))
        }
        // `outbox send --dry-run` lists the same numbers (it connects to nothing).
        let file = URL(fileURLWithPath: workspace.path("hosting/transfert.yaml"))
        try
            (try String(contentsOf: file, encoding: .utf8)
            + "\nsmtp:\n  host: \"127.0.0.1\"\n  port: 9\n  security: none\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let dry = try workspace.succeed(["outbox", "send", "--dry-run"])
        let dryRows = dry.stdout.split(separator: "\n").map {
            $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        }
        #expect(Array(dryRows.first?.prefix(2) ?? []) == ["#", "Id"], "\(dry.transcript)")
        for (number, id) in numbered {
            #expect(
                dryRows.contains { $0.count > 2 && $0[0] == number && $0[1] == id },
                "\(number) \(id): \(dry.transcript)")
        }
        let json = try workspace.jsonArray(["letters", "--ids", "1", "--json"])
        let number = try #require(json.first?["number"] as? Int, "\(json)")
        #expect(
            (try workspace.jsonObject(["outbox", "show", String(number), "--json"])["message"] as? [String: Any])?[
                "base_id"] as? Int == 1)
    }
}
