/// A feed run's report as the feeds page and the feed job's page show it: the totals, the notes, then
/// one row per outcome — created, updated, unchanged, disabled, moved, or failed with its line, field,
/// value and reason — every value escaped (it comes from the uploaded file).
enum FeedReportView {
    static func render(_ report: FeedReportSummary, language: ConsoleLanguage) -> HTML {
        let t = report.totals
        var html: HTML = """
            <p id="feed-totals" data-created="\(t.created)" data-updated="\(t.updated)" data-unchanged="\(t.unchanged)" \
            data-disabled="\(t.disabled)" data-moved="\(t.moved)" data-failed="\(t.failed)">\(language.text(
                "Établissement \(report.baseID), \(report.operation) par l’intégration \(report.integration) (source \(report.dataSource)), passage \(report.run) : \(t.created) créé(s), \(t.updated) mis à jour, \(t.unchanged) inchangé(s), \(t.disabled) désactivé(s), \(t.moved) déplacé(s), \(t.failed) en échec.",
                "Establishment \(report.baseID), \(report.operation) by integration \(report.integration) (data source \(report.dataSource)), run \(report.run): \(t.created) created, \(t.updated) updated, \(t.unchanged) unchanged, \(t.disabled) disabled, \(t.moved) moved, \(t.failed) failed."))</p>
            """
        if report.dryRun {
            html =
                html
                + Components.notice(language.text("Essai : rien n’a été appliqué.", "Dry run: nothing was applied."))
        } else if t.failed > 0 {
            html =
                html
                + "<p class=\"failure\" id=\"feed-partial\">\(language.text("\(t.failed) ligne(s) en échec, non appliquée(s) ; les autres lignes ont été appliquées.", "\(t.failed) row(s) failed and were not applied; the other rows were applied."))</p>"
        }
        if !report.notes.isEmpty {
            html = html + "<ul class=\"notes\" id=\"feed-notes\">\(report.notes.map { "<li>\($0)</li>" as HTML })</ul>"
        }
        html =
            html
            + BackupJobPresenters.table(
                id: "feed-report", caption: language.text("Ligne par ligne", "Row by row"),
                headers: [
                    language.text("Ligne", "Line"), language.text("Résultat", "Outcome"),
                    language.text("Cours", "Course"),
                    language.text("Personne", "Person"), language.text("Champ", "Field"),
                    language.text("Valeur", "Value"),
                    language.text("Raison", "Reason"),
                ], rows: report.rows.map { row($0, language: language) })
        if report.rowCount > report.rows.count {
            html =
                html
                + Components.notice(
                    language.text(
                        "\(report.rowCount - report.rows.count) ligne(s) de plus ne sont pas montrées ; le résultat JSON du travail les donne toutes.",
                        "\(report.rowCount - report.rows.count) more row(s) are not shown; the job's JSON result lists them all."
                    ))
            if !report.laterFailures.isEmpty {
                html =
                    html
                    + BackupJobPresenters.table(
                        id: "feed-failures",
                        caption: language.text("Les autres lignes en échec", "The other failed rows"),
                        headers: [
                            language.text("Ligne", "Line"), language.text("Résultat", "Outcome"),
                            language.text("Cours", "Course"),
                            language.text("Personne", "Person"), language.text("Champ", "Field"),
                            language.text("Valeur", "Value"),
                            language.text("Raison", "Reason"),
                        ], rows: report.laterFailures.map { row($0, language: language) })
            }
        }
        return html
    }

    static func row(_ outcome: FeedReportSummary.Outcome, language: ConsoleLanguage) -> HTML {
        let line = outcome.line.map { String($0) } ?? language.text("absent du fichier", "absent from the file")
        return """
            <tr data-kind="\(outcome.kind)" data-line="\(outcome.line.map { String($0) } ?? "")"\(outcome.kind == "failed" ? HTML(trusted: " class=\"failure\"") : .empty)>\
            <td>\(line)</td><td>\(label(outcome.kind, language: language))</td><td>\(outcome.course ?? "")</td><td>\(outcome.person ?? "")</td>\
            <td>\(outcome.field ?? "")</td><td>\(outcome.value ?? "")</td><td>\(outcome.reason ?? "")</td></tr>
            """
    }

    static func label(_ kind: String, language: ConsoleLanguage) -> String {
        switch kind {
        case "created": return language.text("créé", "created")
        case "updated": return language.text("mis à jour", "updated")
        case "unchanged": return language.text("inchangé", "unchanged")
        case "disabled": return language.text("désactivé", "disabled")
        case "moved": return language.text("déplacé", "moved")
        case "failed": return language.text("ÉCHEC", "FAILED")
        default: return kind
        }
    }
}
