import Foundation
import Hummingbird
import TransfertKit

/// The letters that follow an import (`/import/letters/<job-id>`): one per establishment it hosted, to its
/// contact, previewed as composed; `#send-letters` then runs `transfert letters --ids … --send` as a job,
/// which queues them in the outbox and delivers exactly those through the relay of transfert.yaml. With
/// no relay (or a placeholder sender) the page says so first, in the command's words; the job, if started
/// anyway, leaves the letters in the outbox and says the same.
struct ImportLetters: Sendable {
    static let kind = "import-letters"
    let services: ConsoleServices

    /// The finished import job named in the path, and the ids it hosted.
    func importJob(_ context: ConsoleRequestContext) throws -> (job: ConsoleJob, ids: [Int64]) {
        guard let id = context.parameters.get("job"), let job = services.jobs.store.job(id), job.kind == ImportJob.kind
        else { throw HTTPError(.notFound) }
        guard job.state != .running else {
            throw HTTPError(
                .conflict,
                message: context.language.text(
                    "L’import n’est pas terminé : attendez sa fin.", "The import has not ended: wait for it."))
        }
        let report = services.jobs.store.output(of: job.id).flatMap {
            try? JSONDecoder().decode(ImportReportJSON.self, from: $0)
        }
        return (job, report?.hostedIDs ?? [])
    }

    func preview(context: ConsoleRequestContext) async throws -> Response {
        let (job, ids) = try importJob(context)
        let language = context.language
        let title = language.text("Lettres aux contacts", "Letters to the contacts")
        guard !ids.isEmpty else {
            return Layout.page(
                title, context: context, current: "/import",
                body: Components.notice(
                    language.text(
                        "Cet import n’a hébergé aucun établissement : pas de lettre.",
                        "This import hosted no establishment: no letter.")))
        }
        var body: HTML =
            "<p><a href=\"/jobs/\(job.id)\">\(language.text("Retour à l’import", "Back to the import"))</a></p>"
        body = body + relayWarnings() + earlierSends(of: job, language: language)
        do {
            let letters = try await services.read { try LetterPreview.compose(ids: ids, hosting: $0) }
            body =
                body
                + "<section id=\"letters\">\(letters.map { $0.render(language: language) })</section>"
        } catch {
            body = body + "<p class=\"failure\" role=\"alert\">\(String(describing: error))</p>"
        }
        if context.session?.role.mayChange == true {
            body =
                body
                    + """
                    <form method="post" action="/import/letters/\(job.id)" id="letters-form">\(Components.csrf(context))
                    <p><button type="submit" id="send-letters">\(language.text("Mettre en file et envoyer ces \(ids.count) lettre(s)", "Queue and send these \(ids.count) letter(s)"))</button></p>
                    </form>
                    """
        }
        return Layout.page(title, context: context, current: "/import", body: body)
    }

    /// The letters jobs already started for this import: writing the letters again and sending them would
    /// send them twice, so the page says so before the button.
    func earlierSends(of job: ConsoleJob, language: ConsoleLanguage) -> HTML {
        let earlier = services.jobs.store.recent(limit: 1_000).filter {
            $0.kind == Self.kind && $0.details["import_job"] == job.id
        }
        guard !earlier.isEmpty else { return .empty }
        let links = earlier.map { sent -> HTML in
            "<li><a href=\"/jobs/\(sent.id)\">\(Components.date(sent.startedAt, timeZone: services.timeZone))</a> — \(Components.stateLabel(sent.state, language: language)) (\(sent.user))</li>"
        }
        return """
            <div class="notice" id="earlier-sends"><p>\(language.text(
                "Ces lettres ont déjà été mises en file et envoyées pour cet import ; les envoyer de nouveau les enverrait deux fois à ceux qui les ont reçues :",
                "These letters were already queued and sent for this import; sending them again sends them twice to those who received them:"))</p>
            <ul>\(links)</ul></div>
            """
    }

    /// What stops the letters from leaving, in the command's words: no `smtp:` relay, a placeholder sender.
    func relayWarnings() -> HTML {
        let configuration = services.hosting.configuration
        var html: HTML = .empty
        if configuration.smtp == nil {
            html = html + "<p class=\"failure\" id=\"no-relay\">\(OutboxSendError.noRelay.description)</p>"
        }
        if let reason = PlaceholderSender.reason(configuration.webmaster.email) {
            let file = services.configuration.hostingDirectory.appendingPathComponent(Hosting.configurationFileName)
                .path
            html =
                html
                + "<p class=\"failure\" id=\"placeholder-sender\">\(OutboxSendError.placeholderSender(address: configuration.webmaster.email, reason: reason, configurationFile: file).description)</p>"
        }
        return html
    }

    func send(context: ConsoleRequestContext) async throws -> Response {
        let (job, ids) = try importJob(context)
        guard !ids.isEmpty else {
            throw HTTPError(.badRequest, message: "this import hosted no establishment: no letter to send")
        }
        let letters = try await services.jobs.start(
            kind: Self.kind, title: "Letters for \(job.title)", user: try context.signedIn.userName,
            arguments: [
                "letters", "--ids", ids.map(String.init).joined(separator: ","), "--send", "--progress", "json",
            ],
            establishments: ids, details: ["import_job": job.id])
        return .redirect(to: "/jobs/\(letters.id)", type: .normal)
    }
}
