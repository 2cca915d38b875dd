import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// A name and an address, as in `Agnès Lefèvre <agnes.lefevre@ac-besancon.fr>`.
public struct Mailbox: Codable, Equatable, Sendable {
    public var name: String
    public var address: String

    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }

    /// The part after `@`, lower-cased (`a.example.org`).
    public var domain: String {
        address.split(separator: "@").last.map { $0.lowercased() } ?? "localhost"
    }
}

/// A plain-text e-mail, written as an RFC 5322 message that any 7-bit transport carries unchanged.
///
/// - `From`, `To` with display names (RFC 2047 encoded-words when not ASCII);
/// - `Date` (RFC 5322), `Message-ID` `<uuid@domain of the sender>`;
/// - `Subject`, encoded when not ASCII, folded at 78 characters;
/// - `MIME-Version: 1.0`, `Content-Type: text/plain; charset=UTF-8`,
///   `Content-Transfer-Encoding: quoted-printable` (lines of at most 76 characters);
/// - CRLF line ends throughout.
///
/// ```swift
/// let message = MailMessage(from: Mailbox(name: "Hélène Dupré", address: "webmestre@a.example.org"),
///                           to: Mailbox(name: "Agnès Lefèvre", address: "agnes.lefevre@ac-besancon.fr"),
///                           subject: "Votre établissement a déménagé", body: "Bonjour…")
/// try message.rendered().write(to: url)
/// ```
public struct MailMessage: Equatable, Sendable {
    public var from: Mailbox
    public var to: Mailbox
    public var subject: String
    /// The text; any line ends.
    public var body: String
    public var date: Date
    /// Without angle brackets: `1b9d…@a.example.org`.
    public var messageID: String
    /// Language of the text (`fr`, `en`), written as `Content-Language` when known.
    public var language: String?

    public init(
        from: Mailbox, to: Mailbox, subject: String, body: String, date: Date = Date(),
        messageID: String? = nil, language: String? = nil
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID ?? "\(UUID().uuidString.lowercased())@\(from.domain)"
        self.language = language
    }

    /// The header lines, in the order they are written.
    public func headerLines(timeZone: TimeZone = .current) -> [String] {
        var lines = [
            MailHeader.mailbox("From", displayName: from.name, address: from.address),
            MailHeader.mailbox("To", displayName: to.name, address: to.address),
            "Date: " + MailHeader.date(date, timeZone: timeZone),
            "Message-ID: <\(messageID)>",
            MailHeader.unstructured("Subject", subject),
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: quoted-printable",
        ]
        if let language { lines.append("Content-Language: \(language)") }
        lines.append("User-Agent: Transfert/\(TransfertKitVersion.current)")
        return lines
    }

    /// The whole message: header lines, an empty line, the quoted-printable body; CRLF everywhere, ASCII only.
    public func rendered(timeZone: TimeZone = .current) -> Data {
        Data(
            (headerLines(timeZone: timeZone).joined(separator: "\r\n") + "\r\n\r\n" + QuotedPrintable.encode(body)).utf8
        )
    }
}
