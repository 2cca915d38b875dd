import Foundation
import TransfertModel

/// The lock on the whole hosting (`transfert lock add --all`): every establishment closed, whatever else
/// applies, with the reason users read; and its release (`transfert lock release --all --kind webmaster`,
/// which — the command has no narrower form — also releases the webmaster's locks set on single
/// establishments: the button says so).
struct HostingLockSection {
    /// The webmaster's lock on every establishment, when one is in force.
    var lock: AccessLock?
    var time: MaintenanceTime

    func render(context: ConsoleRequestContext) -> HTML {
        let language = context.language
        let mayChange = context.session?.role.mayChange == true
        let state: HTML
        if let lock {
            let since = ISO8601DateFormatter().date(from: lock.since).map(time.dayAndClock) ?? lock.since
            state = """
                <p class="failure" id="hosting-lock" data-locked="true">\(language.text("Tout l’hébergement est fermé", "The whole hosting is closed")) \
                (\(lock.setBy ?? "?"), \(since)) : « \(lock.reason) »</p>
                """
        } else {
            state =
                "<p id=\"hosting-lock\" data-locked=\"false\">\(language.text("Aucun verrou sur tout l’hébergement.", "No lock on the whole hosting."))</p>"
        }
        guard mayChange else { return state }
        let release: HTML =
            lock == nil
            ? .empty
            : """
            <form id="hosting-lock-release-form" method="post" action="/maintenance/hosting-lock/release">\(Components.csrf(context))
            <p><button type="submit" id="release-hosting-lock" class="danger">\(language.text("Rouvrir l’hébergement", "Reopen the hosting"))</button></p>
            <p class="hint">\(language.text(
                "Lève aussi les verrous du webmestre posés sur chaque établissement (transfert lock release --all --kind webmaster) ; les verrous des administrateurs et des travaux en cours restent.",
                "Also releases the webmaster's locks set on single establishments (transfert lock release --all --kind webmaster); administrators' locks and those of work in progress stay."))</p>
            </form>
            """
        return """
            \(state)
            <form id="hosting-lock-form" method="post" action="/maintenance/hosting-lock">\(Components.csrf(context))
            <p><label for="hosting-lock-reason">\(language.text("Raison lue par les utilisateurs", "Reason users read"))</label>
            <input id="hosting-lock-reason" name="reason" maxlength="\(AccessLock.maximumReasonLength)" required></p>
            <p><button type="submit" id="lock-hosting" class="danger">\(language.text("Fermer tout l’hébergement", "Close the whole hosting"))</button></p>
            </form>
            \(release)
            """
    }
}
