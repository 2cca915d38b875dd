import Foundation
import TransfertModel

/// The form that changes a window (`transfert maintenance edit N`): its times, type and message, shown as
/// they are, with the shown values kept in hidden `was_…` fields so that only what the operator changed
/// is passed on. The establishments cannot be changed (the command cannot): cancel and plan again.
struct EditWindowForm {
    var window: MaintenanceWindow
    var dates: LocalDateTime
    var timeZoneName: String

    func render(context: ConsoleRequestContext) -> HTML {
        let language = context.language
        let number = window.number ?? 0
        let starts = dates.inputValue(window.start)
        let ends = dates.inputValue(window.end)
        let message = window.message ?? ""
        return """
            <form id="edit-form" method="post" action="/maintenance/\(number)/edit">\(Components.csrf(context))
            <input type="hidden" name="was_starts" value="\(starts)"><input type="hidden" name="was_ends" value="\(ends)">
            <input type="hidden" name="was_type" value="\(window.type.rawValue)"><input type="hidden" name="was_message" value="\(message)">
            <fieldset><legend>\(language.text("Quand (heures de \(timeZoneName))", "When (times in \(timeZoneName))"))</legend>
            <p><label for="starts">\(language.text("Début", "Start"))</label>
            <input type="datetime-local" id="starts" name="starts" value="\(starts)"></p>
            <p class="inline"><input type="checkbox" id="start-now" name="now"> <label for="start-now">\(language.text("Commencer maintenant", "Start now"))</label></p>
            <p><label for="ends">\(language.text("Fin", "End"))</label>
            <input type="datetime-local" id="ends" name="ends" value="\(ends)"></p>
            <p><label for="duration">\(language.text("ou nouvelle durée (45m, 1h30)", "or new duration (45m, 1h30)"))</label>
            <input id="duration" name="duration"></p>
            </fieldset>
            \(WindowTypeSelect.render(id: "window-type", selected: window.type.rawValue, language: language))
            <p><label for="message">\(language.text("Votre message (vide : retiré)", "Your message (empty: removed)"))</label>
            <textarea id="message" name="message" rows="3">\(message)</textarea></p>
            <p><button type="submit" id="save-window">\(language.text("Enregistrer", "Save"))</button></p>
            </form>
            <p class="hint">\(language.text(
                "Les établissements d’une fenêtre ne se changent pas : annulez-la et planifiez-en une autre.",
                "A window's establishments cannot be changed: cancel it and plan another."))</p>
            """
    }
}
