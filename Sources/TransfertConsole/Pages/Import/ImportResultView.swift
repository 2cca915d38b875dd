import Foundation

/// A finished import job's page: `table#import-result` (CSV line, old id, new id, establishment, its new
/// access URL, outcome) from the command's JSON, the receipt to carry to the source, the problems of a
/// refused bundle, and the way to the letters (`a#letters-preview`).
enum ImportResultView {
    static let present: JobResultPresenters.Presenter = { job, result, _, context in
        render(job: job, result: result, language: context.language)
    }

    static func render(job: ConsoleJob, result: CommandResult, language: ConsoleLanguage) -> HTML {
        guard let report = result.decoded(as: ImportReportJSON.self) else {
            // Refused as a whole: the command's problems, each with its place (the refusal is shown above).
            let problems = result.decoded(as: ImportProblemsJSON.self)?.problems ?? []
            guard !problems.isEmpty else { return JobResultPresenters.plain(result, language: language) }
            return """
                <h2>\(language.text("Problèmes", "Problems")) (\(problems.count))</h2>
                <ul id="problems">\(problems.map { DryRunView.problem(of: $0, language: language) })</ul>
                """
        }
        let rows: [[HTML]] = report.establishments.map { outcome in
            let link: HTML =
                outcome.accessURL.map { url -> HTML in
                    isWebAddress(url) ? "<a class=\"access-url\" href=\"\(url)\">\(url)</a>" : "\(url)"
                } ?? .empty
            var reason: HTML = outcome.reason.map { " — \($0)" as HTML } ?? .empty
            if let problem = outcome.problem {
                reason = reason + "<ul>\(DryRunView.problem(of: problem, language: language))</ul>"
            }
            return [
                "\(outcome.line)", "\(outcome.idExport)", "\(outcome.newID.map(String.init) ?? "—")", "\(outcome.name)",
                link,
                "<span data-outcome=\"\(outcome.outcome)\">\(label(outcome.outcome, language: language))</span>\(reason)",
            ]
        }
        var html: HTML = summary(report, language: language)
        html =
            html
            + Components.table(
                caption: language.text("Résultat de l’import", "Import result"),
                headers: [
                    language.text("Ligne", "Line"), language.text("Ancien id", "Old id"),
                    language.text("Nouvel id", "New id"),
                    language.text("Établissement", "Establishment"), language.text("Adresse d’accès", "Access URL"),
                    language.text("Résultat", "Outcome"),
                ], rows: rows, id: "import-result")
        if report.receipt != nil {
            html =
                html
                + Components.notice(
                    language.text(
                        "Le reçu signé (.receipt.json, dans les fichiers produits ci-dessous) est à remettre à l’opérateur du serveur source : il le confirme dans sa console (Déménagements).",
                        "The signed receipt (.receipt.json, in the files produced below) goes to the source server's operator, who confirms it in their console (Moves)."
                    ))
        }
        for problem in [report.receiptProblem, report.resultProblem].compactMap({ $0 }) {
            html = html + "<p class=\"failure\">\(problem)</p>"
        }
        if !report.hostedIDs.isEmpty {
            html =
                html
                + "<p><a id=\"letters-preview\" href=\"/import/letters/\(job.id)\">\(language.text("Lettres aux contacts : aperçu et envoi", "Letters to the contacts: preview and send"))</a></p>"
        }
        return html
    }

    /// "2 imported, 1 failed, 0 already there", and — when some failed — that they left nothing behind
    /// and the same import may simply run again (the command's own advice).
    static func summary(_ report: ImportReportJSON, language: ConsoleLanguage) -> HTML {
        let imported = report.establishments.filter { $0.outcome == "imported" }.count
        let failed = report.establishments.filter { $0.outcome == "failed" }.count
        let already = report.establishments.filter { $0.outcome == "already_imported" }.count
        let counts = language.text(
            "\(imported) importé(s), \(failed) en échec, \(already) déjà là.",
            "\(imported) imported, \(failed) failed, \(already) already there.")
        guard failed > 0 else { return "<p id=\"import-summary\" class=\"success\">\(counts)</p>" }
        let advice = language.text(
            " Les établissements en échec n’ont rien laissé derrière eux : corrigez la cause et relancez le même import ; ce qui est déjà là est gardé.",
            " The failed establishments left nothing behind; correct the cause and run the same import again: what is there is kept."
        )
        return "<p id=\"import-summary\" class=\"failure\">\(counts + advice)</p>"
    }

    static func label(_ outcome: String, language: ConsoleLanguage) -> String {
        switch outcome {
        case "imported": return language.text("importé", "imported")
        case "already_imported": return language.text("déjà importé", "already imported")
        case "planned": return language.text("prévu", "planned")
        case "failed": return language.text("ÉCHEC", "FAILED")
        default: return outcome
        }
    }

    /// Only `http(s)://` addresses become links (an address comes from transfert.yaml's base_url).
    static func isWebAddress(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("https://") || lowered.hasPrefix("http://")
    }
}
