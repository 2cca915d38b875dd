import Foundation
import TransfertKit
import TransfertModel

/// The histories a search found, as one table (`table#history`, one row per journal event, oldest first
/// within each establishment) and each establishment's path across servers above it. Times are shown in
/// the hosting's time zone; the journal keeps them in UTC.
struct HistoryTable {
    var histories: [EstablishmentHistory]
    /// This hosting's `server_name`: the journal's events are steps made here.
    var serverName: String
    var time: MaintenanceTime
    var timeZoneName: String

    func render(language: ConsoleLanguage) -> HTML {
        let paths = histories.map { history -> HTML in
            let path = history.path.map { "\($0.server) #\($0.id)" }.joined(separator: " → ")
            return
                "<li data-guid=\"\(history.guid)\"><strong>\(history.denomination)</strong> — GUID <code>\(history.guid)</code> : \(path)</li>"
        }
        let rows = histories.flatMap { history in
            history.events.map { entry -> HTML in
                let when = ISO8601DateFormatter().date(from: entry.at).map(time.dayAndClock) ?? entry.at
                let refused = entry.outcome == .refused ? language.text(" (refusé)", " (refused)") : ""
                return """
                    <tr data-event="\(entry.event.rawValue)"><td>\(when)</td><td>\(history.denomination)</td><td>\(serverName)</td>\
                    <td>\(entry.baseID)</td><td>\(HistoryEventText.event(entry.event, language: language) + refused)</td>\
                    <td>\(HistoryEventText.details(entry, language: language))</td></tr>
                    """
            }
        }
        let headers = [
            language.text("Quand", "When"), language.text("Établissement", "Establishment"),
            language.text("Serveur", "Server"), language.text("Id", "Id"), language.text("Événement", "Event"),
            language.text("Détails", "Details"),
        ].map { header -> HTML in "<th scope=\"col\">\(header)</th>" }
        return """
            <ul id="history-paths">\(paths)</ul>
            <div class="table-wrap"><table id="history"><caption>\(language.text("Historique, le plus ancien d’abord (heures de \(timeZoneName))", "History, oldest first (times in \(timeZoneName))"))</caption>
            <thead><tr>\(headers)</tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }
}
