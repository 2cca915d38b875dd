import Foundation
import TransfertModel

/// The maintenance windows in `table#windows`, one `tr[data-window="N"]` each, times in the hosting's
/// zone; for a webmaster, each open window's edit link and cancel button (`.cancel-window`).
struct WindowsTable {
    var windows: [MaintenanceWindow]
    var now: Date
    var time: MaintenanceTime
    var timeZoneName: String
    var includesEnded: Bool

    func render(context: ConsoleRequestContext) -> HTML {
        let language = context.language
        let mayChange = context.session?.role.mayChange == true
        guard !windows.isEmpty else {
            return Components.notice(
                includesEnded
                    ? language.text("Aucune fenêtre de maintenance.", "No maintenance window.")
                    : language.text("Aucune fenêtre planifiée ou en cours.", "No window planned or in progress."))
        }
        let rows = windows.map { window -> HTML in
            let number = window.number ?? 0
            let state = window.state(at: now)
            let actions: HTML
            if mayChange && window.isOpen(at: now) {
                actions = """
                    <a class="edit-window" href="/maintenance/\(number)/edit">\(language.text("Modifier", "Edit"))<span class="visually-hidden"> \(number)</span></a>
                    <form method="post" action="/maintenance/\(number)/cancel" class="inline">\(Components.csrf(context))\
                    <button type="submit" class="cancel-window danger" data-window="\(number)" aria-label="\(language.text("Annuler la fenêtre \(number)", "Cancel window \(number)"))">\(language.text("Annuler", "Cancel"))</button></form>
                    """
            } else {
                actions = .empty
            }
            return """
                <tr data-window="\(number)" data-state="\(state.rawValue)"><td>\(number)</td><td>\(WindowText.state(state, language: language))</td>\
                <td>\(WindowText.type(window.type, language: language))</td><td>\(WindowText.scope(window.scope, language: language))</td>\
                <td class="start">\(time.dayAndClock(window.start))</td><td class="end">\(time.dayAndClock(window.end))</td>\
                <td>\(MaintenanceTime.describe(window.duration))</td><td class="message">\(window.message ?? "")</td>\
                <td>\(window.plannedBy)</td><td>\(actions)</td></tr>
                """
        }
        let headers = [
            "N°", language.text("État", "State"), language.text("Type", "Type"),
            language.text("Établissements", "Establishments"), language.text("Début", "Start"),
            language.text("Fin", "End"), language.text("Durée", "Duration"), language.text("Message", "Message"),
            language.text("Planifiée par", "Planned by"), language.text("Actions", "Actions"),
        ].map { header -> HTML in "<th scope=\"col\">\(header)</th>" }
        return """
            <div class="table-wrap"><table id="windows"><caption>\(language.text("Fenêtres de maintenance (heures de \(timeZoneName))", "Maintenance windows (times in \(timeZoneName))"))</caption>
            <thead><tr>\(headers)</tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }
}
