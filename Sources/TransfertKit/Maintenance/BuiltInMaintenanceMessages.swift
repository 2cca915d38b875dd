import Foundation
import Mustache
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The built-in sentences, by language, window type and phase. The French ones are the sentences users of
/// SACoche and of accounting suites know.
enum BuiltInMaintenanceMessages {
    /// ``templates``, parsed as text (values inserted as they are; the portal escapes them once).
    static let parsed: [String: [MaintenanceType: [MaintenanceMessages.Phase: MustacheTemplate]]] = templates.mapValues
    { types in
        types.mapValues { phases in
            phases.compactMapValues { try? MustacheTemplate(string: "{{%CONTENT_TYPE:TEXT}}\n" + $0) }
        }
    }

    static let templates: [String: [MaintenanceType: [MaintenanceMessages.Phase: String]]] = [
        "fr": [
            .database: [
                .warning:
                    "Une phase de maintenance de la base de données aura lieu entre le {{start_date}} à {{start_time}} et le {{end_date}} à {{end_time}}. {{application}} sera donc indisponible durant cette période.",
                .during:
                    "Une phase de maintenance de la base de données est actuellement en cours. Le service sera à nouveau disponible le {{end_date}} à {{end_time}}.",
                .disconnect:
                    "Une phase de maintenance de la base de données commence : vous allez être déconnecté dans {{disconnect_after}} secondes. Enregistrez votre travail. Le service sera à nouveau disponible le {{end_date}} à {{end_time}}.",
            ],
            .deployment: [
                .warning:
                    "Une nouvelle version sera installée entre le {{start_date}} à {{start_time}} et le {{end_date}} à {{end_time}}. {{application}} sera donc indisponible durant cette période.",
                .during:
                    "Une nouvelle version est en cours d'installation. Le service sera à nouveau disponible le {{end_date}} à {{end_time}}.",
                .disconnect:
                    "L'installation d'une nouvelle version commence : vous allez être déconnecté dans {{disconnect_after}} secondes. Enregistrez votre travail. Le service sera à nouveau disponible le {{end_date}} à {{end_time}}.",
            ],
        ],
        "en": [
            .database: [
                .warning:
                    "Database maintenance will take place between {{start_date}} at {{start_time}} and {{end_date}} at {{end_time}}. {{application}} will be unavailable during that time.",
                .during:
                    "Database maintenance is in progress. The service will be available again on {{end_date}} at {{end_time}}.",
                .disconnect:
                    "Database maintenance is starting: you will be logged out in {{disconnect_after}} seconds. Save your work. The service will be available again on {{end_date}} at {{end_time}}.",
            ],
            .deployment: [
                .warning:
                    "A new version will be installed between {{start_date}} at {{start_time}} and {{end_date}} at {{end_time}}. {{application}} will be unavailable during that time.",
                .during:
                    "A new version is being installed. The service will be available again on {{end_date}} at {{end_time}}.",
                .disconnect:
                    "The installation of a new version is starting: you will be logged out in {{disconnect_after}} seconds. Save your work. The service will be available again on {{end_date}} at {{end_time}}.",
            ],
        ],
    ]
}
