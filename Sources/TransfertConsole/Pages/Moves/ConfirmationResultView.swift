import Foundation
import TransfertKit
import TransfertModel

/// What `transfert confirm --json` answered, in `#confirmation-result`: the establishments now marked as
/// moved, where to and their new addresses; those the same receipt had already confirmed (nothing changed);
/// and what to do next (remove them here, no bundle needed).
struct ConfirmationResultView {
    var result: MoveConfirmation.Result

    func render(language: ConsoleLanguage) -> HTML {
        let all = result.confirmed.map { ($0, true) } + result.alreadyConfirmed.map { ($0, false) }
        let rows = all.map { move, new -> HTML in
            """
            <tr data-id="\(move.baseID)" data-outcome="\(new ? "confirmed" : "already-confirmed")"><td>\(move.baseID)</td>\
            <td>\(move.denomination)</td><td>\(move.targetServer)</td><td>\(move.newID)</td><td>\(MoveAddress.link(move.accessURL))</td>\
            <td>\(new ? language.text("confirmé maintenant", "confirmed now") : language.text("déjà confirmé par ce reçu", "already confirmed by this receipt"))</td></tr>
            """
        }
        let headers = [
            language.text("Ancien id", "Old id"), language.text("Établissement", "Establishment"),
            language.text("Désormais sur", "Now on"), language.text("Nouvel id", "New id"),
            language.text("Nouvelle adresse", "New address"), language.text("Résultat", "Outcome"),
        ].map { header -> HTML in "<th scope=\"col\">\(header)</th>" }
        // The command names the uploaded copy by its path on the server: the operator knows it by its name.
        let name = (result.receipt as NSString).lastPathComponent
        let ids = result.confirmed.map { String($0.baseID) }.joined(separator: ",")
        let summary: HTML =
            result.confirmed.isEmpty
            ? "<p>\(language.text("Ce reçu avait déjà été confirmé : rien n’a changé.", "This receipt was already confirmed: nothing changed."))</p>"
            : """
            <p>\(language.text(
                "\(result.confirmed.count) déménagement(s) confirmé(s) vers \(result.target) : leurs anciennes adresses redirigent désormais (HTTP 301).",
                "Confirmed \(result.confirmed.count) move(s) to \(result.target): their old addresses now redirect (HTTP 301)."))</p>
            <p>\(language.text(
                "Vous pouvez les supprimer de ce serveur sans autre paquet (transfert structure remove --ids \(ids)) depuis leur page d’établissement.",
                "You may remove them from this server with no other bundle (transfert structure remove --ids \(ids)) from their establishment page."))</p>
            """
        return """
            <section id="confirmation-result" class="success" role="status" data-confirmed="\(result.confirmed.count)">
            <h2>\(language.text("Reçu accepté", "Receipt accepted"))</h2>
            \(summary)
            <div class="table-wrap"><table id="confirmed-now"><caption>\(language.text("Établissements du reçu \(name)", "Establishments of receipt \(name)"))</caption>
            <thead><tr>\(headers)</tr></thead><tbody>\(rows)</tbody></table></div>
            </section>
            """
    }
}
