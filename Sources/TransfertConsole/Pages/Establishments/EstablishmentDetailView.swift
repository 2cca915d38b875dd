import Foundation
import TransfertModel

/// One establishment's page: its facts (`#establishment`), what to do with it (edit, export, history,
/// maintenance, removal), its locks with the lock form and release buttons, its maintenance windows.
/// `outcome` is what the last action said (a notice, or the command's refusal).
struct EstablishmentDetailView {
    let facts: EstablishmentFacts
    let outcome: HTML
    let mayChange: Bool
    let timeZone: TimeZone
    let language: ConsoleLanguage
    /// The session's CSRF field, for the lock forms.
    let csrf: HTML

    var structure: Structure { facts.structure }

    var body: HTML {
        """
        \(outcome)
        \(factList)
        \(actions)
        <h2 id="locks-heading">\(language.text("Verrous", "Locks"))</h2>
        \(lockTable)
        \(mayChange ? lockForm : .empty)
        <h2>\(language.text("Fenêtres de maintenance", "Maintenance windows"))</h2>
        \(windowTable)
        """
    }

    var factList: HTML {
        let zone = facts.zoneName.map { "\(structure.zoneID) — \($0)" } ?? String(structure.zoneID)
        let letters =
            facts.ownLanguage.map { language.text("\($0) (la sienne)", "\($0) (its own)") }
            ?? language.text(
                "\(facts.hostingLanguage) (celle de l’hébergement)", "\(facts.hostingLanguage) (the hosting's)")
        let move: HTML =
            facts.move.map { move in
                "<dt>\(language.text("Déménagé vers", "Moved to"))</dt><dd>\(move.targetServer) #\(move.newID) — \(Self.link(move.accessURL))</dd>"
            } ?? .empty
        return """
            <dl class="facts" id="establishment">
            <dt>Id</dt><dd data-field="base_id">\(structure.baseID)</dd>
            <dt>GUID</dt><dd data-field="guid"><code>\(structure.guid.uuidString.lowercased())</code></dd>
            <dt>\(language.text("Dénomination", "Name"))</dt><dd data-field="denomination">\(structure.denomination)</dd>
            <dt>\(language.text("Localisation", "Place"))</dt><dd data-field="localisation">\(structure.localisation)</dd>
            <dt>UAI</dt><dd data-field="uai">\(structure.uai?.rawValue ?? "—")</dd>
            <dt>\(language.text("Zone", "Zone"))</dt><dd data-field="zone_id">\(zone)</dd>
            <dt>\(language.text("Contact", "Contact"))</dt><dd data-field="contact">\(structure.contactPrenom) \(structure.contactNom) &lt;\(structure.contactCourriel.rawValue)&gt;</dd>
            <dt>\(language.text("Inscription", "Registered"))</dt><dd data-field="inscription_date">\(structure.inscriptionDate.description)</dd>
            <dt>\(language.text("État", "Status"))</dt><dd data-field="status">\(EstablishmentWords.status(structure.status, language: language))</dd>
            <dt>\(language.text("Lettres en", "Letters in"))</dt><dd data-field="language">\(letters)</dd>
            <dt>\(language.text("Adresse d’accès", "Access URL"))</dt><dd data-field="access_url"><code>\(facts.accessURL)</code></dd>
            \(move)</dl>
            """
    }

    var actions: HTML {
        let id = structure.baseID
        let changes: HTML =
            mayChange
            ? """
            <li><a id="edit-establishment" href="/establishments/\(id)/edit">\(language.text("Modifier", "Edit"))</a></li>
            <li><a id="remove-establishment" href="/establishments/\(id)/remove">\(language.text("Supprimer…", "Remove…"))</a></li>
            """ : .empty
        return """
            <ul class="actions" id="establishment-actions">
            \(changes)
            <li><a id="export-establishment" href="/export?ids=\(id)">\(language.text("Exporter", "Export"))</a></li>
            <li><a id="establishment-history" href="/moves?q=\(id)">\(language.text("Historique des déménagements", "Move history"))</a></li>
            <li><a id="establishment-maintenance" href="/maintenance">\(language.text("Maintenance", "Maintenance"))</a></li>
            </ul>
            """
    }

