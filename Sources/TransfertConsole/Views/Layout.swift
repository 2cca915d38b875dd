import HTTPTypes
import Hummingbird

/// The frame of every signed-in page: skip link, navigation, who is signed in, language and sign-out
/// forms, the page's own content in `<main>`. Pages give a title and their body; the layout does the rest.
enum Layout {
    /// The navigation, in the order of a move: see, choose, export, import, verify, confirm; then the
    /// school's life around it.
    static let sections: [(path: String, french: String, english: String)] = [
        ("/", "Hébergement", "Hosting"),
        ("/establishments", "Établissements", "Establishments"),
        ("/export", "Exporter", "Export"),
        ("/import", "Importer", "Import"),
        ("/verify", "Vérifier", "Verify"),
        ("/moves", "Déménagements", "Moves"),
        ("/maintenance", "Maintenance", "Maintenance"),
        ("/backups", "Sauvegardes", "Backups"),
        ("/feeds", "Flux SIS", "SIS feeds"),
        ("/jobs", "Travaux", "Jobs"),
        ("/operations", "Journal", "Operations log"),
    ]

    static func page(
        _ title: String, context: ConsoleRequestContext, status: HTTPResponse.Status = .ok, current: String? = nil,
        body: HTML
    ) -> Response {
        let language = context.language
        let session = context.session
        let navigation = HTML(
            joining: sections.map { section in
                let here = section.path == current
                return
                    "<li><a href=\"\(section.path)\"\(here ? HTML(trusted: " aria-current=\"page\"") : .empty)>\(language.text(section.french, section.english))</a></li>"
            })
        let account: HTML
        if let session {
            let role =
                session.role == .webmaster
                ? language.text("webmestre", "webmaster")
                : language.text("auditeur (lecture seule)", "auditor (read-only)")
            let other = language == .fr ? ConsoleLanguage.en : .fr
            account = """
                <div class="account"><span>\(session.userName) — \(role)</span>
                <form method="post" action="/language">\(Components.csrf(context))<input type="hidden" name="language" value="\(other.rawValue)"><button type="submit" lang="\(other.rawValue)">\(other == .en ? "English" : "Français")</button></form>
                <form method="post" action="/sign-out">\(Components.csrf(context))<button type="submit">\(language.text("Se déconnecter", "Sign out"))</button></form></div>
                """
        } else {
            account = .empty
        }
        let document: HTML = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) — Transfert</title><link rel="stylesheet" href="/assets/console.css">
            <script src="/assets/console.js" defer></script></head>
            <body>
            <a class="skip" href="#main">\(language.text("Aller au contenu", "Skip to content"))</a>
            <header><p class="brand">Transfert — \(language.text("console du webmestre", "webmaster's console"))</p>\(account)
            \(session == nil ? HTML.empty : "<nav aria-label=\"\(language.text("Sections", "Sections"))\"><ul>\(navigation)</ul></nav>")</header>
            <main id="main"><h1>\(title)</h1>
            \(body)
            </main>
            </body></html>
            """
        return html(document, status: status, language: language)
    }

    static func html(_ document: HTML, status: HTTPResponse.Status = .ok, language: ConsoleLanguage) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentLanguage] = language.rawValue
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document.text)))
    }
}
