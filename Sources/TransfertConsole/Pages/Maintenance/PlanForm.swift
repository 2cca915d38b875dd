/// The form that plans a window (`#plan-form`): establishments (`#window-ids` or `#window-all`), start and
/// end as `datetime-local` in the hosting's zone (or now, or a duration), type and message. After a
/// refusal it shows what was typed again, so that nothing typed is lost.
struct PlanForm {
    var typed: FormFields
    var timeZoneName: String

    func render(context: ConsoleRequestContext) -> HTML {
        let language = context.language
        let checked = { (name: String) -> HTML in typed.isChecked(name) ? " checked" : .empty }
        return """
            <form id="plan-form" method="post" action="/maintenance/plan">\(Components.csrf(context))
            <fieldset><legend>\(language.text("Établissements", "Establishments"))</legend>
            <p><label for="window-ids">\(language.text("Identifiants, séparés par des virgules", "Ids, comma-separated"))</label>
            <input id="window-ids" name="ids" inputmode="numeric" value="\(typed["ids"] ?? "")" placeholder="3,4"></p>
            <p class="inline"><input type="checkbox" id="window-all" name="all"\(checked("all"))> <label for="window-all">\(language.text("Tous les établissements", "Every establishment"))</label></p>
            </fieldset>
            <fieldset><legend>\(language.text("Quand (heures de \(timeZoneName))", "When (times in \(timeZoneName))"))</legend>
            <p><label for="starts">\(language.text("Début", "Start"))</label>
            <input type="datetime-local" id="starts" name="starts" value="\(typed["starts"] ?? "")"></p>
            <p class="inline"><input type="checkbox" id="start-now" name="now"\(checked("now"))> <label for="start-now">\(language.text("Commencer maintenant (le service est coupé aussitôt)", "Start now (service is cut at once)"))</label></p>
            <p><label for="ends">\(language.text("Fin", "End"))</label>
            <input type="datetime-local" id="ends" name="ends" value="\(typed["ends"] ?? "")"></p>
            <p><label for="duration">\(language.text("ou durée (45m, 1h30, 2d)", "or duration (45m, 1h30, 2d)"))</label>
            <input id="duration" name="duration" value="\(typed["duration"] ?? "")"></p>
            </fieldset>
            \(WindowTypeSelect.render(id: "window-type", selected: typed["type"], language: language))
            <p><label for="message">\(language.text("Votre message, affiché sous le message standard (facultatif)", "Your message, shown under the standard one (optional)"))</label>
            <textarea id="message" name="message" rows="3">\(typed["message"] ?? "")</textarea></p>
            <p><button type="submit" id="plan">\(language.text("Planifier", "Plan"))</button></p>
            </form>
            """
    }
}
