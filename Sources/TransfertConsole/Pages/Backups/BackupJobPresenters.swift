import Foundation

/// How the backups' jobs show their result: the nightly (or yearly) run as a table of establishments and
/// outcomes with its totals, manual backups as the backups made, a restore as what it did — the safety
/// backup it took first, what was left out, merged, matched, and the profile's checks. Each decodes the
/// command's `--json` output with small structs of its own: the page depends on the JSON, not on Swift types.
enum BackupJobPresenters {
    static let all: [String: JobResultPresenters.Presenter] = [
        "backup-run": { _, result, _, context in run(result, language: context.language) },
        "backup-create": { _, result, _, context in create(result, language: context.language) },
        "restore": { _, result, _, context in restore(result, language: context.language) },
    ]

    // MARK: backup run

    private struct RunReport: Decodable {
        struct Entry: Decodable {
            var id: Int64
            var name: String
            var outcome: String
            var reason: String?
            var backup: String?
            var bytes: Int64?
            var pruned: [String]?
        }
        var area: String
        var directory: String
        var entries: [Entry]
        var seconds: Double
        var backed_up: Int
        var unchanged: Int
        var skipped: Int
        var failed: Int
        var bytes: Int64
    }

    static func run(_ result: CommandResult, language: ConsoleLanguage) -> HTML {
        guard let report = result.decoded(as: RunReport.self) else {
            return JobResultPresenters.plain(result, language: language)
        }
        let rows = report.entries.map { entry -> HTML in
            """
            <tr data-id="\(entry.id)" data-outcome="\(entry.outcome)"><td>\(entry.id)</td><td>\(entry.name)</td>\
            <td>\(outcomeLabel(entry.outcome, language: language))</td><td>\(entry.reason ?? "")</td>\
            <td>\(entry.backup ?? "")</td><td>\(entry.bytes.map(ShownByteSize.text) ?? "")</td>\
            <td>\((entry.pruned ?? []).joined(separator: ", "))</td></tr>
            """
        }
        return """
            <h2>\(language.text("Résultat de la sauvegarde", "Backup run result"))</h2>
            <p id="backup-run-totals" data-backed-up="\(report.backed_up)" data-failed="\(report.failed)">\(language.text(
                "\(report.backed_up) sauvegardé(s), \(report.unchanged) inchangé(s), \(report.skipped) écarté(s), \(report.failed) en échec ; \(ShownByteSize.text(report.bytes)) en \(String(format: "%.1f", report.seconds)) s, dans \(report.area)/ de \(report.directory).",
                "\(report.backed_up) backed up, \(report.unchanged) unchanged, \(report.skipped) skipped, \(report.failed) failed; \(ShownByteSize.text(report.bytes)) in \(String(format: "%.1f", report.seconds)) s, in \(report.area)/ of \(report.directory)."))</p>
            \(table(
                id: "backup-run-result",
                caption: language.text("Établissements de la sauvegarde", "Establishments of the run"),
                headers: [
                    "Id", language.text("Nom", "Name"), language.text("Résultat", "Outcome"),
                    language.text("Raison", "Reason"), language.text("Sauvegarde", "Backup"),
                    language.text("Taille", "Size"), language.text("Supprimées (rétention)", "Pruned (retention)"),
                ], rows: rows))
            """
    }

    static func outcomeLabel(_ outcome: String, language: ConsoleLanguage) -> String {
        switch outcome {
        case "backed_up": return language.text("sauvegardé", "backed up")
        case "unchanged": return language.text("inchangé", "unchanged")
        case "skipped": return language.text("écarté", "skipped")
        case "failed": return language.text("ÉCHEC", "FAILED")
        default: return outcome
        }
    }

    // MARK: backup create

    private struct Created: Decodable {
        struct Content: Decodable {
            var without: [String]
            var only: [String]?
            var anonymised: Bool
            var includes_files: Bool
        }
        struct Verification: Decodable {
            var verdict: String
            var problems: [String]
        }
        var name: String
        var area: String
        var id: Int64
        var denomination: String
        var content: Content
        var csv_bytes: Int64
        var zip_bytes: Int64
        var verification: Verification
    }

