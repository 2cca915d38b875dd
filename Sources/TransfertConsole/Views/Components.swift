import Foundation

/// Pieces every page uses: the CSRF field, tables, notices, a command's refusal with its problems, a
/// job's live progress.
enum Components {
    /// The hidden field every form that changes something carries.
    static func csrf(_ context: ConsoleRequestContext) -> HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(context.session?.csrfToken ?? "")\">"
    }

    /// A table with a caption (screen readers announce it) and header cells.
    static func table(caption: String, headers: [String], rows: [[HTML]], id: String? = nil) -> HTML {
        let head = HTML(joining: headers.map { "<th scope=\"col\">\($0)</th>" })
        let body = HTML(joining: rows.map { cells in "<tr>\(HTML(joining: cells.map { "<td>\($0)</td>" }))</tr>" })
        return """
            <div class="table-wrap"><table\(id.map { " id=\"\($0)\"" as HTML } ?? .empty)><caption>\(caption)</caption>
            <thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table></div>
            """
    }

    static func notice(_ text: String) -> HTML { "<p class=\"notice\" role=\"status\">\(text)</p>" }

    /// A command's refusal as the command line gives it: its sentence, and each problem with its place
    /// (line, field, value) — the same words, escaped.
    static func failure(_ error: CommandError, language: ConsoleLanguage) -> HTML {
        let problems = (error.problems ?? []).map { problem -> HTML in
            "<li>\(place(problem.location, language: language))\(problem.message)\(problem.code.map { " (\($0))" as HTML } ?? .empty)</li>"
        }
        return """
            <div class="failure" role="alert"><p><strong>\(language.text("Refusé", "Refused"))</strong> (\(error.code)) : \(error.message)</p>
            \(place(error.location, language: language))
            \(problems.isEmpty ? HTML.empty : "<ul>\(problems)</ul>")</div>
            """
    }

    /// "line 4, field UAI, value «0A»: " — where a problem is, when it says.
    static func place(_ location: CommandError.Location?, language: ConsoleLanguage) -> HTML {
        guard let location else { return .empty }
        var parts: [String] = []
        if let file = location.file { parts.append((file as NSString).lastPathComponent) }
        if let line = location.line { parts.append(language.text("ligne \(line)", "line \(line)")) }
        if let column = location.column { parts.append(language.text("colonne \(column)", "column \(column)")) }
        if let field = location.field { parts.append(language.text("champ \(field)", "field \(field)")) }
        if let value = location.value { parts.append(language.text("valeur « \(value) »", "value “\(value)”")) }
        if let establishment = location.establishment { parts.append(establishment) }
        guard !parts.isEmpty else { return .empty }
        return "<span class=\"place\">\(parts.joined(separator: ", ")) : </span>"
    }

    /// A job's progress, updated in place by the console's script (`data-job`); without script, the page's
    /// refresh link shows the same.
    static func progress(job: ConsoleJob, language: ConsoleLanguage) -> HTML {
        """
        <section class="job-progress" data-job="\(job.id)" aria-live="polite">
        <progress max="1" value="0" aria-label="\(language.text("Avancement", "Progress"))"></progress>
        <p class="job-status" data-fr-running="En cours" data-en-running="Running">\(stateLabel(job.state, language: language))</p>
        <p class="job-detail"></p>
        <p><a href="/jobs/\(job.id)">\(language.text("Actualiser", "Refresh"))</a></p>
        </section>
        """
    }

    static func stateLabel(_ state: ConsoleJob.State, language: ConsoleLanguage) -> String {
        switch state {
        case .running: return language.text("En cours", "Running")
        case .succeeded: return language.text("Terminé", "Succeeded")
        case .failed: return language.text("Échoué", "Failed")
        case .interrupted: return language.text("Interrompu", "Interrupted")
        }
    }

    /// A date in the hosting's time zone, as people read it.
    static func date(_ date: Date, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
