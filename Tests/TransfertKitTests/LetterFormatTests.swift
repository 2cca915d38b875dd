import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

@Suite("Letters: MIME encodings and templates")
struct LetterFormatTests {
    @Test func quotedPrintableKeepsASCIIEscapesTheRestAndWrapsAt76() {
        #expect(QuotedPrintable.encode("Joël Lefèvre") == "Jo=C3=ABl Lef=C3=A8vre\r\n")
        #expect(QuotedPrintable.encode("a=b\n") == "a=3Db\r\n")
        // Trailing white space and a leading dot or "From " are protected.
        #expect(QuotedPrintable.encode("fin \nfin\t") == "fin=20\r\nfin=09\r\n")
        #expect(QuotedPrintable.encode(".\nFrom here") == "=2E\r\n=46rom here\r\n")
        // LF, CRLF and CR all become CRLF.
        #expect(QuotedPrintable.encode("a\r\nb\rc\nd") == "a\r\nb\r\nc\r\nd\r\n")
        let long = String(repeating: "é", count: 100) + " " + String(repeating: "x", count: 200)
        let encoded = QuotedPrintable.encode(long)
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.count <= 76, "\(line.count): \(line)")
            #expect(line.count < 2 || Array(line)[line.count - 2] != "=", "an escape is never split: \(line)")
        }
        #expect(encoded.utf8.allSatisfy { $0 < 0x80 })
        #expect(String(decoding: QuotedPrintable.decode(encoded), as: UTF8.self) == long + "\n")
    }

    @Test func encodedWordsAreShortValidAndRoundTrip() {
        #expect(EncodedWords.encode("Agnès Lefèvre") == ["=?UTF-8?Q?Agn=C3=A8s_Lef=C3=A8vre?="])
        #expect(!EncodedWords.needsEncoding("Plain subject"))
        #expect(EncodedWords.needsEncoding("Établissement"))
        #expect(EncodedWords.needsEncoding("looks =?like?= a word"))
        let subject = "Établissement Régional d'Enseignement Adapté : nouvelle adresse sur le serveur serveur-b ✓"
        let header = MailHeader.unstructured("Subject", subject)
        for line in header.components(separatedBy: "\r\n") {
            #expect(line.count <= 76, "\(line.count): \(line)")
        }
        #expect(header.hasPrefix("Subject: =?UTF-8?Q?"))
        #expect(
            DecodedMessage.decodeWords(
                String(header.dropFirst("Subject: ".count)).replacingOccurrences(of: "\r\n", with: "")) == subject)
    }

    @Test func mailboxesQuoteOrEncodeTheDisplayName() {
        #expect(MailHeader.mailbox("To", displayName: "Jean Dupont", address: "j@x.fr") == "To: Jean Dupont <j@x.fr>")
        #expect(
            MailHeader.mailbox("To", displayName: "Dupont, Jean", address: "j@x.fr") == "To: \"Dupont, Jean\" <j@x.fr>")
        #expect(
            MailHeader.mailbox("From", displayName: "Hélène Dupré", address: "w@x.fr")
                == "From: =?UTF-8?Q?H=C3=A9l=C3=A8ne_Dupr=C3=A9?= <w@x.fr>")
        #expect(MailHeader.mailbox("To", displayName: "", address: "j@x.fr") == "To: j@x.fr")
    }

    @Test func messageHasEveryHeaderCRLFAndASCIIOnly() throws {
        let date = try #require(ISO8601DateFormatter().date(from: "2026-11-23T17:45:07Z"))
        let message = MailMessage(
            from: Mailbox(name: "Hélène Dupré", address: "webmestre@a.example.org"),
            to: Mailbox(name: "Joël Lefèvre", address: "joel@ac-besancon.fr"),
            subject: "Déménagement", body: "Bonjour Joël,\nhttps://b.example.org/?id=12\n", date: date,
            messageID: "1234@a.example.org", language: "fr")
        let text = String(decoding: message.rendered(timeZone: TimeZone(identifier: "Europe/Paris")!), as: UTF8.self)
        #expect(text.contains("Date: Mon, 23 Nov 2026 18:45:07 +0100\r\n"))
        #expect(text.contains("Message-ID: <1234@a.example.org>\r\n"))
        #expect(text.contains("Subject: =?UTF-8?Q?D=C3=A9m=C3=A9nagement?=\r\n"))
        #expect(
            text.contains(
                "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
            ))
        #expect(text.contains("\r\n\r\nBonjour Jo=C3=ABl,\r\nhttps://b.example.org/?id=3D12\r\n"))
        #expect(text.utf8.allSatisfy { $0 < 0x80 })
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let decoded = DecodedMessage(message.rendered())
        #expect(decoded["Subject"] == "Déménagement")
        #expect(decoded["To"] == "Joël Lefèvre <joel@ac-besancon.fr>")
        #expect(decoded.body == "Bonjour Joël,\nhttps://b.example.org/?id=12\n")
    }

    @Test func templatesRenderTextWithoutEscapingAndSectionsOnAbsentValues() throws {
        let template = try LetterTemplate(
            source:
                "Subject: {{establishment_name}} & co\nLanguage: fr\n\nBonjour {{contact_first_name}},\n{{#uai}}UAI {{uai}}\n{{/uai}}{{^uai}}sans UAI\n{{/uai}}{{#files_moved}}fichiers\n{{/files_moved}}\n\n",
            name: "t", allowed: LetterVariables.documentation.map(\.name))
        let with = template.render([
            "establishment_name": "L'Oasis <Sud>", "contact_first_name": "Zoé", "uai": "0250010A", "files_moved": true,
        ])
        #expect(with.subject == "L'Oasis <Sud> & co")
        #expect(with.body == "Bonjour Zoé,\nUAI 0250010A\nfichiers\n")
        #expect(with.language == "fr")
        let without = template.render(["establishment_name": "X", "contact_first_name": "Zoé", "files_moved": false])
        #expect(without.body == "Bonjour Zoé,\nsans UAI\n")
    }

    @Test func builtInTemplatesUseOnlyKnownVariablesAndSayEverything() throws {
        for name in LetterTemplate.builtInNames {
            _ = try LetterTemplate.named(name)
        }
        _ = try LetterTemplate.newsletter(language: "fr")
        _ = try LetterTemplate.newsletter(language: "en")
        let variables = LetterVariables(
            contactFirstName: "Joël", contactLastName: "Lefèvre", contactEmail: "joel@x.fr",
            establishmentName: "Collège Hugo",
            uai: "0250010A", place: "Besançon", zone: "Doubs", serverName: "serveur-b",
            baseURL: "https://b.example.org/",
            newID: 12, accessURL: "https://b.example.org/?id=12", oldServer: "serveur-a", oldID: 3,
            movedOn: "23/11/2026",
            filesMoved: false, webmasterName: "Hélène Dupré", webmasterEmail: "w@b.example.org", projectSite: nil,
            date: "24/11/2026")
        let letter = try LetterTemplate.named("fr").render(variables.values)
        #expect(letter.subject == "Collège Hugo : nouvelle adresse sur le serveur serveur-b")
        for expected in [
            "Bonjour Joël Lefèvre,", "Collège Hugo (UAI 0250010A), Besançon.",
            "hébergé sur le serveur serveur-a, a été transféré le 23/11/2026 sur le serveur serveur-b.",
            "\n    https://b.example.org/?id=12\n", "porte le numéro 12.", "Ce qui n'a pas été transféré :",
            "Hélène Dupré\nWebmestre du serveur serveur-b\nw@b.example.org\n",
        ] {
            #expect(letter.body.contains(expected), "\(expected)\n---\n\(letter.body)")
        }
        #expect(!letter.body.contains("{{") && !letter.body.contains("\n\n\n"))
    }

    @Test func templateErrorsNameTheLine() {
        let allowed = LetterVariables.documentation.map(\.name)
        #expect(throws: LetterTemplateError.self) {
            try LetterTemplate(source: "Bonjour\n", name: "t", allowed: allowed)
        }
        do {
            _ = try LetterTemplate(source: "Subject: x\n\nligne 3\nligne 4 {{nom}}\n", name: "t", allowed: allowed)
            Issue.record("an unknown variable must be refused")
        } catch {
            #expect(error.line == 4)
            #expect(error.message.hasPrefix("unknown variable {{nom}}"))
        }
        do {
            _ = try LetterTemplate(
                source: "Subject: x\n\nligne 3\n{{#uai}}\nligne 5 {{/place}}\n", name: "t", allowed: allowed)
            Issue.record("a mismatched section must be refused")
        } catch {
            #expect(error.line == 5, "\(error)")
        }
        #expect(throws: LetterTemplateError.self) {
            try LetterTemplate(source: "Subject: x\nFrom: y\n\nz\n", name: "t", allowed: allowed)
        }
        #expect(throws: LetterTemplateError.self) {
            try LetterTemplate(source: "Subject: x\n\n{{> partial}}\n", name: "t", allowed: allowed)
        }
        // New delimiters would hide the tags after them from the unknown-variable check.
        do {
            _ = try LetterTemplate(source: "Subject: x\n\n{{=<% %>=}}\n<% secret %>\n", name: "t", allowed: allowed)
            Issue.record("a delimiter change must be refused")
        } catch {
            #expect(error.line == 3 && error.message.contains("changing the delimiters is not supported"), "\(error)")
        }
    }

    @Test func relayConfigurationIsValidatedAndNeverShowsThePassword() throws {
        let relay = SMTPRelay(host: "smtp.example.org", username: "w", password: "hunter2")
        #expect(relay.effectivePort == 587)
        #expect(relay.description == "smtp.example.org:587 (starttls, as w)")
        #expect(SMTPRelay(host: "h", security: .tls).effectivePort == 465)
        #expect(throws: ConfigurationError.self) { try SMTPRelay(host: "h", password: "p").validate(file: "f") }
        #expect(throws: ConfigurationError.self) { try SMTPRelay(host: "h", port: 70000).validate(file: "f") }
        #expect(throws: ConfigurationError.self) {
            try SMTPRelay(host: "h", username: "u", password: "p", passwordEnvironmentVariable: "P").validate(file: "f")
        }
        let fromEnvironment = SMTPRelay(host: "h", username: "u", passwordEnvironmentVariable: "SMTP_PASSWORD")
        #expect(try fromEnvironment.resolvedPassword(environment: ["SMTP_PASSWORD": "s"]) == "s")
        do {
            _ = try fromEnvironment.resolvedPassword(environment: [:])
            Issue.record("a missing variable must be refused")
        } catch {
            #expect(error.description.contains("export SMTP_PASSWORD="))
        }
    }

    /// No letter goes out from the placeholder `init` writes, nor from a domain reserved for examples and tests.
    @Test(arguments: [
        "webmestre@example.org", "WEBMESTRE@Example.Org", "w@example.com", "w@a.example.net", "w@example.org.",
        "w@x.example", "w@ecole.test", "w@serveur.invalid", "w@localhost", "w@poste.localhost", "plain",
    ])
    func placeholderSendersAreNamed(address: String) {
        #expect(PlaceholderSender.reason(address) != nil, "\(address)")
    }

    @Test(arguments: [
        "webmestre@hebergeur-scolaire.fr", "w@example.org.fr", "w@notexample.org", "w@test.fr", "w@examples.com",
        "w@ac-lyon.fr",
    ])
    func realSendersAreAccepted(address: String) {
        #expect(PlaceholderSender.reason(address) == nil, "\(address)")
    }
}
