/// The dry run as the import page shows it: `table#dry-run`, one row per CSV row with its problems in
/// the command's words and places, then every problem again in `#problems` (a problem of no row, of the
/// header or of the ZIP appears there only).
enum DryRunView {
    static func render(_ dryRun: DryRun, language: ConsoleLanguage) -> HTML {
        var html: HTML = .empty
        if let refusal = dryRun.refusal { html = html + Components.failure(refusal, language: language) }
        if let prerequisites = dryRun.prerequisites {
            html = html + "<p class=\"failure\" id=\"prerequisites\">\(prerequisites)</p>"
        }
        if !dryRun.rows.isEmpty {
            html =
                html
                + Components.table(
                    caption: language.text(
                        "Validation (essai à blanc) : une ligne par ligne du CSV",
                        "Validation (dry run): one row per CSV row"),
                    headers: [
                        language.text("Ligne", "Line"), language.text("Établissement", "Establishment"), "UAI",
                        dryRun.refusal == nil
                            ? language.text("Id attribué", "Id given")
                            : language.text("Id_Import demandé", "Id_Import asked"),
                        language.text("Problèmes", "Problems"),
                    ],
                    rows: dryRun.rows.map { row in
                        [
                            "\(row.line)", "\(row.name)", "\(row.uai)",
                            "\(row.id.isEmpty ? language.text("libre", "free") : row.id)",
                            problems(of: row, clean: dryRun.refusal == nil, language: language),
                        ]
                    }, id: "dry-run")
        }
        if !dryRun.problems.isEmpty {
            html =
                html
                    + """
                    <h2>\(language.text("Problèmes", "Problems")) (\(dryRun.problems.count))</h2>
                    <ul id="problems">\(dryRun.problems.map { problem(of: $0, language: language) })</ul>
                    """
        }
        return html
    }

    /// A row's cell of problems (and notes): "none" for a row of a clean dry run.
    static func problems(of row: DryRun.Row, clean: Bool, language: ConsoleLanguage) -> HTML {
        if row.problems.isEmpty && row.notes.isEmpty {
            return clean ? "<span class=\"success\">\(language.text("aucun", "none"))</span>" : .empty
        }
        let problems = row.problems.map { problem(of: $0, language: language) }
        let notes = row.notes.map { note -> HTML in "<li class=\"note\">\(note)</li>" }
        return "<ul>\(problems)\(notes)</ul>"
    }

    /// One problem as the command line gives it: its place (line, field, value), its sentence, its code.
    static func problem(of problem: CommandError.Problem, language: ConsoleLanguage) -> HTML {
        let code: HTML = problem.code.map { code -> HTML in " <code>(\(code))</code>" } ?? .empty
        let line: HTML = problem.location?.line.map { line -> HTML in " data-line=\"\(line)\"" } ?? .empty
        let field: HTML = problem.location?.field.map { field -> HTML in " data-field=\"\(field)\"" } ?? .empty
        return
            "<li\(line)\(field)>\(Components.place(problem.location, language: language))\(problem.message)\(code)</li>"
    }
}
