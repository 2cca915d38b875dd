import Foundation

/// The manual backup form (`/backups/create`) read into `transfert backup create`'s arguments, or the
/// sentence that says what to correct. Values are passed as `--option=value`, so that a value starting
/// with `-` is a value, never another option.
struct BackupCreateRequest: Sendable {
    var ids: [Int64]
    var arguments: [String]

    /// The command, or the sentence that says what to correct.
    static func read(_ form: FormFields, language: ConsoleLanguage) -> Result<BackupCreateRequest, FormRefusal> {
        guard let ids = FormEstablishmentID.parseAll(form.all("ids")) else {
            return .failure(
                FormRefusal(
                    language.text(
                        "Un identifiant d’établissement n’est pas un nombre : choisissez les établissements dans la liste.",
                        "An establishment id is not a number: choose the establishments in the list.")))
        }
        guard !ids.isEmpty else {
            return .failure(
                FormRefusal(
                    language.text(
                        "Choisissez au moins un établissement à sauvegarder.",
                        "Choose at least one establishment to back up.")))
        }
        var arguments = ["backup", "create", "--ids", ids.map(String.init).joined(separator: ",")]
        switch ContentSelectionFields.arguments(form, language: language) {
        case .success(let content): arguments += content
        case .failure(let refusal): return .failure(refusal)
        }
        if form.isChecked("anonymise") { arguments.append("--anonymise") }
        if !form.isChecked("files") { arguments.append("--no-files") }
        if let note = form.text("note") { arguments.append("--note=\(note)") }
        return .success(BackupCreateRequest(ids: ids, arguments: arguments))
    }
}
