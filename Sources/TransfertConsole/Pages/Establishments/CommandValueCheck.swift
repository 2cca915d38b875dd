/// What a form may hand to a command as an argument, checked before the command runs: an argument cannot
/// hold a NUL character (the operating system would cut the value there, silently) nor be longer than
/// the system passes (128 KiB per argument on Linux: the command would not even start). Such a value is
/// refused by its field here; every other rule is the command's own.
enum CommandValueCheck {
    /// Well under the operating system's limit per argument, and far above any value a rule accepts.
    static let maximumBytes = 64 * 1024

    /// The refusal for the first field that cannot be handed over, or `nil` when all can.
    static func refusal(_ fields: [(name: String, value: String)], language: ConsoleLanguage) -> Refusal? {
        for (name, value) in fields {
            let problem: String
            if value.unicodeScalars.contains("\u{0}") {
                problem = language.text(
                    "contient un caractère nul (U+0000) : écrivez du texte simple",
                    "contains a NUL character (U+0000): write plain text")
            } else if value.utf8.count > maximumBytes {
                problem = language.text(
                    "fait \(value.utf8.count) octets : la console en transmet au plus \(maximumBytes) par champ",
                    "is \(value.utf8.count) bytes long: the console hands at most \(maximumBytes) per field to the command"
                )
            } else {
                continue
            }
            let html: HTML = """
                <div class="failure" role="alert"><p><strong>\(language.text("Refusé", "Refused"))</strong> : <span class="place">\(language.text("champ \(name)", "field \(name)")) : </span>\(problem). \(language.text("Rien n’a été modifié.", "Nothing was changed."))</p></div>
                """
            return Refusal(html: html, fields: [name])
        }
        return nil
    }
}
