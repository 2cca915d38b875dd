/// The `without` and `only` fields of a backup or restore form, as the command's `--without=` / `--only=`
/// arguments (values passed as `--option=value`, so a value starting with `-` stays a value); both at once
/// is refused before anything runs.
enum ContentSelectionFields {
    static func arguments(_ form: FormFields, language: ConsoleLanguage) -> Result<[String], FormRefusal> {
        let without = form.text("without")
        let only = form.text("only")
        if without != nil, only != nil {
            return .failure(
                FormRefusal(
                    language.text(
                        "Choisissez le contenu avec « sans » ou « seulement », pas les deux.",
                        "Choose the content with “without” or “only”, not both.")))
        }
        return .success(without.map { ["--without=\($0)"] } ?? only.map { ["--only=\($0)"] } ?? [])
    }
}
