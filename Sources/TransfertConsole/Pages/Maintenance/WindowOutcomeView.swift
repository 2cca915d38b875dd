import TransfertKit

/// What `maintenance plan|edit|cancel --json` answered for a window, in `#maintenance-result`: what was
/// done, the command's notices (a start moved to now, short notice), and what users will read before and
/// during it — the library's own sentences.
struct WindowOutcomeView {
    var report: MaintenanceWindowReport
    var verb: Verb

    enum Verb {
        case planned, changed, cancelled
    }

    func render(language: ConsoleLanguage, timeZoneName: String) -> HTML {
        let done: String
        switch verb {
        case .planned: done = language.text("Fenêtre \(report.number) planifiée", "Window \(report.number) planned")
        case .changed: done = language.text("Fenêtre \(report.number) modifiée", "Window \(report.number) changed")
        case .cancelled: done = language.text("Fenêtre \(report.number) annulée", "Window \(report.number) cancelled")
        }
        let notices = report.notices.map { notice -> HTML in "<li>\(notice)</li>" }
        let sentences: HTML =
            verb == .cancelled
            ? .empty
            : """
            <dl class="facts">
            \(report.state == .planned ? "<dt>\(language.text("Avant, les utilisateurs lisent", "Before it, users read"))</dt><dd>\(report.warning)</dd>" as HTML : .empty)
            <dt>\(language.text("Pendant, les utilisateurs lisent", "During it, users read"))</dt><dd>\(report.during)</dd>
            </dl>
            """
        return """
            <div id="maintenance-result" class="success" role="status" data-window="\(report.number)">
            <p><strong>\(done)</strong> (\(report.establishments.description)) : \(report.start) → \(report.end) (\(timeZoneName)).</p>
            \(notices.isEmpty ? HTML.empty : "<ul class=\"notices\">\(notices)</ul>")
            \(sentences)
            </div>
            """
    }
}
