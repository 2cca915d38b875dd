import TransfertModel

/// A window's state, type and scope in the console's words.
enum WindowText {
    static func state(_ state: MaintenanceWindow.State, language: ConsoleLanguage) -> String {
        switch state {
        case .planned: return language.text("planifiée", "planned")
        case .inProgress: return language.text("en cours", "in progress")
        case .finished: return language.text("terminée", "finished")
        case .cancelled: return language.text("annulée", "cancelled")
        }
    }

    static func type(_ type: MaintenanceType, language: ConsoleLanguage) -> String {
        switch type {
        case .database: return language.text("base de données", "database")
        case .deployment: return language.text("déploiement", "deployment")
        }
    }

    /// The scope, each establishment linked to its preview.
    static func scope(_ scope: MaintenanceScope, language: ConsoleLanguage) -> HTML {
        switch scope {
        case .all: return "\(language.text("tous les établissements", "every establishment"))"
        case .establishments(let ids):
            return HTML(
                joining: ids.map { id -> HTML in "<a href=\"/maintenance/preview?id=\(id)\">\(id)</a>" },
                separator: ", ")
        }
    }
}
