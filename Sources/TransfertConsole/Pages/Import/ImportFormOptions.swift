/// The options of `transfert import` an operator chooses on the import page, read from its form and given
/// back to the command as `--name=value` (a value is never taken for an option of its own, whatever it
/// starts with). The command validates them, as on a terminal: both `without` and `only` is its refusal.
struct ImportFormOptions: Sendable, Equatable {
    /// `--as-copy`: new GUIDs, a copy rather than a move (the source keeps its establishments).
    var asCopy = false
    /// `--without=users,logs`: content categories left out.
    var without: String?
    /// `--only=settings,groups`: the only content categories taken.
    var only: String?
    /// `--note=…`: the operator's words, kept in the journal with the import.
    var note: String?
    /// `--accept-foreign-key-violations`: rows pointing at a missing parent imported as they are.
    var acceptForeignKeyViolations = false
    /// `--check-mail-domains`: the contacts' mail domains asked of DNS.
    var checkMailDomains = false

    init() {}

    init(form: FormFields) {
        asCopy = form.isChecked("as_copy")
        without = form.text("without")
        only = form.text("only")
        note = form.text("note")
        acceptForeignKeyViolations = form.isChecked("accept_foreign_key_violations")
        checkMailDomains = form.isChecked("check_mail_domains")
    }

    /// The command's options, after `import CSV ZIP`.
    var arguments: [String] {
        var arguments: [String] = []
        if asCopy { arguments.append("--as-copy") }
        if let without { arguments.append("--without=\(without)") }
        if let only { arguments.append("--only=\(only)") }
        if acceptForeignKeyViolations { arguments.append("--accept-foreign-key-violations") }
        if checkMailDomains { arguments.append("--check-mail-domains") }
        return arguments
    }

    /// The options of the import itself: the dry run's, and the note for the journal.
    var importArguments: [String] { arguments + (note.map { ["--note=\($0)"] } ?? []) }

    /// The fields of the form, filled with these values.
    func fields(language: ConsoleLanguage) -> HTML {
        let check = { (on: Bool) -> HTML in on ? " checked" : .empty }
        return """
            <fieldset><legend>\(language.text("Options", "Options"))</legend>
            <p><input type="checkbox" id="as-copy" name="as_copy"\(check(asCopy))> <label for="as-copy">\(language.text("Copie : nouveaux GUID (l’établissement reste aussi sur la source)", "Copy: new GUIDs (the establishment stays on the source too)"))</label></p>
            <p><label for="without">\(language.text("Sans les catégories (ex. users,logs)", "Without the categories (e.g. users,logs)"))</label> <input id="without" name="without" value="\(without)"></p>
            <p><label for="only">\(language.text("Seulement les catégories (ex. settings,groups)", "Only the categories (e.g. settings,groups)"))</label> <input id="only" name="only" value="\(only)"></p>
            <p><input type="checkbox" id="accept-foreign-key-violations" name="accept_foreign_key_violations"\(check(acceptForeignKeyViolations))> <label for="accept-foreign-key-violations">\(language.text("Accepter les lignes dont le parent manque (listées dans le résultat)", "Accept rows whose parent is missing (listed in the result)"))</label></p>
            <p><input type="checkbox" id="check-mail-domains" name="check_mail_domains"\(check(checkMailDomains))> <label for="check-mail-domains">\(language.text("Vérifier dans le DNS les domaines des courriels", "Check the e-mail domains in DNS"))</label></p>
            <p><label for="note">\(language.text("Note pour le journal", "Note for the journal"))</label> <input id="note" name="note" value="\(note)"></p>
            </fieldset>
            """
    }
}
