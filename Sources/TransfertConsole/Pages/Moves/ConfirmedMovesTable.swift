import Foundation
import TransfertModel

/// The moves this hosting confirmed (`transfert confirm`), newest first: each establishment's old id here,
/// where it lives now and its new address (where the portal's old address redirects), and when.
struct ConfirmedMovesTable {
    var moves: [ConfirmedMove]
    var time: MaintenanceTime
    var timeZoneName: String

    func render(language: ConsoleLanguage) -> HTML {
        guard !moves.isEmpty else {
            return Components.notice(
                language.text("Aucun déménagement confirmé pour l’instant.", "No move confirmed yet."))
        }
        let rows = moves.sorted { $0.confirmedAt > $1.confirmedAt }.map { move -> HTML in
            let when = ISO8601DateFormatter().date(from: move.confirmedAt).map(time.dayAndClock) ?? move.confirmedAt
            return """
                <tr data-id="\(move.baseID)"><td>\(move.baseID)</td><td>\(move.denomination)</td><td>\(move.uai ?? "")</td>\
                <td>\(move.targetServer)</td><td>\(move.newID)</td><td>\(MoveAddress.link(move.accessURL))</td><td>\(when)</td></tr>
                """
        }
        let headers = [
            language.text("Ancien id", "Old id"), language.text("Établissement", "Establishment"), "UAI",
            language.text("Désormais sur", "Now on"), language.text("Nouvel id", "New id"),
            language.text("Nouvelle adresse", "New address"), language.text("Confirmé le", "Confirmed"),
        ].map { header -> HTML in "<th scope=\"col\">\(header)</th>" }
        return """
            <div class="table-wrap"><table id="moves"><caption>\(language.text("Déménagements confirmés, les plus récents d’abord (heures de \(timeZoneName))", "Confirmed moves, newest first (times in \(timeZoneName))"))</caption>
            <thead><tr>\(headers)</tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }
}