    static func create(_ result: CommandResult, language: ConsoleLanguage) -> HTML {
        guard let records = result.decoded(as: [Created].self) else {
            return JobResultPresenters.plain(result, language: language)
        }
        let rows = records.map { record -> HTML in
            let holds = BackupContentText.summary(
                without: record.content.without, only: record.content.only, anonymised: record.content.anonymised,
                includesFiles: record.content.includes_files, language: language)
            let size = ShownByteSize.text(record.csv_bytes.addingReportingOverflow(record.zip_bytes).partialValue)
            return """
                <tr data-id="\(record.id)" data-name="\(record.name)" data-verified="\(record.verification.verdict)"><td>\(record.id)</td>\
                <td>\(record.denomination)</td><td>\(record.area)/</td><td>\(record.name)</td><td>\(holds)</td><td>\(size)</td>\
                <td>\(record.verification.verdict)\(record.verification.problems.isEmpty ? "" : " — " + record.verification.problems.joined(separator: "; "))</td></tr>
                """
        }
        return """
            <h2>\(language.text("Sauvegardes faites", "Backups made"))</h2>
            \(table(
                id: "backup-create-result", caption: language.text("Sauvegardes manuelles", "Manual backups"),
                headers: [
                    "Id", language.text("Établissement", "Establishment"), language.text("Zone", "Area"),
                    language.text("Sauvegarde", "Backup"), language.text("Contenu", "Holds"),
                    language.text("Taille", "Size"), language.text("Vérifiée", "Verified"),
                ], rows: rows))
            <p><a href="/backups">\(language.text("Toutes les sauvegardes", "Every backup"))</a></p>
            """
    }

    // MARK: restore

    private struct Restored: Decodable {
        struct LeftOut: Decodable {
            var category: String
            var reason: String
        }
        struct Merged: Decodable {
            var table: String
            var added: Int
            var matched: Int
            var already_there: Int
        }
        struct Match: Decodable {
            var table: String
            var key: String
            var bundle_id: String
            var existing_id: String
        }
        struct Check: Decodable {
            struct Line: Decodable {
                var label: String
                var bundle: Int64
                var before: Int64?
                var after: Int64
                var difference: String?
            }
            var label: String
            var lines: [Line]
            var problem: String?
        }
        var base_id: Int64
        var mode: String
        var dry_run: Bool
        var bundle: String
        var from_id: Int64
        var from_name: String
        var safety_backup: String?
        var left_out: [LeftOut]
        var merged: [Merged]
        var matches: [Match]
        var checks: [Check]
        var notes: [String]
        var seconds: Double
    }

    /// Matches listed on the page at most; the command's JSON (the job's output) keeps them all.
    static let shownMatches = 500

