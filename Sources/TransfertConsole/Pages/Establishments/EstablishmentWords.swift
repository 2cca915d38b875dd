import TransfertModel

/// The names the establishments pages give to states and lock kinds, in both languages.
enum EstablishmentWords {
    static func status(_ status: Structure.Status, language: ConsoleLanguage) -> String {
        switch status {
        case .active: return language.text("ouvert", "open")
        case .importing: return language.text("en cours d’import", "being imported")
        case .moved: return language.text("déménagé", "moved")
        }
    }

    static func lockKind(_ kind: AccessLock.Kind, language: ConsoleLanguage) -> String {
        switch kind {
        case .webmaster: return language.text("webmestre", "webmaster")
        case .administrator: return language.text("administrateur", "administrator")
        case .automatic: return language.text("automatique", "automatic")
        }
    }
}
