import Foundation
import TransfertKit

/// The portal's own words and answer for one establishment's state, for another face of the hosting that
/// shows what users meet (the console's maintenance preview). Taken from ``PortalText`` and decided as
/// ``Portal`` and ``PortalPage`` decide them, so that a preview cannot say something the portal does not.
///
/// ```swift
/// let wording = PortalWording(state: state, language: "fr")
/// wording.status     // 503
/// wording.heading    // "Maintenance en cours"
/// ```
package struct PortalWording: Sendable {
    /// The HTTP status the portal answers `/?id=N` with: 301 (moved), 503 (closed) or 200.
    package let status: Int
    /// The heading of the notice the page shows, when it shows one (warning, closed, moved).
    package let heading: String?
    /// The sentence of an open establishment's page ("Access to the establishment is open…").
    package let open: String?
    /// The last line of a closed page ("Please try again later.").
    package let retry: String?
    /// The label of the link to a moved establishment's new address.
    package let movedLink: String?
    /// The labels of the establishment's facts.
    package let placeLabel: String
    package let uaiLabel: String
    /// The page's language (`fr` or `en`: the hosting's `language`).
    package let language: String

    package init(state: AccessState, language code: String) {
        let text = PortalText.language(code)
        language = text.language
        placeLabel = text.place
        uaiLabel = text.uai
        switch state.state {
        case .open:
            status = 200
            heading = nil
            open = text.open
            retry = nil
            movedLink = nil
        case .warning:
            status = 200
            heading = text.warningTitle
            open = text.open
            retry = nil
            movedLink = nil
        case .moved:
            status = 301
            heading = text.movedTitle
            open = nil
            retry = nil
            movedLink = text.movedLink
        case .maintenance, .locked:
            status = 503
            heading = state.state == .maintenance ? text.maintenanceTitle : text.lockedTitle
            open = nil
            retry = text.retryLater
            movedLink = nil
        }
    }
}
