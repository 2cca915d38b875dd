import Foundation
import TransfertKit

/// The restore form (`/backups/restore`) read into `transfert restore`'s arguments. The backup is named
/// by its area and name and looked up in the backup directory's listing — a path never comes from the
/// browser. A restore that changes something needs the target establishment's id typed again, as a
/// removal does: replacing the wrong school's content is the mistake this form exists to prevent.
struct RestoreRequest: Sendable {
    enum Mode: String, Sendable { case replace, merge }

    var into: Int64
    var mode: Mode
    var dryRun: Bool
    var arguments: [String]

    static func read(_ form: FormFields, backup: BackupListing.Entry, language: ConsoleLanguage)
        -> Result<RestoreRequest, FormRefusal>
    {
        guard let into = FormEstablishmentID.parse(form["into"]) else {
            return .failure(
                FormRefusal(
                    language.text(
                        "Choisissez l’établissement où restaurer.", "Choose the establishment to restore into.")))
        }
        guard let mode = form["mode"].flatMap(Mode.init(rawValue:)) else {
            return .failure(
                FormRefusal(
                    language.text(
                        "Dites comment restaurer : remplacer ou fusionner.", "Say how to restore: replace or merge.")))
        }
        let dryRun = form["action"] == "dry-run"
        if !dryRun, form["confirmation"]?.trimmingCharacters(in: .whitespaces) != String(into) {
            return .failure(
                FormRefusal(
                    language.text(
                        "Pour confirmer, tapez l’identifiant de l’établissement visé (\(into)) dans le champ de confirmation : rien n’a été restauré.",
                        "To confirm, type the target establishment's id (\(into)) in the confirmation field: nothing was restored."
                    )))
        }
        var arguments = ["restore", backup.csv.path, backup.zip.path, "--into", String(into), "--\(mode.rawValue)"]
        switch ContentSelectionFields.arguments(form, language: language) {
        case .success(let content): arguments += content
        case .failure(let refusal): return .failure(refusal)
        }
        if form.isChecked("overwrite_settings") { arguments.append("--overwrite-settings") }
        if mode == .merge, form["merge_users"] == "never" { arguments.append("--merge-users=never") }
        if let note = form.text("note") { arguments.append("--note=\(note)") }
        arguments.append(dryRun ? "--dry-run" : "--yes")
        return .success(RestoreRequest(into: into, mode: mode, dryRun: dryRun, arguments: arguments))
    }
}
