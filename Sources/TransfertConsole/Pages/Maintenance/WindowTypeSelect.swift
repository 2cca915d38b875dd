import TransfertModel

/// The `select` of a window's type (`database` or `deployment`: what users read depends on it).
enum WindowTypeSelect {
    static func render(id: String, selected: String?, language: ConsoleLanguage) -> HTML {
        let options = MaintenanceType.allCases.map { type -> HTML in
            let chosen = type.rawValue == (selected ?? MaintenanceType.database.rawValue)
            return
                "<option value=\"\(type.rawValue)\"\(chosen ? HTML(trusted: " selected") : .empty)>\(WindowText.type(type, language: language))</option>"
        }
        return """
            <p><label for="\(id)">\(language.text("Type (décide du message lu par les utilisateurs)", "Type (decides what users read)"))</label>
            <select id="\(id)" name="type">\(options)</select></p>
            """
    }
}
