import Foundation
import HTTPTypes
import Hummingbird

/// The jobs: the list (newest first), one job's page (live progress while it runs, then its result as the
/// job's kind presents it), its progress as JSON for the page's script, and the files it produced.
struct JobPages: ConsolePageGroup {
    let services: ConsoleServices

    init(services: ConsoleServices) { self.services = services }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/jobs") { _, context in list(context: context) }
        router.get("/jobs/:id") { _, context in try page(context: context) }
        router.get("/jobs/:id/progress") { _, context in try progress(context: context) }
        router.get("/jobs/:id/files/:name") { request, context in try await download(request, context: context) }
    }

    var store: JobStore { services.jobs.store }

    func list(context: ConsoleRequestContext) -> Response {
        let language = context.language
        let rows: [[HTML]] = store.recent().map { job in
            [
                "<a href=\"/jobs/\(job.id)\">\(job.title)</a>",
                HTML(trusted: HTML.escape(Components.stateLabel(job.state, language: language))),
                "\(job.user)",
                "\(Components.date(job.startedAt, timeZone: services.timeZone))",
                "\(job.endedAt.map { Components.date($0, timeZone: services.timeZone) } ?? "")",
            ]
        }
        let body =
            rows.isEmpty
            ? Components.notice(language.text("Aucun travail pour l’instant.", "No job yet."))
            : Components.table(
                caption: language.text("Travaux, les plus récents d’abord", "Jobs, newest first"),
                headers: [
                    language.text("Travail", "Job"), language.text("État", "State"),
                    language.text("Lancé par", "Started by"), language.text("Début", "Started"),
                    language.text("Fin", "Ended"),
                ], rows: rows, id: "jobs")
        return Layout.page(language.text("Travaux", "Jobs"), context: context, current: "/jobs", body: body)
    }

    func job(_ context: ConsoleRequestContext) throws -> ConsoleJob {
        guard let id = context.parameters.get("id"), let job = store.job(id) else { throw HTTPError(.notFound) }
        return job
    }

    func page(context: ConsoleRequestContext) throws -> Response {
        let job = try job(context)
        let language = context.language
        var body: HTML = """
            <dl class="facts"><dt>\(language.text("État", "State"))</dt><dd id="job-state" data-state="\(job.state.rawValue)">\(Components.stateLabel(job.state, language: language))</dd>
            <dt>\(language.text("Lancé par", "Started by"))</dt><dd>\(job.user)</dd>
            <dt>\(language.text("Début", "Started"))</dt><dd>\(Components.date(job.startedAt, timeZone: services.timeZone))</dd>
            \(job.endedAt.map { "<dt>\(language.text("Fin", "Ended"))</dt><dd>\(Components.date($0, timeZone: services.timeZone))</dd>" as HTML } ?? .empty)
            \(job.exitCode.map { "<dt>\(language.text("Code de sortie", "Exit status"))</dt><dd>\($0)</dd>" as HTML } ?? .empty)
            <dt>\(language.text("Commande", "Command"))</dt><dd><code>transfert \(job.arguments.joined(separator: " "))</code></dd></dl>
            """
        switch job.state {
        case .running:
            body = body + Components.progress(job: job, language: language)
        case .interrupted:
            body =
                body
                + Components.notice(
                    language.text(
                        "La console s’est arrêtée pendant ce travail : il a été interrompu. Ce qu’il laissait à moitié a été nettoyé par « doctor » (voir la liste des travaux) ; relancez-le.",
                        "The console stopped while this job ran: it was interrupted. What it left half-done was cleaned by `doctor` (see the jobs list); run it again."
                    ))
        case .succeeded, .failed:
            break
        }
        if job.state != .running {
            let output = store.output(of: job.id, step: job.step)
            let result = CommandResult(
                exitCode: job.exitCode ?? 1, output: output ?? Data(),
                messages: store.messages(of: job.id).joined(separator: "\n"))
            body = body + JobResultPresenters.present(job: job, result: result, services: services, context: context)
        }
        let files = store.producedFiles(of: job.id)
        if !files.isEmpty {
            let links = files.map { name -> HTML in
                "<li><a href=\"/jobs/\(job.id)/files/\(Self.percentEncoded(name))\" download>\(name)</a></li>"
            }
            body =
                body
                + "<h2>\(language.text("Fichiers produits", "Files produced"))</h2><ul id=\"job-files\">\(links)</ul>"
        }
        return Layout.page(job.title, context: context, current: "/jobs", body: body)
    }

    func progress(context: ConsoleRequestContext) throws -> Response {
        let job = try job(context)
        let progress = store.progress(of: job.id) ?? JobProgress(state: job.state, exitCode: job.exitCode)
        let data = (try? JSONEncoder().encode(progress)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Streams a file the job produced, by its plain name only.
    func download(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let job = try job(context)
        guard let name = context.parameters.get("name")?.removingPercentEncoding,
            let url = store.producedFile(of: job.id, named: name)
        else { throw HTTPError(.notFound) }
        let body = try await FileIO().loadFile(path: url.path, context: context)
        var response = Response(status: .ok, body: body)
        response.headers[.contentType] =
            name.hasSuffix(".zip")
            ? "application/zip" : name.hasSuffix(".csv") ? "text/csv; charset=utf-8" : "application/octet-stream"
        response.headers[.contentDisposition] = "attachment; filename*=UTF-8''\(Self.percentEncoded(name))"
        return response
    }

    static func percentEncoded(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
            ?? name
    }
}
