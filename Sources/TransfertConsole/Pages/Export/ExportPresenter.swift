import Foundation
import TransfertFormats

/// The finished export job's page: the establishments the export wrote (id, UAI, name, sizes), what the
/// operator must know (kept locked, content left out, warnings), and the verdict of the verification that
/// followed it. The two files themselves are the job's downloads (`#job-files`, listed by the job page).
enum ExportPresenter {
    static func render(job: ConsoleJob, store: JobStore, language: ConsoleLanguage) -> HTML {
        guard
            let export = store.output(of: job.id, step: 0).flatMap({
                try? JSONDecoder().decode(ExportResultJSON.self, from: $0)
            })
        else {
            // The export itself was refused or stopped: its refusal is above; nothing to verify.
            return job.state == .running
                ? .empty
                : "<p id=\"verification-skipped\">\(language.text("Rien n’a été vérifié : l’export n’a pas abouti.", "Nothing was verified: the export did not complete."))</p>"
        }
        let verifyStep = 1
        let report = store.output(of: job.id, step: verifyStep).flatMap {
            try? JSONDecoder().decode(VerificationReportJSON.self, from: $0)
        }
        var html = exported(export, report: report, language: language) + notices(export, language: language)
        if job.steps.count > verifyStep {
            if job.step >= verifyStep {
                let error = CommandResult(
                    exitCode: job.exitCode ?? 1, output: store.output(of: job.id, step: verifyStep) ?? Data(),
                    messages: store.messages(of: job.id).joined(separator: "\n")
                ).error
                html = html + VerificationView.render(report: report, error: error, language: language)
            } else {
                html =
                    html
                    + "<p id=\"verification-skipped\">\(language.text("La vérification n’a pas été lancée.", "The verification was not started."))</p>"
            }
        }
        return html
    }

    /// One row per establishment exported; the UAI comes from the verification's report (the export's
    /// own result does not carry it), matched by id.
    static func exported(_ export: ExportResultJSON, report: VerificationReportJSON?, language: ConsoleLanguage) -> HTML
    {
        let rows: [[HTML]] = export.establishments.map { establishment in
            let verified =
                report?.establishments.first { $0.baseID == establishment.baseID }
                ?? report?.establishments.first { $0.nomFichier == establishment.nomFichier }
            return [
                "\(establishment.baseID)", "\(verified?.uai ?? "")", "\(establishment.denomination)",
                "\(establishment.tables)", "\(establishment.rows)", "\(formatBytes(establishment.dumpBytes))",
                "\(formatBytes(establishment.filesBytes)) (\(establishment.filesCount))",
            ]
        }
        return "<h2>\(language.text("Établissements exportés", "Establishments exported"))</h2>"
            + Components.table(
                caption: language.text("Ce que contient le lot", "What the bundle holds"),
                headers: [
                    "Id", "UAI", language.text("Dénomination", "Name"), "Tables", language.text("Lignes", "Rows"),
                    language.text("Sauvegarde", "Dump"), language.text("Fichiers déposés", "Uploaded files"),
                ], rows: rows, id: "exported")
    }

    /// Kept locked, content left out or replaced, warnings: each said, none lost.
    static func notices(_ export: ExportResultJSON, language: ConsoleLanguage) -> HTML {
        var items: [HTML] = []
        if export.keptLocked {
            let ids = export.establishments.map { String($0.baseID) }.joined(separator: ",")
            items.append(
                "<li id=\"kept-locked\">\(language.text("Les établissements restent verrouillés (déménagement) : plus aucune écriture. Pour renoncer : transfert lock release --ids \(ids), ou la page de chaque établissement.", "The establishments stay locked (a move): no write any more. To give up: transfert lock release --ids \(ids), or each establishment's page."))</li>"
            )
        }
        if let content = export.content {
            let asked = (content.leftOut ?? []).filter { $0.reason == "asked" }.map(\.category)
            if !asked.isEmpty {
                items.append(
                    "<li>\(language.text("Laissé de côté : ", "Left out: "))\(asked.joined(separator: ", "))</li>")
            }
            if content.anonymised == true {
                items.append(
                    "<li id=\"anonymised\">\(language.text("Copie anonymisée : les données personnelles sont remplacées par des pseudonymes ; elle ne s’importe qu’en copie (--as-copy), sans lettres.", "Anonymised copy: personal data is replaced by pseudonyms; it imports only as a copy (--as-copy), without letters."))</li>"
                )
            }
        }
        for leftOut in export.leftOutToo ?? [] {
            items.append(
                "<li>\(language.text("Laissé de côté aussi : ", "Left out too: "))\(leftOut.category) — \(leftOut.reason)</li>"
            )
        }
        for warning in export.warnings ?? [] {
            items.append("<li class=\"failure\">\(language.text("Avertissement : ", "Warning: "))\(warning)</li>")
        }
        return items.isEmpty ? .empty : "<ul class=\"notices\" id=\"export-notices\">\(items)</ul>"
    }
}
