import HTTPTypes
import Hummingbird

/// What a refused or failed request shows: the status, a sentence, and a way back. Never a stack trace.
enum ErrorPage {
    static func response(status: HTTPResponse.Status, language: ConsoleLanguage, detail: String?) -> Response {
        let sentence: String
        switch status.code {
        case 401: sentence = language.text("Connectez-vous pour continuer.", "Sign in to continue.")
        case 403: sentence = language.text("Cette action vous est refusée.", "This action is refused to you.")
        case 404: sentence = language.text("Cette page n’existe pas.", "There is no such page.")
        case 413: sentence = language.text("Le fichier dépasse la taille permise.", "The file is larger than allowed.")
        case 429: sentence = language.text("Trop d’essais : patientez.", "Too many attempts: wait.")
        case 500...:
            sentence = language.text(
                "La console a rencontré une erreur ; le journal du serveur en dit plus.",
                "The console met an error; the server's log says more.")
        default: sentence = language.text("La demande n’a pas pu être traitée.", "The request could not be handled.")
        }
        let document: HTML = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(status.code) — Transfert</title><link rel="stylesheet" href="/assets/console.css"></head>
            <body><main id="main"><h1>\(status.code) \(status.reasonPhrase)</h1><p role="alert">\(sentence)</p>
            \(detail.map { "<p class=\"detail\">\($0)</p>" as HTML } ?? .empty)
            <p><a href="/">\(language.text("Retour à la console", "Back to the console"))</a></p></main></body></html>
            """
        return Layout.html(document, status: status, language: language)
    }
}
