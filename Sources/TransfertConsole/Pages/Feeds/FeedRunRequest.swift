import Foundation

/// A feed run as the feeds page asks for it — establishment, file format, operation, integration, data
/// source — read from the upload form (for the dry run) or from the apply form that repeats it, and
/// written as `transfert feed membership`'s arguments. Names are passed as `--option=value`, so that a
/// value starting with `-` stays a value; the command checks them as on a terminal.
struct FeedRunRequest: Sendable, Equatable {
    enum Format: String, Sendable, CaseIterable { case snapshot, oneroster }
    /// `SnapshotOperation`'s names, as the command takes them.
    static let operations = ["store", "refresh", "refresh-by-source", "delete"]

    var baseID: Int64
    var format: Format
    /// `nil` for OneRoster: its manifest says bulk or delta.
    var operation: String?
    var integration: String
    var dataSource: String?

    static func read(_ form: FormFields, language: ConsoleLanguage) -> Result<FeedRunRequest, FormRefusal> {
        guard let id = FormEstablishmentID.parse(form["id"]) else {
            return .failure(
                FormRefusal(
                    language.text(
                        "Choisissez l’établissement que le flux alimente.", "Choose the establishment the feed is for.")
                ))
        }
        guard let format = Format(rawValue: form["format"] ?? "snapshot") else {
            return .failure(
                FormRefusal(
                    language.text(
                        "Le format est « snapshot » (fichier à barres verticales) ou « oneroster » (ZIP OneRoster 1.1).",
                        "The format is “snapshot” (a pipe-delimited file) or “oneroster” (a OneRoster 1.1 ZIP).")))
        }
        var operation: String?
        if format == .snapshot {
            guard let chosen = form["operation"], operations.contains(chosen) else {
                return .failure(
                    FormRefusal(
                        language.text(
                            "Choisissez l’opération : store, refresh, refresh-by-source ou delete.",
                            "Choose the operation: store, refresh, refresh-by-source or delete.")))
            }
            operation = chosen
        }
        return .success(
            FeedRunRequest(
                baseID: id, format: format, operation: operation, integration: form.text("integration") ?? "sis",
                dataSource: form.text("data_source")))
    }

    /// `feed membership …` on `file`, a dry run or the run itself.
    func arguments(file: URL, dryRun: Bool, allowMassDisable: Bool) -> [String] {
        var arguments = ["feed", "membership", "--id", String(baseID), "--format", format.rawValue]
        if let operation { arguments += ["--operation", operation] }
        arguments.append("--integration=\(integration)")
        if let dataSource { arguments.append("--data-source=\(dataSource)") }
        if dryRun { arguments.append("--dry-run") }
        if allowMassDisable { arguments.append("--allow-mass-disable") }
        // After `--`: the file is the argument, whatever its name.
        return arguments + ["--", file.path]
    }

    /// The hidden fields that repeat this request in the apply form.
    var hiddenFields: HTML {
        """
        <input type="hidden" name="id" value="\(baseID)"><input type="hidden" name="format" value="\(format.rawValue)">\
        <input type="hidden" name="operation" value="\(operation ?? "")"><input type="hidden" name="integration" value="\(integration)">\
        <input type="hidden" name="data_source" value="\(dataSource ?? "")">
        """
    }
}
