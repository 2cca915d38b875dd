/// How a feed job (`feed membership`, applied) shows its result: the report as the dry run showed it.
/// Exit 3 means some rows failed and the others were applied — the report says which; a refusal (exit 1)
/// is shown by the job page with its problems, and nothing was applied.
enum FeedJobPresenter {
    static let all: [String: JobResultPresenters.Presenter] = [
        "feed": { _, result, _, context in
            guard let report = FeedReportSummary.read(result.output) else {
                return result.error == nil ? JobResultPresenters.plain(result, language: context.language) : .empty
            }
            return "<h2>\(context.language.text("Résultat du flux", "Feed result"))</h2>"
                + FeedReportView.render(report, language: context.language)
        }
    ]
}
