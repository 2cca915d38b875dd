import Foundation
import TransfertKit
import TransfertModel
import TransfertPortal

/// What users of one establishment meet on the portal at one time, as the portal shows it: its answer
/// (HTTP status, `Retry-After`, where a moved establishment redirects) and its page — the portal's own
/// headings and sentences (``PortalWording``), the library's messages (``AccessState``), in the users'
/// language — laid out as the portal's page is, inside the console's page. Every value is escaped.
struct PortalPreview {
    var state: AccessState
    var wording: PortalWording
    /// "Now", "During window 3"…
    var title: String
    var moment: Date
    var time: MaintenanceTime
    var identifier: String

    func render(language: ConsoleLanguage) -> HTML {
        let establishment = state.establishment
        let uai: HTML = establishment.uai.map { "<dt>\(wording.uaiLabel)</dt><dd>\($0)</dd>" as HTML } ?? .empty
        let note: HTML = state.note.map { "<p class=\"note\">\($0)</p>" as HTML } ?? .empty
        var notice: HTML = .empty
        switch state.state {
        case .open:
            break
        case .warning:
            notice = """
                <section class="portal-banner" role="status"><h5>\(wording.heading ?? "")</h5>
                <p class="portal-message">\(state.message ?? "")</p>\(note)</section>
                """
        case .maintenance, .locked:
            notice = """
                <section class="portal-closed"><h5>\(wording.heading ?? "")</h5>
                <p class="portal-message">\(state.message ?? "")</p>\(note)<p>\(wording.retry ?? "")</p></section>
                """
        case .moved:
            let link: HTML = state.movedTo.map { MoveAddress.link($0) } ?? .empty
            notice = """
                <section class="portal-banner"><h5>\(wording.heading ?? "")</h5>
                <p class="portal-message">\(state.message ?? "")</p><p>\(wording.movedLink ?? "") : \(link)</p></section>
                """
        }
        let answer: String
        switch wording.status {
        case 301: answer = "HTTP 301 → \(state.movedTo ?? "?")"
        case 503: answer = "HTTP 503" + (state.retryAfter.map { ", Retry-After: \($0)" } ?? "")
        default: answer = "HTTP 200"
        }
        let disconnect: HTML =
            state.disconnect.map { disconnect -> HTML in
                """
                <p class="portal-disconnect">\(language.text("Les utilisateurs connectés lisent", "Connected users read")) : « \(disconnect.message) » \
                \(language.text("(session fermée après \(disconnect.afterSeconds) s)", "(session closed after \(disconnect.afterSeconds) s)"))</p>
                """
            } ?? .empty
        return """
            <section class="portal-preview" id="\(identifier)" data-state="\(state.state.rawValue)" data-status="\(wording.status)">
            <h3>\(title) — \(time.dayAndClock(moment))</h3>
            <p class="portal-answer"><code>\(answer)</code> — \(language.text("état", "state")) <code>\(state.state.rawValue)</code></p>
            <div class="portal-page" lang="\(wording.language)">
            <h4>\(establishment.name)</h4>
            <dl><dt>\(wording.placeLabel)</dt><dd>\(establishment.place)</dd>\(uai)</dl>
            \(notice)
            \(wording.open.map { "<p>\($0)</p>" as HTML } ?? .empty)
            </div>
            \(disconnect)
            </section>
            """
    }
}
