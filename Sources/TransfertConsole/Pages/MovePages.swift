import Foundation
import HTTPTypes
import Hummingbird
import TransfertKit
import TransfertModel

/// Moves (`/moves`), the source's side of the end of a transfer: the target's signed receipt uploaded and
/// checked by `transfert confirm` (its establishments are then marked as moved: their old addresses
/// redirect, they may be removed here with no bundle); the moves confirmed so far; and an establishment's
/// history across servers by id, UAI or GUID (what `transfert history` reads).
struct MovePages: ConsolePageGroup {
    let services: ConsoleServices

    /// A receipt holds a few lines per establishment: a form that accepted more would only fill the disk.
    static let receiptLimitBytes: Int64 = 8 * 1_048_576

    init(services: ConsoleServices) { self.services = services }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/moves") { request, context in
            try await page(
                context: context, query: request.uri.queryParameters.get("q"), confirmation: nil, status: .ok)
        }
        router.post("/moves/receipt") { request, context in try await confirm(request, context: context) }
    }

    /// Receives the receipt, runs `transfert confirm FILE [--expect-key K] [--note N]`, shows what it said,
    /// and deletes the uploaded copy (the journal keeps the receipt's SHA-256).
    func confirm(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let session = try context.signedIn
        let language = context.language
        let receiver = UploadReceiver(
            hosting: services.configuration.hostingDirectory,
            limitBytes: min(Self.receiptLimitBytes, services.configuration.settings.uploadLimitBytes))
        let upload: ReceivedUpload
        do {
            upload = try await receiver.receive(request)
        } catch let error as UploadError {
            return try await page(
                context: context, query: nil,
                confirmation: Components.failure(UploadRefusal.error(error), language: language),
                status: UploadRefusal.status(error))
        }
        defer { try? FileManager.default.removeItem(at: upload.directory) }
        guard let file = upload.files["receipt"] else {
            let missing = CommandError(
                code: "no_receipt",
                message: language.text(
                    "aucun fichier reçu : choisissez le reçu (<nom du zip>.receipt.json) écrit par l’import sur le serveur cible",
                    "no file was received: choose the receipt (<zip name>.receipt.json) the target's import wrote"),
                exitCode: 1, location: nil, problems: nil)
            return try await page(
                context: context, query: nil, confirmation: Components.failure(missing, language: language),
                status: .badRequest)
        }
        var arguments = ["confirm", file.path]
        // `--option=value`: a value that starts with a dash is still the option's value, never an option.
        if let key = upload.fields.text("expect_key") { arguments.append("--expect-key=\(key)") }
        if let note = upload.fields.text("note") { arguments.append("--note=\(note)") }
        let result = try await services.commands.run(arguments, user: session.userName)
        let shown: HTML
        if let error = result.error {
            shown =
                "<div id=\"confirmation-result\" data-outcome=\"refused\">\(Components.failure(error, language: language))</div>"
        } else if let confirmed = result.decoded(as: MoveConfirmation.Result.self) {
            shown = ConfirmationResultView(result: confirmed).render(language: language)
        } else {
            shown = "<div id=\"confirmation-result\">\(JobResultPresenters.plain(result, language: language))</div>"
        }
        return try await page(
            context: context, query: nil, confirmation: shown, status: result.succeeded ? .ok : .unprocessableContent)
    }

    func page(context: ConsoleRequestContext, query: String?, confirmation: HTML?, status: HTTPResponse.Status)
        async throws -> Response
    {
        let language = context.language
        let zone = services.timeZone
        let time = MaintenanceTime(timeZone: zone)
        let moves = try await services.read { try $0.registry.moves() }
        let mayChange = context.session?.role.mayChange == true
        let receiptForm: HTML =
            mayChange
            ? """
            <form id="receipt-form" method="post" action="/moves/receipt?csrf=\(context.session?.csrfToken ?? "")" enctype="multipart/form-data">
            <p><label for="receipt">\(language.text("Reçu de l’import (<nom du zip>.receipt.json, écrit sur le serveur cible)", "The import's receipt (<zip name>.receipt.json, written on the target)"))</label>
            <input type="file" id="receipt" name="receipt" accept=".json,application/json" required></p>
            <p><label for="expect-key">\(language.text("Clé publique du serveur cible (« transfert info » sur la cible) — requise la première fois", "The target's public key (`transfert info` there) — needed the first time"))</label>
            <input id="expect-key" name="expect_key" autocomplete="off" spellcheck="false"></p>
            <p><label for="note">\(language.text("Note pour le journal (facultative)", "Note for the journal (optional)"))</label>
            <input id="note" name="note"></p>
            <p><button type="submit" id="confirm-receipt">\(language.text("Vérifier et confirmer", "Check and confirm"))</button></p>
            </form>
            <p class="hint">\(language.text(
                "Le reçu doit être signé par la clé de la cible, concerner un paquet exporté ici, et les bases ne doivent pas avoir changé depuis l’export : sinon rien n’est marqué et la raison s’affiche.",
                "The receipt must be signed by the target's key, be for a bundle exported here, and the databases must not have changed since the export: otherwise nothing is marked and the reason is shown."))</p>
            """
            : Components.notice(
                language.text(
                    "Votre compte est en lecture seule : la confirmation des reçus est réservée aux webmestres.",
                    "Your account is read-only: confirming receipts is for webmasters."))
        let history = try await historySection(query: query, context: context, time: time)
        let body: HTML = """
            <h2>\(language.text("Confirmer un déménagement", "Confirm a move"))</h2>
            \(receiptForm)
            \(confirmation ?? .empty)
            <h2>\(language.text("Déménagements confirmés", "Confirmed moves"))</h2>
            \(ConfirmedMovesTable(moves: moves, time: time, timeZoneName: zone.identifier).render(language: language))
            <h2 id="history-heading">\(language.text("Historique d’un établissement", "An establishment's history"))</h2>
            <form id="history-form" method="get" action="/moves" class="filters">
            <p><label for="history-query">\(language.text("Id, UAI ou GUID", "Id, UAI or GUID"))</label>
            <input id="history-query" name="q" value="\(query ?? "")" required></p>
            <p><button type="submit" id="history-search">\(language.text("Chercher", "Search"))</button></p>
            </form>
            \(history)
            """
        return Layout.page(
            language.text("Déménagements", "Moves"), context: context, status: status, current: "/moves", body: body)
    }

    /// The history the query names, or why there is none (the command line's sentence).
    func historySection(query: String?, context: ConsoleRequestContext, time: MaintenanceTime) async throws -> HTML {
        let language = context.language
        guard let query, !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .empty }
        let key: EstablishmentHistory.Key
        switch HistoryQuery.key(query, language: language) {
        case .success(let found): key = found
        case .failure(let refusal):
            return "<p class=\"failure\" role=\"alert\" id=\"history-refusal\">\(refusal.message)</p>"
        }
        let (histories, serverName) = try await services.read { hosting in
            (
                try EstablishmentHistory.find(key, in: hosting.registry, serverName: hosting.configuration.serverName),
                hosting.configuration.serverName
            )
        }
        guard !histories.isEmpty else {
            let what = HistoryQuery.describe(key)
            return """
                <p class="failure" role="alert" id="history-refusal">\(language.text(
                    "Le journal de cet hébergement ne connaît rien de \(what) (transfert journal liste ce qu’il connaît).",
                    "This hosting's journal knows nothing of \(what) (`transfert journal` lists what it knows)."))</p>
                """
        }
        return HistoryTable(
            histories: histories, serverName: serverName, time: time, timeZoneName: services.timeZone.identifier
        ).render(language: language)
    }
}
