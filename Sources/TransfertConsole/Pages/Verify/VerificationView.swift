import Foundation
import TransfertFormats

/// A verification's verdict as a page shows it, after an export (its following step) or on its own
/// (`/verify`): `#verification[data-verdict="ok"|"failed"]`, a sentence, each establishment with its result,
/// and every problem with its place (file, line, field, value, establishment) in the command's own words.
/// A verification that could not even read the bundle is a failed verdict too: nothing may be deleted on
/// the strength of it.
enum VerificationView {
    /// The verdict of a finished `verify` step: its report when it printed one, else its refusal.
    static func render(report: VerificationReportJSON?, error: CommandError?, language: ConsoleLanguage) -> HTML {
        guard let report else {
            let reason = error?.message ?? language.text("le rapport est illisible", "its report cannot be read")
            return """
                <section id="verification" data-verdict="failed"><h2>\(language.text("Vérification", "Verification"))</h2>
                <p class="failure" role="alert">\(language.text("Le lot n’a pas pu être vérifié : ", "The bundle could not be verified: "))\(reason). \(language.text("Ne supprimez rien sur le serveur source.", "Delete nothing on the source server."))</p></section>
                """
        }
        let verdict = report.verified ? "ok" : "failed"
        let level = levelLabel(report, language: language)
        let sentence: HTML =
            report.verified
            ? "<p class=\"success\" role=\"status\" id=\"verification-summary\">\(language.text("Vérifié (\(level)) : \(report.checked.count) établissement(s) OK.", "Verified (\(level)): \(report.checked.count) establishment(s) OK."))</p>"
            : "<p class=\"failure\" role=\"alert\" id=\"verification-summary\">\(language.text("NON vérifié (\(level)) : \(report.problemCount) problème(s). Ne supprimez rien sur le serveur source.", "NOT verified (\(level)): \(report.problemCount) problem(s). Delete nothing on the source server."))</p>"
        let rows: [[HTML]] = report.establishments.map { establishment in
            [
                "\(establishment.baseID.map(String.init) ?? "?")", "\(establishment.denomination)",
                "\(establishment.uai ?? "")", "\(formatBytes(establishment.dumpBytes))", "\(establishment.tables)",
                "\(establishment.rows)", result(establishment, language: language),
            ]
        }
        let table =
            rows.isEmpty
            ? HTML.empty
            : Components.table(
                caption: language.text("Établissements du lot", "The bundle's establishments"),
                headers: [
                    "Id", language.text("Dénomination", "Name"), "UAI", language.text("Sauvegarde", "Dump"),
                    "Tables", language.text("Lignes", "Rows"), language.text("Résultat", "Result"),
                ], rows: rows, id: "verified-establishments")
        return """
            <section id="verification" data-verdict="\(verdict)"><h2>\(language.text("Vérification", "Verification"))</h2>
            \(sentence)\(table)\(problems(report, language: language))\(notes(report, language: language))</section>
            """
    }

    /// "par défaut", "approfondie", "approfondie, comparée à la source".
    static func levelLabel(_ report: VerificationReportJSON, language: ConsoleLanguage) -> String {
        var parts: [String] = []
        if report.deep { parts.append(language.text("approfondie", "deep")) }
        if report.againstSource { parts.append(language.text("comparée à la source", "against the source")) }
        return parts.isEmpty ? language.text("par défaut", "default") : parts.joined(separator: ", ")
    }

    static func result(_ establishment: VerificationReportJSON.Establishment, language: ConsoleLanguage) -> HTML {
        switch establishment.status {
        case "ok": return "<span class=\"success\" data-status=\"ok\">OK</span>"
        case "not_in_csv":
            return
                "<span data-status=\"not_in_csv\">\(language.text("absent du CSV (non vérifié)", "not in the CSV (not checked)"))</span>"
        default:
            return
                "<span class=\"failure\" data-status=\"failed\">\(language.text("\(establishment.problems.count) problème(s)", "\(establishment.problems.count) problem(s)"))</span>"
        }
    }

    /// Every problem, the bundle's first, then each establishment's, with its place.
    static func problems(_ report: VerificationReportJSON, language: ConsoleLanguage) -> HTML {
        var items: [HTML] = report.bundleProblems.map { item($0, establishment: nil, language: language) }
        for establishment in report.establishments {
            items += establishment.problems.map { item($0, establishment: establishment, language: language) }
        }
        guard !items.isEmpty else { return .empty }
        return "<h3>\(language.text("Problèmes", "Problems"))</h3><ul id=\"verification-problems\">\(items)</ul>"
    }

    static func item(
        _ problem: CommandError.Problem, establishment: VerificationReportJSON.Establishment?, language: ConsoleLanguage
    ) -> HTML {
        var location = problem.location ?? CommandError.Location()
        if let establishment {
            location.establishment = location.establishment ?? establishment.nomFichier
            location.baseID = location.baseID ?? establishment.baseID
        }
        let who: HTML = establishment.map { "<strong>\($0.denomination)</strong> — " } ?? .empty
        return
            "<li>\(who)\(Components.place(location, language: language))\(problem.message)\(problem.code.map { " (\($0))" as HTML } ?? .empty)</li>"
    }

    static func notes(_ report: VerificationReportJSON, language: ConsoleLanguage) -> HTML {
        let notes = report.establishments.flatMap { establishment in
            establishment.notes.map { "<li>\(establishment.nomFichier) : \($0)</li>" as HTML }
        }
        guard !notes.isEmpty else { return .empty }
        return "<h3>\(language.text("Remarques", "Notes"))</h3><ul class=\"notes\">\(notes)</ul>"
    }
}
