import Foundation
import HTTPTypes
import Hummingbird
import TransfertKit
import TransfertModel
import TransfertPortal

/// Maintenance (`/maintenance`): the windows (planned and in progress; ended ones on demand) with their
/// times in the hosting's zone; planning, changing and cancelling one (`transfert maintenance plan|edit|
/// cancel`); the lock on the whole hosting (`transfert lock add|release --all`); and the preview
/// (`/maintenance/preview?id=N`) of what an establishment's users see on the portal now and during its
/// next window, in the portal's own words.
struct MaintenancePages: ConsolePageGroup {
    let services: ConsoleServices

    init(services: ConsoleServices) { self.services = services }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/maintenance") { request, context in
            try await page(context: context, ended: request.uri.queryParameters.get("ended") == "1")
        }
        router.post("/maintenance/plan") { _, context in try await plan(context: context) }
        router.get("/maintenance/:number/edit") { _, context in try await editForm(context: context, refusal: nil) }
        router.post("/maintenance/:number/edit") { _, context in try await edit(context: context) }
        router.post("/maintenance/:number/cancel") { _, context in try await cancel(context: context) }
        router.post("/maintenance/hosting-lock") { _, context in try await lockHosting(context: context) }
        router.post("/maintenance/hosting-lock/release") { _, context in try await releaseHosting(context: context) }
        router.get("/maintenance/preview") { request, context in try await preview(request, context: context) }
    }

    var time: MaintenanceTime { MaintenanceTime(timeZone: services.timeZone) }
    var zoneName: String { services.timeZone.identifier }

    // MARK: The list

    func page(
        context: ConsoleRequestContext, ended: Bool = false, typed: FormFields = FormFields(), result: HTML? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = context.language
        let now = Date()
        let time = self.time
        let (windows, hostingLock) = try await services.read { hosting in
            (
                try MaintenanceSchedule(registry: hosting.registry, time: time, now: { now }).windows(
                    includeEnded: ended),
                try hosting.registry.accessLocks().first { $0.baseID == nil && $0.kind == .webmaster }
            )
        }
        let mayChange = context.session?.role.mayChange == true
        let toggle: HTML =
            ended
            ? "<p><a id=\"show-ended\" href=\"/maintenance\">\(language.text("Masquer les fenêtres terminées et annulées", "Hide finished and cancelled windows"))</a></p>"
            : "<p><a id=\"show-ended\" href=\"/maintenance?ended=1\">\(language.text("Afficher aussi les fenêtres terminées et annulées", "Also show finished and cancelled windows"))</a></p>"
        let planning: HTML =
            mayChange
            ? """
            <h2>\(language.text("Planifier une fenêtre", "Plan a window"))</h2>
            \(PlanForm(typed: typed, timeZoneName: zoneName).render(context: context))
            <p class="hint">\(language.text(
                "Prévenez ensuite les contacts : transfert letters --template maintenance-warning --ids …",
                "Then warn the contacts: transfert letters --template maintenance-warning --ids …"))</p>
            """
            : Components.notice(
                language.text(
                    "Votre compte est en lecture seule : planifier, modifier ou annuler une fenêtre est réservé aux webmestres.",
                    "Your account is read-only: planning, changing or cancelling a window is for webmasters."))
        let body: HTML = """
            \(result ?? .empty)
            <h2>\(language.text("Fenêtres", "Windows"))</h2>
            \(WindowsTable(windows: windows, now: now, time: time, timeZoneName: zoneName, includesEnded: ended).render(context: context))
            \(toggle)
            \(planning)
            <h2>\(language.text("Verrou de tout l’hébergement", "Lock on the whole hosting"))</h2>
            \(HostingLockSection(lock: hostingLock, time: time).render(context: context))
            <h2>\(language.text("Ce que voient les utilisateurs", "What users see"))</h2>
            \(previewForm(id: nil, at: nil, language: language))
            """
        return Layout.page("Maintenance", context: context, status: status, current: "/maintenance", body: body)
    }

    // MARK: Changes, each through the command line

    func plan(context: ConsoleRequestContext) async throws -> Response {
        let form = context.form ?? FormFields()
        let arguments: [String]
        do { arguments = try WindowArguments.plan(form) } catch {
            return try await page(
                context: context, typed: form, result: ambiguity(error, language: context.language),
                status: .unprocessableContent)
        }
        let result = try await services.commands.run(arguments, user: try context.signedIn.userName)
        guard result.succeeded, let report = result.decoded(as: MaintenanceWindowReport.self) else {
            return try await page(
                context: context, typed: form, result: refusal(result, language: context.language),
                status: .unprocessableContent)
        }
        return try await page(
            context: context,
            result: WindowOutcomeView(report: report, verb: .planned).render(
                language: context.language, timeZoneName: zoneName))
    }

    func editForm(context: ConsoleRequestContext, refusal: HTML?) async throws -> Response {
        let language = context.language
        let number = try windowNumber(context)
        let window = try await services.read { hosting in
            try hosting.registry.maintenanceWindows().first { $0.number == number }
        }
        guard let window else { throw HTTPError(.notFound) }
        let now = Date()
        let form: HTML =
            context.session?.role.mayChange == true && window.isOpen(at: now)
            ? EditWindowForm(window: window, dates: LocalDateTime(timeZone: services.timeZone), timeZoneName: zoneName)
                .render(context: context)
            : Components.notice(
                language.text(
                    "Cette fenêtre ne peut pas être modifiée (terminée, annulée, ou compte en lecture seule).",
                    "This window cannot be changed (finished, cancelled, or read-only account)."))
        let body: HTML = """
            \(refusal ?? .empty)
            \(WindowsTable(windows: [window], now: now, time: time, timeZoneName: zoneName, includesEnded: true).render(context: context))
            \(form)
            <p><a href="/maintenance">\(language.text("Retour aux fenêtres", "Back to the windows"))</a></p>
            """
        return Layout.page(
            language.text("Modifier la fenêtre \(number)", "Edit window \(number)"), context: context,
            status: refusal == nil ? .ok : .unprocessableContent, current: "/maintenance", body: body)
    }

    func edit(context: ConsoleRequestContext) async throws -> Response {
        let number = try windowNumber(context)
        let arguments: [String]
        do { arguments = try WindowArguments.edit(number, context.form ?? FormFields()) } catch {
            return try await editForm(context: context, refusal: ambiguity(error, language: context.language))
        }
        let result = try await services.commands.run(arguments, user: try context.signedIn.userName)
        guard result.succeeded, let report = result.decoded(as: MaintenanceWindowReport.self) else {
            return try await editForm(context: context, refusal: refusal(result, language: context.language))
        }
        return try await page(
            context: context,
            result: WindowOutcomeView(report: report, verb: .changed).render(
                language: context.language, timeZoneName: zoneName))
    }

    func cancel(context: ConsoleRequestContext) async throws -> Response {
        let number = try windowNumber(context)
        // The button is the confirmation the command asks for on a terminal.
        let result = try await services.commands.run(
            ["maintenance", "cancel", String(number), "--yes"], user: try context.signedIn.userName)
        guard result.succeeded, let report = result.decoded(as: MaintenanceWindowReport.self) else {
            return try await page(
                context: context, result: refusal(result, language: context.language), status: .unprocessableContent)
        }
        return try await page(
            context: context,
            result: WindowOutcomeView(report: report, verb: .cancelled).render(
                language: context.language, timeZoneName: zoneName))
    }

    func lockHosting(context: ConsoleRequestContext) async throws -> Response {
        let language = context.language
        var arguments = ["lock", "add", "--all"]
        // Given as typed (even empty): the command's own check names what is wrong with a reason.
        arguments.append("--reason=\(context.form?["reason"] ?? "")")
        let result = try await services.commands.run(arguments, user: try context.signedIn.userName)
        guard result.succeeded else {
            return try await page(
                context: context, result: refusal(result, language: language), status: .unprocessableContent)
        }
        return try await page(
            context: context,
            result:
                "<div id=\"maintenance-result\" class=\"success\" role=\"status\"><p>\(language.text("Tout l’hébergement est fermé : les utilisateurs lisent la raison donnée.", "The whole hosting is closed: users read the reason given."))</p></div>"
                as HTML)
    }

    func releaseHosting(context: ConsoleRequestContext) async throws -> Response {
        let language = context.language
        let result = try await services.commands.run(
            ["lock", "release", "--all", "--kind", "webmaster", "--yes"], user: try context.signedIn.userName)
        guard result.succeeded else {
            return try await page(
                context: context, result: refusal(result, language: language), status: .unprocessableContent)
        }
        return try await page(
            context: context,
            result:
                "<div id=\"maintenance-result\" class=\"success\" role=\"status\"><p>\(language.text("Verrous du webmestre levés : l’hébergement est rouvert.", "The webmaster's locks are released: the hosting is open again."))</p></div>"
                as HTML)
    }

    // MARK: Preview

    func preview(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let language = context.language
        let query = request.uri.queryParameters
        let idText = query.get("id")?.trimmingCharacters(in: .whitespaces) ?? ""
        let atText = query.get("at")?.trimmingCharacters(in: .whitespaces) ?? ""
        var status = HTTPResponse.Status.ok
        var shown: HTML = .empty
        if !idText.isEmpty {
            do {
                shown = try await previews(idText: idText, atText: atText, language: language)
            } catch let refusal as PreviewRefusal {
                status = refusal.status
                shown = "<p class=\"failure\" role=\"alert\" id=\"preview-refusal\">\(refusal.message)</p>"
            }
        }
        let body: HTML = """
            \(previewForm(id: idText, at: atText, language: language))
            <div id="preview">\(shown)</div>
            <p><a href="/maintenance">\(language.text("Retour aux fenêtres", "Back to the windows"))</a></p>
            """
        return Layout.page(
            language.text("Aperçu du portail", "Portal preview"), context: context, status: status,
            current: "/maintenance", body: body)
    }

    /// The previews of establishment `idText` now (or at `atText`) and during its next window.
    func previews(idText: String, atText: String, language: ConsoleLanguage) async throws -> HTML {
        guard let id = Int64(idText), id > 0 else {
            throw PreviewRefusal(
                status: .badRequest,
                message: language.text(
                    "« \(idText) » n’est pas un identifiant d’établissement : un entier positif, par exemple 12.",
                    "“\(idText)” is not an establishment id: a positive whole number, e.g. 12."))
        }
        let now = Date()
        var moment = now
        if !atText.isEmpty {
            do { moment = try time.parse(LocalDateTime.argument(atText), option: "at", now: now) } catch {
                throw PreviewRefusal(status: .badRequest, message: error.description)
            }
        }
        let asked = moment
        let (found, portalLanguage) = try await services.read { hosting in
            (try MaintenancePreviewReader(hosting: hosting).read(id: id, at: asked), hosting.accessSettings.language)
        }
        guard let found else {
            throw PreviewRefusal(status: .notFound, message: MaintenanceError.unknownEstablishments([id]).description)
        }
        let current = PortalPreview(
            state: found.current, wording: PortalWording(state: found.current, language: portalLanguage),
            title: atText.isEmpty
                ? language.text("Maintenant", "Now") : language.text("À l’heure demandée", "At the time asked"),
            moment: moment, time: time, identifier: "preview-now"
        ).render(language: language)
        guard let next = found.next else {
            return current
                + Components.notice(
                    language.text(
                        "Aucune fenêtre planifiée pour cet établissement après ce moment.",
                        "No window is planned for this establishment after that time."))
        }
        let during = PortalPreview(
            state: next.state, wording: PortalWording(state: next.state, language: portalLanguage),
            title: language.text(
                "Pendant la fenêtre \(next.window.number ?? 0)", "During window \(next.window.number ?? 0)"),
            moment: next.window.start, time: time, identifier: "preview-window"
        ).render(language: language)
        return current + during
    }

    struct PreviewRefusal: Error {
        var status: HTTPResponse.Status
        var message: String
    }

    func previewForm(id: String?, at: String?, language: ConsoleLanguage) -> HTML {
        """
        <form id="preview-form" method="get" action="/maintenance/preview" class="filters">
        <p><label for="preview-id">\(language.text("Établissement (id)", "Establishment (id)"))</label>
        <input id="preview-id" name="id" inputmode="numeric" value="\(id ?? "")" required></p>
        <p><label for="preview-at">\(language.text("À un autre moment (facultatif, heures de \(zoneName))", "At another time (optional, times in \(zoneName))"))</label>
        <input type="datetime-local" id="preview-at" name="at" value="\(at ?? "")"></p>
        <p><button type="submit" id="show-preview">\(language.text("Voir", "Show"))</button></p>
        </form>
        """
    }

    // MARK: Pieces

    func windowNumber(_ context: ConsoleRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("number"), let number = Int64(text), number > 0 else {
            throw HTTPError(.notFound)
        }
        return number
    }

    func refusal(_ result: CommandResult, language: ConsoleLanguage) -> HTML {
        let error =
            result.error
            ?? CommandError(
                code: "unreadable_answer", message: result.messages, exitCode: result.exitCode, location: nil,
                problems: nil)
        return
            "<div id=\"maintenance-result\" data-outcome=\"refused\">\(Components.failure(error, language: language))</div>"
    }

    func ambiguity(_ error: WindowArguments.Ambiguity, language: ConsoleLanguage) -> HTML {
        "<div id=\"maintenance-result\" data-outcome=\"refused\"><p class=\"failure\" role=\"alert\">\(language.text(error.french, error.english))</p></div>"
    }
}
