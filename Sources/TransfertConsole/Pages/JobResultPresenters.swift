import Foundation

/// How a finished job's result is shown, by the job's kind. A kind without its own presenter shows the
/// command's sentences and its JSON result as text; a failure always shows the refusal with its problems.
enum JobResultPresenters {
    /// The job, its last step's result (``ConsoleJob/step``), the services (to read earlier steps' results
    /// through `services.jobs.store`), and the request.
    typealias Presenter = @Sendable (ConsoleJob, CommandResult, ConsoleServices, ConsoleRequestContext) -> HTML

    /// Every area's presenters (``ConsolePageGroup/jobPresenters``).
    static let presenters: [String: Presenter] = Console.pageGroups.reduce(into: [:]) { all, group in
        all.merge(group.jobPresenters) { first, _ in first }
    }

    static func present(
        job: ConsoleJob, result: CommandResult, services: ConsoleServices, context: ConsoleRequestContext
    )
        -> HTML
    {
        let language = context.language
        var html: HTML = .empty
        if let error = result.error {
            html = html + Components.failure(error, language: language)
        }
        if let presenter = presenters[job.kind] {
            return html + presenter(job, result, services, context)
        }
        return html + plain(result, language: language)
    }

    /// The sentences and the JSON, as text (at most 256 KiB of it on the page).
    static func plain(_ result: CommandResult, language: ConsoleLanguage) -> HTML {
        let limit = 256 * 1024
        let text = String(decoding: result.output.prefix(limit), as: UTF8.self)
        let cut = result.output.count > limit
        return """
            <h2>\(language.text("Résultat", "Result"))</h2>
            \(result.messages.isEmpty ? HTML.empty : "<pre class=\"messages\">\(result.messages)</pre>")
            <pre class="result" id="job-result">\(text)\(cut ? "\n…" : "")</pre>
            """
    }
}
