import Foundation
import Mustache
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The sentences users read about a maintenance window — before it (a warning), during it (an error),
/// and when it starts while they are connected (they will be disconnected) — for each window type, in
/// French (the default) or English. They are Mustache templates, the engine of letters, rendered as text:
/// the portal escapes them when it puts them in a page.
///
/// ```swift
/// let messages = MaintenanceMessages(language: "fr")
/// messages.text(.warning, for: window, application: "SACoche", time: time, disconnectAfter: 15)
/// // "Une phase de maintenance de la base de données aura lieu entre le 01/12/2026 à 13:00 et le …"
/// ```
public struct MaintenanceMessages: Sendable {
    public let language: String

    public enum Phase: String, Sendable, CaseIterable {
        /// Shown before the window: the entry page's banner, the warning letter.
        case warning
        /// Shown during it: the maintenance page (HTTP 503).
        case during
        /// Told to users still connected when it starts.
        case disconnect
    }

    public init(language: String) {
        self.language = BuiltInMaintenanceMessages.templates[language] == nil ? "fr" : language
    }

    /// The variables the sentences use, for a window: also those of the warning letter (`maintenance_…`).
    public static func variables(
        for window: MaintenanceWindow, application: String, time: MaintenanceTime,
        disconnectAfter: Int
    ) -> [String: Any] {
        var values: [String: Any] = [
            "application": application,
            "start_date": time.day(window.start), "start_time": time.clock(window.start),
            "end_date": time.day(window.end), "end_time": time.clock(window.end),
            "same_day": time.day(window.start) == time.day(window.end),
            "disconnect_after": String(disconnectAfter),
        ]
        if let message = window.message, !message.isEmpty { values["message"] = message }
        return values
    }

    /// The sentence for `phase` of `window`, on one paragraph.
    public func text(
        _ phase: Phase, for window: MaintenanceWindow, application: String, time: MaintenanceTime,
        disconnectAfter: Int
    ) -> String {
        // Parsed once (the portal renders them at every request); the tests render every one.
        guard let template = BuiltInMaintenanceMessages.parsed[language]?[window.type]?[phase] else { return "" }
        let values = Self.variables(for: window, application: application, time: time, disconnectAfter: disconnectAfter)
        return template.render(values).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What users of an establishment that moved away read, where they are sent.
    public func movedText(server: String, url: String) -> String {
        language == "en"
            ? "This establishment has moved to the server \(server). Its new address is \(url)"
            : "Cet établissement a été transféré sur le serveur \(server). Sa nouvelle adresse est \(url)"
    }

    /// What users still connected are told when a lock is set.
    public func lockedDisconnectText(reason: String, application: String, after seconds: Int) -> String {
        language == "en"
            ? "Access to \(application) is being closed (\(reason)): you will be logged out in \(seconds) seconds. Save your work."
            : "L'accès à \(application) est en cours de fermeture (\(reason)) : vous allez être déconnecté dans \(seconds) secondes. Enregistrez votre travail."
    }

    /// What users see when a lock keeps them out: the lock's reason after a sentence of the language.
    public func lockedText(reason: String, application: String) -> String {
        language == "en"
            ? "Access to \(application) is closed for the time being: \(reason)"
            : "L'accès à \(application) est momentanément fermé : \(reason)"
    }
}
