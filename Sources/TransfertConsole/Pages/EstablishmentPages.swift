import Foundation
import HTTPTypes
import Hummingbird
import TransfertKit
import TransfertModel

/// The establishments (`/establishments`): the list with its search, zone filter and pages; statistics;
/// add and edit; one establishment's page with its locks; its removal. Every change runs the `transfert`
/// command that makes it on a terminal (`structure add|edit|language|remove`, `lock add|release`), so the
/// checks, the words of a refusal and the operations log are the command line's, with the web user's name.
struct EstablishmentPages: ConsolePageGroup {
    let services: ConsoleServices

    init(services: ConsoleServices) { self.services = services }

    /// The job kind of a removal that verifies a bundle first (it may take minutes).
    static let removalJobKind = "structure-remove"

    static var jobPresenters: [String: JobResultPresenters.Presenter] {
        [
            removalJobKind: { job, result, _, context in
                RemovalResultView.present(job: job, result: result, context: context)
            }
        ]
    }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/establishments") { request, context in try await list(request, context: context) }
        router.get("/establishments/statistics") { _, context in try await statistics(context: context) }
        router.get("/establishments/new") { _, context in try await addForm(context: context) }
        router.post("/establishments/new") { _, context in try await add(context: context) }
        router.get("/establishments/:id") { request, context in try await detail(request, context: context) }
        router.get("/establishments/:id/edit") { _, context in try await editForm(context: context) }
        router.post("/establishments/:id/edit") { _, context in try await edit(context: context) }
        router.post("/establishments/:id/locks") { _, context in try await addLock(context: context) }
        router.post("/establishments/:id/locks/release") { _, context in try await releaseLock(context: context) }
        router.get("/establishments/:id/remove") { _, context in try await removalForm(context: context) }
        router.post("/establishments/:id/remove") { _, context in try await remove(context: context) }
    }

    // MARK: - List and statistics

    func list(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        // Read as a form's fields: a browser sends a GET form's spaces as `+`.
        let query = FormFields(encoded: request.uri.query ?? "")
        let search = EstablishmentSearch(query: query["q"], zone: query["zone"])
        let register = try await services.read { try EstablishmentRegister.read(from: $0) }
        let matched = search.matching(register.structures)
        let view = EstablishmentListView(
            register: register, search: search, matched: matched,
            slice: PageSlice(total: matched.count, requested: query["page"]),
            mayChange: context.session?.role.mayChange == true, language: context.language)
        return Layout.page(
            context.language.text("Établissements", "Establishments"), context: context, current: "/establishments",
            body: view.body)
    }

    /// `transfert stats --json`, run as a command rather than read here: it opens every establishment's
    /// database, which would hold the console's one registry-read queue (and every other page) meanwhile;
    /// and its figures and totals are the command's by construction.
    func statistics(context: ConsoleRequestContext) async throws -> Response {
        let language = context.language
        let result = try await services.commands.run(["stats"], user: try context.signedIn.userName)
        let body: HTML
        if let error = result.error {
            body = Components.failure(error, language: language)
        } else if let output = result.decoded(as: StatisticsOutput.self) {
            body = StatisticsView(output: output, profile: services.hosting.profile.statistics, language: language).body
        } else {
            body = JobResultPresenters.plain(result, language: language)
        }
        return Layout.page(
            language.text("Statistiques des établissements", "Establishments' statistics"), context: context,
            current: "/establishments", body: body)
    }

    // MARK: - Add and edit

    func addForm(context: ConsoleRequestContext) async throws -> Response {
        try requireChange(context)
        let register = try await services.read { try EstablishmentRegister.read(from: $0) }
        var form = EstablishmentForm()
        form.zone = register.zones.first.map { String($0.id) } ?? "1"
        return formPage(form: form, baseID: nil, register: register, outcome: .none, context: context)
    }

    func add(context: ConsoleRequestContext) async throws -> Response {
        let form = EstablishmentForm(context.form ?? FormFields())
        if let refused = CommandValueCheck.refusal(form.values, language: context.language) {
            let register = try await services.read { try EstablishmentRegister.read(from: $0) }
            return formPage(
                form: form, baseID: nil, register: register, outcome: refused, context: context,
                status: .unprocessableContent)
        }
        let result = try await services.commands.run(form.addArguments, user: try context.signedIn.userName)
        if result.succeeded, let added = result.decoded(as: RegisteredID.self) {
            return Self.redirect("/establishments/\(added.baseID)?done=added")
        }
        let register = try await services.read { try EstablishmentRegister.read(from: $0) }
        return formPage(
            form: form, baseID: nil, register: register, outcome: refusal(result, context: context), context: context,
            status: .unprocessableContent)
    }

    func editForm(context: ConsoleRequestContext) async throws -> Response {
        try requireChange(context)
        let (baseID, facts) = try await establishment(context)
        let register = try await services.read { try EstablishmentRegister.read(from: $0) }
        return formPage(
            form: EstablishmentForm(facts.structure, ownLanguage: facts.ownLanguage), baseID: baseID,
            register: register, outcome: .none, context: context)
    }

    /// `structure edit`, then `structure language` when the letters' language changed.
    func edit(context: ConsoleRequestContext) async throws -> Response {
        let (baseID, facts) = try await establishment(context)
        let form = EstablishmentForm(context.form ?? FormFields())
        if let refused = CommandValueCheck.refusal(form.values, language: context.language) {
            let register = try await services.read { try EstablishmentRegister.read(from: $0) }
            return formPage(
                form: form, baseID: baseID, register: register, outcome: refused, context: context,
                status: .unprocessableContent)
        }
        let user = try context.signedIn.userName
        var result = try await services.commands.run(form.editArguments(baseID: baseID), user: user)
        if result.succeeded, form.language != (facts.ownLanguage ?? "") {
            result = try await services.commands.run(form.languageArguments(baseID: baseID), user: user)
        }
        if result.succeeded { return Self.redirect("/establishments/\(baseID)?done=changed") }
        let register = try await services.read { try EstablishmentRegister.read(from: $0) }
        return formPage(
            form: form, baseID: baseID, register: register, outcome: refusal(result, context: context),
            context: context, status: .unprocessableContent)
    }

    func formPage(
        form: EstablishmentForm, baseID: Int64?, register: EstablishmentRegister, outcome: Refusal,
        context: ConsoleRequestContext, status: HTTPResponse.Status = .ok
    ) -> Response {
        let language = context.language
        let invalid = Set(outcome.fields.map(EstablishmentForm.inputName(forField:)))
        let action = baseID.map { "/establishments/\($0)/edit" } ?? "/establishments/new"
        let body: HTML = """
            \(outcome.html)
            <form method="post" action="\(action)" id="establishment-form">\(Components.csrf(context))
            \(form.fields(zones: register.zones, hostingLanguage: register.hostingLanguage, invalid: invalid, language: language))
            <p><button type="submit" id="save">\(language.text("Enregistrer", "Save"))</button>
            <a href="\(baseID.map { "/establishments/\($0)" } ?? "/establishments")">\(language.text("Annuler", "Cancel"))</a></p></form>
            """
        let title =
            baseID.map { language.text("Modifier l’établissement \($0)", "Edit establishment \($0)") }
            ?? language.text("Ajouter un établissement", "Add an establishment")
        return Layout.page(title, context: context, status: status, current: "/establishments", body: body)
    }

    // MARK: - One establishment and its locks

    func detail(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let (_, facts) = try await establishment(context)
        let language = context.language
        let outcome: HTML
        switch request.uri.queryParameters.get("done") {
        case "added": outcome = Components.notice(language.text("Établissement ajouté.", "Establishment added."))
        case "changed": outcome = Components.notice(language.text("Modifications enregistrées.", "Changes saved."))
        case "locked": outcome = Components.notice(language.text("Verrou posé.", "Lock set."))
        case "released": outcome = Components.notice(language.text("Verrou levé.", "Lock released."))
        default: outcome = .empty
        }
        return detailPage(facts: facts, outcome: outcome, context: context)
    }

    func detailPage(
        facts: EstablishmentFacts, outcome: HTML, context: ConsoleRequestContext, status: HTTPResponse.Status = .ok
    ) -> Response {
        let view = EstablishmentDetailView(
            facts: facts, outcome: outcome, mayChange: context.session?.role.mayChange == true,
            timeZone: services.timeZone, language: context.language, csrf: Components.csrf(context))
        return Layout.page(
            "\(facts.structure.baseID) — \(facts.structure.denomination)", context: context, status: status,
            current: "/establishments", body: view.body)
    }

    /// `lock add --ids N --reason=… --kind …`.
    func addLock(context: ConsoleRequestContext) async throws -> Response {
        let (baseID, _) = try await establishment(context)
        let fields = context.form ?? FormFields()
        let kind = fields["kind"] == AccessLock.Kind.administrator.rawValue ? "administrator" : "webmaster"
        if let refused = CommandValueCheck.refusal([("reason", fields["reason"] ?? "")], language: context.language) {
            let (_, facts) = try await establishment(context)
            return detailPage(facts: facts, outcome: refused.html, context: context, status: .unprocessableContent)
        }
        let arguments = [
            "lock", "add", "--ids", String(baseID), "--reason=\(fields["reason"] ?? "")", "--kind", kind,
        ]
        return try await lockChange(arguments, baseID: baseID, done: "locked", context: context)
    }

    /// `lock release --ids N --kind K --yes`: the button is the confirmation the command asks on a terminal.
    func releaseLock(context: ConsoleRequestContext) async throws -> Response {
        let (baseID, _) = try await establishment(context)
        let requested = (context.form ?? FormFields())["kind"] ?? ""
        guard let kind = AccessLock.Kind(rawValue: requested) else { throw HTTPError(.badRequest) }
        let arguments = ["lock", "release", "--ids", String(baseID), "--kind", kind.rawValue, "--yes"]
        return try await lockChange(arguments, baseID: baseID, done: "released", context: context)
    }

    func lockChange(_ arguments: [String], baseID: Int64, done: String, context: ConsoleRequestContext) async throws
        -> Response
    {
        let result = try await services.commands.run(arguments, user: try context.signedIn.userName)
        if result.succeeded { return Self.redirect("/establishments/\(baseID)?done=\(done)#locks-heading") }
        let (_, facts) = try await establishment(context)
        return detailPage(
            facts: facts, outcome: refusal(result, context: context).html, context: context,
            status: .unprocessableContent)
    }

    // MARK: - Removal

    func removalForm(context: ConsoleRequestContext) async throws -> Response {
        try requireChange(context)
        let (baseID, facts) = try await establishment(context)
        return removalPage(facts: facts, baseID: baseID, result: .empty, context: context)
    }

    /// Runs `structure remove --ids N --yes` (a confirmed move proves it) or, with a bundle of the console's
    /// exports, `--verified-by CSV ZIP --yes` as a job — only once the operator typed the establishment's id.
    /// The command keeps its own guard: without a confirmed move or a bundle that verifies, it refuses.
    func remove(context: ConsoleRequestContext) async throws -> Response {
        let (baseID, facts) = try await establishment(context)
        let language = context.language
        let fields = context.form ?? FormFields()
        let typed = fields["confirmation"]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard typed == String(baseID) else {
            let refused: HTML = """
                <div id="removal-result" class="failure" role="alert" data-outcome="not-confirmed"><p>\(language.text(
                    "Non confirmé : tapez l’id de l’établissement (\(baseID)) pour le supprimer. Rien n’a été supprimé.",
                    "Not confirmed: type the establishment's id (\(baseID)) to remove it. Nothing was removed."))</p></div>
                """
            return removalPage(
                facts: facts, baseID: baseID, result: refused, context: context, status: .unprocessableContent)
        }
        let user = try context.signedIn.userName
        if let key = fields.text("bundle") {
            guard let files = RemovalBundles(store: services.jobs.store).files(key: key, for: baseID) else {
                throw HTTPError(
                    .badRequest,
                    message: language.text("Ce lot n’est plus proposé.", "This bundle is no longer offered."))
            }
            let job = try await services.jobs.start(
                kind: Self.removalJobKind,
                title: language.text("Suppression de l’établissement \(baseID)", "Removal of establishment \(baseID)"),
                user: user,
                arguments: [
                    "structure", "remove", "--ids", String(baseID), "--verified-by", files.csv.path, files.zip.path,
                    "--yes",
                ],
                establishments: [baseID])
            return Self.redirect("/jobs/\(job.id)")
        }
        let result = try await services.commands.run(
            ["structure", "remove", "--ids", String(baseID), "--yes"], user: user)
        let outcome = RemovalResultView(result: result, language: language).body
        if result.succeeded {
            return Layout.page(
                language.text("Établissement supprimé", "Establishment removed"), context: context,
                current: "/establishments",
                body: outcome
                    + "<p><a href=\"/establishments\">\(language.text("Retour à la liste", "Back to the list"))</a></p>"
            )
        }
        return removalPage(
            facts: facts, baseID: baseID, result: outcome, context: context, status: .unprocessableContent)
    }

    func removalPage(
        facts: EstablishmentFacts, baseID: Int64, result: HTML, context: ConsoleRequestContext,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let view = RemovalView(
            facts: facts, bundles: RemovalBundles(store: services.jobs.store).bundles(for: baseID), result: result,
            timeZone: services.timeZone, language: context.language, csrf: Components.csrf(context))
        return Layout.page(
            context.language.text("Supprimer l’établissement \(baseID)", "Remove establishment \(baseID)"),
            context: context, status: status, current: "/establishments", body: view.body)
    }

    // MARK: - Shared

    /// The establishment the path names, read in one go; 404 for an id that is not one (not a number, too
    /// large, or not registered).
    func establishment(_ context: ConsoleRequestContext) async throws -> (Int64, EstablishmentFacts) {
        guard let text = context.parameters.get("id"), let baseID = Int64(text), baseID > 0 else {
            throw HTTPError(.notFound)
        }
        guard let facts = try await services.read({ try EstablishmentFacts.read(baseID: baseID, from: $0) }) else {
            throw HTTPError(.notFound)
        }
        return (baseID, facts)
    }

    /// Change forms are not shown to auditors (their posts are refused by the role middleware anyway).
    func requireChange(_ context: ConsoleRequestContext) throws {
        guard try context.signedIn.role.mayChange else {
            throw HTTPError(
                .forbidden,
                message: context.language.text(
                    "Votre compte est en lecture seule (auditeur).", "Your account is read-only (auditor)."))
        }
    }

    /// The command's refusal as the page shows it, with the fields it names (to mark the form's inputs).
    func refusal(_ result: CommandResult, context: ConsoleRequestContext) -> Refusal {
        guard let error = result.error else { return .none }
        let fields = ([error.location?.field] + (error.problems ?? []).map { $0.location?.field }).compactMap { $0 }
        return Refusal(html: Components.failure(error, language: context.language), fields: fields)
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// `structure add --json` prints the establishment registered; only its id is needed here.
    private struct RegisteredID: Decodable {
        var baseID: Int64
        enum CodingKeys: String, CodingKey { case baseID = "base_id" }
    }
}