    static func restore(_ result: CommandResult, language: ConsoleLanguage) -> HTML {
        guard let report = result.decoded(as: Restored.self) else {
            return JobResultPresenters.plain(result, language: language)
        }
        let mode =
            report.mode == "replace" ? language.text("remplacer", "replace") : language.text("fusionner", "merge")
        var html: HTML = """
            <h2>\(report.dry_run ? language.text("Restauration vérifiée (rien n’a changé)", "Restore checked (nothing changed)") : language.text("Restauration faite", "Restore done"))</h2>
            <dl class="facts" id="restore-result" data-dry-run="\(report.dry_run ? "true" : "false")">
            <dt>\(language.text("Établissement", "Establishment"))</dt><dd>\(report.base_id)</dd>
            <dt>\(language.text("Mode", "Mode"))</dt><dd>\(mode)</dd>
            <dt>\(language.text("Depuis", "From"))</dt><dd>\(report.from_name) (\(language.text("id d’export", "export id")) \(report.from_id)) — \(report.bundle)</dd>
            <dt>\(language.text("Sauvegarde de sécurité", "Safety backup"))</dt><dd id="safety-backup">\(report.safety_backup ?? language.text("aucune", "none"))</dd>
            <dt>\(language.text("Durée", "Time"))</dt><dd>\(String(format: "%.1f s", report.seconds))</dd>
            </dl>
            """
        if !report.left_out.isEmpty {
            let items = report.left_out.map { "<li>\($0.category) (\($0.reason))</li>" as HTML }
            html =
                html
                + "<h3>\(language.text("Laissé de côté", "Left out"))</h3><ul id=\"restore-left-out\">\(items)</ul>"
        }
        if !report.merged.isEmpty {
            let rows = report.merged.map { table -> HTML in
                "<tr><td>\(table.table)</td><td>\(table.added)</td><td>\(table.matched)</td><td>\(table.already_there)</td></tr>"
            }
            html =
                html
                + table(
                    id: "restore-merged", caption: language.text("Fusion, table par table", "Merge, table by table"),
                    headers: [
                        language.text("Table", "Table"), language.text("Ajoutées", "Added"),
                        language.text("Reconnues", "Matched"), language.text("Déjà là", "Already there"),
                    ], rows: rows)
        }
        if !report.matches.isEmpty {
            let items = report.matches.prefix(shownMatches).map { match -> HTML in
                "<li>\(match.table) \(match.key) : \(match.bundle_id) → \(match.existing_id)</li>"
            }
            let more = report.matches.count - min(report.matches.count, shownMatches)
            html =
                html + """
                    <h3>\(language.text("Lignes reconnues (clé naturelle)", "Rows matched (natural key)"))</h3><ul id="restore-matches">\(items)</ul>
                    \(more > 0 ? Components.notice(language.text("… et \(more) autre(s) : le résultat JSON du travail les donne toutes.", "… and \(more) more: the job's JSON result lists them all.")) : .empty)
                    """
        }
        if !report.checks.isEmpty {
            var rows: [HTML] = []
            for check in report.checks {
                if let problem = check.problem {
                    rows.append(
                        "<tr class=\"failure\"><td>\(check.label)</td><td colspan=\"4\">\(language.text("n’a pas pu s’exécuter", "could not run")) : \(problem)</td><td></td></tr>"
                    )
                    continue
                }
                for line in check.lines {
                    rows.append(
                        """
                        <tr\(line.difference == nil ? HTML.empty : " class=\"failure\"")><td>\(check.label)</td><td>\(line.label)</td>\
                        <td>\(line.before.map { String($0) } ?? "")</td><td>\(line.bundle)</td><td>\(line.after)</td>\
                        <td>\(line.difference ?? language.text("comme attendu", "as expected"))</td></tr>
                        """)
                }
            }
            html =
                html
                + table(
                    id: "restore-checks",
                    caption: language.text(
                        "Contrôles : la sauvegarde face à l’établissement",
                        "Checks: the bundle against the establishment"),
                    headers: [
                        language.text("Contrôle", "Check"), language.text("Ligne", "Line"),
                        language.text("Avant", "Before"),
                        language.text("Sauvegarde", "Bundle"), language.text("Après", "After"),
                        language.text("Écart", "Difference"),
                    ], rows: rows)
        }
        if !report.notes.isEmpty {
            html =
                html + "<ul class=\"notes\" id=\"restore-notes\">\(report.notes.map { "<li>\($0)</li>" as HTML })</ul>"
        }
        return html
    }

    /// A table whose rows carry their own attributes (`data-id`…), with a caption and header cells.
    static func table(id: String, caption: String, headers: [String], rows: [HTML]) -> HTML {
        """
        <div class="table-wrap"><table id="\(id)"><caption>\(caption)</caption>
        <thead><tr>\(headers.map { "<th scope=\"col\">\($0)</th>" as HTML })</tr></thead><tbody>\(rows)</tbody></table></div>
        """
    }
}
