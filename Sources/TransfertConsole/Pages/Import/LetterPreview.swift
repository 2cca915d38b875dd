import TransfertKit

/// One letter as the letters page previews it: composed by TransfertKit's ``LetterWriter`` exactly as
/// `transfert letters --ids …` will write it (the built-in letter of the establishment's own language, else
/// the hosting's), but not written: a preview changes nothing.
struct LetterPreview: Sendable {
    var establishment: Int64
    var recipientName: String
    var recipientAddress: String
    var subject: String
    var body: String
    var language: String?

    /// The letters of `ids`, in that order.
    static func compose(ids: [Int64], hosting: Hosting) throws -> [LetterPreview] {
        let writer = LetterWriter(hosting: hosting)
        return try writer.letters(for: try writer.structures(ids: ids), templates: try writer.templatesInOwnLanguage())
            .map { letter in
                LetterPreview(
                    establishment: letter.structure.baseID, recipientName: letter.message.to.name,
                    recipientAddress: letter.message.to.address, subject: letter.message.subject,
                    body: letter.message.body, language: letter.message.language)
            }
    }

    func render(language: ConsoleLanguage) -> HTML {
        """
        <article class="letter" data-id="\(establishment)"\(self.language.map { " lang=\"\($0)\"" as HTML } ?? .empty)>
        <dl class="facts"><dt>\(language.text("Établissement", "Establishment"))</dt><dd>\(establishment)</dd>
        <dt>\(language.text("Destinataire", "Recipient"))</dt><dd class="recipient">\(recipientName) &lt;\(recipientAddress)&gt;</dd>
        <dt>\(language.text("Objet", "Subject"))</dt><dd class="subject">\(subject)</dd></dl>
        <pre class="body">\(body)</pre>
        </article>
        """
    }
}
