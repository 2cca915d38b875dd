/// What a backup holds, in the reader's language: `complet`, or what it leaves out (`sans users ; sans
/// fichiers`, `anonymisée`) — the CLI's `complete`/`without …` of `backup list`.
enum BackupContentText {
    static func summary(
        without: [String], only: [String]?, anonymised: Bool, includesFiles: Bool, language: ConsoleLanguage
    ) -> String {
        var parts: [String] = []
        if let only {
            parts.append(
                language.text("seulement \(only.joined(separator: ", "))", "only \(only.joined(separator: ", "))"))
        }
        if !without.isEmpty {
            parts.append(
                language.text("sans \(without.joined(separator: ", "))", "without \(without.joined(separator: ", "))"))
        }
        if !includesFiles { parts.append(language.text("sans fichiers", "no files")) }
        if anonymised { parts.append(language.text("anonymisée", "anonymised")) }
        return parts.isEmpty ? language.text("complète", "complete") : parts.joined(separator: " ; ")
    }
}