    var lockTable: HTML {
        guard !facts.locks.isEmpty else {
            return Components.notice(
                language.text("Aucun verrou : les utilisateurs y accèdent.", "No lock: users have access."))
        }
        let rows: [[HTML]] = facts.locks.map { lock in
            [
                "\(EstablishmentWords.lockKind(lock.kind, language: language))\(lock.baseID == nil ? language.text(" (tous les établissements)", " (every establishment)") : "")",
                "\(lock.reason)", "\(lock.setBy ?? "")", "\(Self.time(lock.since, timeZone: timeZone))",
                mayChange ? releaseButton(lock) : .empty,
            ]
        }
        return Components.table(
            caption: language.text(
                "Verrous en vigueur, celui que voient les utilisateurs d’abord",
                "Locks in force, the one users see first"),
            headers: [
                language.text("Type", "Kind"), language.text("Motif", "Reason"), language.text("Posé par", "Set by"),
                language.text("Depuis", "Since"), language.text("Action", "Action"),
            ], rows: rows, id: "locks")
    }

    /// A lock on this establishment is released here; the lock on every establishment is not (releasing it
    /// from one establishment's page would open them all).
    func releaseButton(_ lock: AccessLock) -> HTML {
        guard lock.baseID != nil else { return .empty }
        return """
            <form method="post" action="/establishments/\(structure.baseID)/locks/release">\(csrf)
            <input type="hidden" name="kind" value="\(lock.kind.rawValue)">
            <button type="submit" class="release-lock" data-kind="\(lock.kind.rawValue)">\(language.text("Lever", "Release"))</button></form>
            """
    }

    var lockForm: HTML {
        """
        <form method="post" action="/establishments/\(structure.baseID)/locks" id="lock-form">\(csrf)
        <p><label for="lock-reason">\(language.text("Motif que verront les utilisateurs", "Reason users will read"))</label>
        <input id="lock-reason" name="reason" required maxlength="\(AccessLock.maximumReasonLength)"></p>
        <p><label for="lock-kind">\(language.text("Type", "Kind"))</label><select id="lock-kind" name="kind">
        <option value="webmaster">\(language.text("webmestre", "webmaster"))</option>
        <option value="administrator">\(language.text("administrateur (au nom de l’établissement)", "administrator (on the establishment's behalf)"))</option></select></p>
        <p><button type="submit" id="lock">\(language.text("Verrouiller", "Lock"))</button></p></form>
        """
    }

    var windowTable: HTML {
        guard !facts.windows.isEmpty else {
            return Components.notice(language.text("Aucune fenêtre de maintenance.", "No maintenance window."))
        }
        let now = Date()
        let rows: [[HTML]] = facts.windows.map { window in
            [
                "\(window.number.map(String.init) ?? "")", "\(window.type.rawValue)",
                "\(Components.date(window.start, timeZone: timeZone))",
                "\(Components.date(window.end, timeZone: timeZone))",
                "\(window.state(at: now).rawValue)", "\(window.message ?? "")",
            ]
        }
        return Components.table(
            caption: language.text("Fenêtres de maintenance qui le concernent", "Maintenance windows that cover it"),
            headers: [
                "N°", language.text("Type", "Type"), language.text("Début", "Start"), language.text("Fin", "End"),
                language.text("État", "State"), language.text("Message", "Message"),
            ], rows: rows, id: "establishment-windows")
    }

    /// An address from the registry (a move's new address, written from the target's receipt) as a link only
    /// when it is http(s): escaping keeps it from breaking the markup, not a `javascript:` address from
    /// running when clicked.
    static func link(_ address: String) -> HTML {
        let scheme = URLComponents(string: address)?.scheme?.lowercased()
        guard scheme == "https" || scheme == "http" else { return "<code>\(address)</code>" }
        return "<a href=\"\(address)\" rel=\"noreferrer\">\(address)</a>"
    }

    /// A registry time (ISO 8601, UTC) in the hosting's zone.
    static func time(_ iso: String, timeZone: TimeZone) -> String {
        ISO8601DateFormatter().date(from: iso).map { Components.date($0, timeZone: timeZone) } ?? iso
    }
}
