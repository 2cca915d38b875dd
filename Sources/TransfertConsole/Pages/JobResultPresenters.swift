import Foundation

/// How a finished job's result is shown, by the job's kind. A kind without its own presenter shows the
/// command's sentences and its JSON result as text; a failure always shows the refusal with its problems.
enum JobResultPresenters {
    typealias Presenter = @Sendable (ConsoleJob, CommandResult, ConsoleServices, ConsoleRequestContext) -> HTML

    /// Each page area adds its own kinds here.
    static let presenters: [String: Presenter] = [:]

    static func present(job: ConsoleJob, result: CommandResult, services: ConsoleServices, context: ConsoleRequestContext)
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
