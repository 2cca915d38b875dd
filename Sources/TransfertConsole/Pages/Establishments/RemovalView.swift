import Foundation

/// The removal page: why the console, like `structure remove`, removes only what is proved restorable
/// elsewhere (a confirmed move, or a bundle of this server's exports that verifies deep against it); the
/// proof to use; the id to type (`#confirmation`); and the last attempt's result (`#removal-result`).
struct RemovalView {
    let facts: EstablishmentFacts
    let bundles: [RemovalBundles.Bundle]
    let result: HTML
    let timeZone: TimeZone
    let language: ConsoleLanguage
    let csrf: HTML

    var body: HTML {
        let id = facts.structure.baseID
        let moved: HTML =
            facts.move.map { move in
                "<p class=\"success\" id=\"removal-proof\" data-proof=\"move\">\(language.text("Son déménagement est confirmé (vers \(move.targetServer), nouvel id \(move.newID)) : il suffit de confirmer.", "Its move is confirmed (to \(move.targetServer), new id \(move.newID)): confirming is enough."))</p>"
            }
            ?? "<p id=\"removal-proof\" data-proof=\"none\">\(language.text("Aucun déménagement confirmé : choisissez un lot exporté par la console, qui sera vérifié avant la suppression ; sinon la commande refusera.", "No confirmed move: choose a bundle the console exported, which is verified before removal; otherwise the command refuses."))</p>"
        let options = HTML(
            joining: bundles.map { bundle in
                let ended = bundle.endedAt.map { " — " + Components.date($0, timeZone: timeZone) } ?? ""
                return "<option value=\"\(bundle.key)\">\(bundle.name)\(ended)</option>"
            })
        return """
            \(result)
            <p>\(language.text(
                "Supprimer efface la base de « \(facts.structure.denomination) », ses fichiers et son inscription. Comme la commande « transfert structure remove », la console ne le fait que si quelque chose prouve qu’il peut être restauré ailleurs : son déménagement confirmé par le reçu du serveur cible (page Déménagements), ou un lot exporté qui se vérifie en profondeur contre ce serveur. Sinon la commande refuse, et ses mots s’affichent ici.",
                "Removing deletes the database of “\(facts.structure.denomination)”, its files and its registration. Like the command “transfert structure remove”, the console does it only when something proves it can be restored elsewhere: its move confirmed by the target server's receipt (Moves page), or an exported bundle that verifies deep against this server. Otherwise the command refuses, and its words are shown here."))</p>
            \(moved)
            <form method="post" action="/establishments/\(id)/remove" id="removal-form">\(csrf)
            <p><label for="removal-bundle">\(language.text("Lot vérifié avant la suppression", "Bundle verified before removal"))</label>
            <select id="removal-bundle" name="bundle"><option value="">\(language.text("aucun (déménagement confirmé)", "none (confirmed move)"))</option>\(options)</select></p>
            <p><label for="confirmation">\(language.text("Pour confirmer, tapez l’id de l’établissement (\(id))", "To confirm, type the establishment's id (\(id))"))</label>
            <input id="confirmation" name="confirmation" inputmode="numeric" autocomplete="off" required></p>
            <p><button type="submit" id="remove" class="danger">\(language.text("Supprimer définitivement", "Remove for good"))</button>
            <a href="/establishments/\(id)">\(language.text("Annuler", "Cancel"))</a></p></form>
            """
    }
}
