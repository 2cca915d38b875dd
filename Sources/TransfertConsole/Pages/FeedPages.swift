import Foundation
import HTTPTypes
import Hummingbird
import TransfertKit
import TransfertModel

/// The SIS feeds (`/feeds`, guide §19): an establishment's feed state (what `feed show` lists), an upload
/// of a Blackboard snapshot file or a OneRoster ZIP that is always tried first (`feed membership
/// --dry-run`, waited for: each row's outcome with its line and field, the totals, or the refusal — the
/// mass-disable guard with its numbers among them), then applied as a job — with `--allow-mass-disable`
/// only when the operator ticks it after seeing the guard — and the purge of old disabled records.
struct FeedPages: ConsolePageGroup {
    let services: ConsoleServices

    init(services: ConsoleServices) { self.services = services }

    static var jobPresenters: [String: JobResultPresenters.Presenter] { FeedJobPresenter.all }

    /// Records of the feed state shown at most; the course and person filters narrow.
    static let shownRecords = 1_000

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/feeds") { request, context in
            let query = request.uri.queryParameters
            return try await page(
                context: context, id: query.get("id").flatMap { FormEstablishmentID.parse($0) },
                course: query.get("course"), person: query.get("person"))
        }
        router.post("/feeds/upload") { request, context in try await upload(request, context: context) }
        router.post("/feeds/apply") { _, context in try await apply(context: context) }
        router.post("/feeds/purge") { _, context in try await purge(context: context) }
    }

    // MARK: the page

    /// The page: the establishment chooser, its feed state, the upload and purge forms; `result` is what
    /// a dry run or a purge just said, shown above them.
    func page(
        context: ConsoleRequestContext, id: Int64?, course: String? = nil, person: String? = nil, result: HTML = .empty,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = context.language
        let structures = try await services.read { try $0.registry.structures() }
        let chosen = id ?? structures.first { $0.status == .active }?.baseID
        let course = course?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        let person = person?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        let options = structures.map { structure -> HTML in
            "<option value=\"\(structure.baseID)\"\(structure.baseID == chosen ? HTML(trusted: " selected") : .empty)>\(structure.baseID) — \(structure.displayName)</option>"
        }
        var body: HTML =
            result + """
                <form method="get" action="/feeds" class="filters" id="feed-choose-form">
                <p><label for="feed-establishment">\(language.text("Établissement", "Establishment"))</label><select id="feed-establishment" name="id">\(options)</select></p>
                <p><label for="feed-course">\(language.text("Cours", "Course"))</label><input id="feed-course" name="course" value="\(course ?? "")"></p>
                <p><label for="feed-person">\(language.text("Personne", "Person"))</label><input id="feed-person" name="person" value="\(person ?? "")"></p>
                <p><button type="submit" id="feed-show">\(language.text("Afficher", "Show"))</button></p></form>
                """
        guard let chosen else {
            body = body + Components.notice(language.text("Aucun établissement.", "No establishment."))
            return Layout.page(
                language.text("Flux SIS", "SIS feeds"), context: context, status: status, current: "/feeds", body: body)
        }
        body = body + (try await state(of: chosen, course: course, person: person, language: language))
        if context.session?.role.mayChange == true {
            body = body + forms(chosen: chosen, options: structures, context: context)
        }
        return Layout.page(
            language.text("Flux SIS", "SIS feeds"), context: context, status: status, current: "/feeds", body: body)
    }

    func state(of id: Int64, course: String?, person: String?, language: ConsoleLanguage) async throws -> HTML {
        let records: [FeedMembershipState]
        do {
            records = try await services.read {
                try FeedState(hosting: $0).memberships(baseID: id, course: course, person: person)
            }
        } catch {
            return "<p class=\"failure\" role=\"alert\" id=\"feed-state-error\">\(String(describing: error))</p>"
        }
        guard !records.isEmpty else {
            return
                "<p class=\"notice\" role=\"status\" id=\"feed-state-empty\">\(language.text("Aucun enregistrement de flux pour cet établissement (ou ce filtre).", "No feed record for this establishment (or this filter)."))</p>"
        }
        let rows = records.prefix(Self.shownRecords).map { record -> HTML in
            """
            <tr data-course="\(record.course)" data-person="\(record.person)" data-status="\(record.status)">\
            <td>\(record.course)</td><td>\(record.person)</td><td>\(record.status)</td><td>\(record.available ? "Y" : "N")</td>\
            <td>\(record.role ?? "")</td><td>\(record.integration)</td><td>\(record.dataSource)</td><td>\(record.firstSeen)</td>\
            <td>\(record.lastSeen)</td><td>\(record.disabledAt ?? "")</td></tr>
            """
        }
        var html = BackupJobPresenters.table(
            id: "feed-state",
            caption: language.text(
                "État du flux de l’établissement \(id) (\(records.count) enregistrement(s))",
                "Feed state of establishment \(id) (\(records.count) record(s))"),
            headers: [
                language.text("Cours", "Course"), language.text("Personne", "Person"),
                language.text("Statut", "Status"),
                language.text("Disponible", "Available"), language.text("Rôle", "Role"),
                language.text("Intégration", "Integration"),
                language.text("Source", "Data source"), language.text("Vu la première fois", "First seen"),
                language.text("Vu la dernière fois", "Last seen"), language.text("Désactivé le", "Disabled at"),
            ], rows: Array(rows))
        if records.count > Self.shownRecords {
            html =
                html
                + Components.notice(
                    language.text(
                        "\(records.count - Self.shownRecords) enregistrement(s) de plus : filtrez par cours ou par personne.",
                        "\(records.count - Self.shownRecords) more record(s): filter by course or person."))
        }
        return html
    }

    func forms(chosen: Int64, options structures: [Structure], context: ConsoleRequestContext) -> HTML {
        let language = context.language
        let establishments = structures.filter { $0.status == .active }.map { structure -> HTML in
            "<option value=\"\(structure.baseID)\"\(structure.baseID == chosen ? HTML(trusted: " selected") : .empty)>\(structure.baseID) — \(structure.displayName)</option>"
        }
        let operations = FeedRunRequest.operations.map { "<option value=\"\($0)\">\($0)</option>" as HTML }
        return """
            <h2>\(language.text("Alimenter", "Feed"))</h2>
            <form method="post" action="/feeds/upload?csrf=\(context.session?.csrfToken ?? "")" enctype="multipart/form-data" id="feed-upload-form">
            <p><label for="feed-upload-id">\(language.text("Établissement", "Establishment"))</label><select id="feed-upload-id" name="id">\(establishments)</select></p>
            <p><label for="feed-file">\(language.text("Fichier (snapshot à barres verticales, ou ZIP OneRoster 1.1)", "File (pipe-delimited snapshot, or OneRoster 1.1 ZIP)"))</label><input type="file" id="feed-file" name="file" required></p>
            <p><label for="feed-format">\(language.text("Format", "Format"))</label><select id="feed-format" name="format"><option value="snapshot">snapshot</option><option value="oneroster">OneRoster 1.1 (ZIP)</option></select></p>
            <p><label for="feed-operation">\(language.text("Opération (snapshot ; le manifeste OneRoster dit la sienne)", "Operation (snapshot; a OneRoster manifest says its own)"))</label><select id="feed-operation" name="operation">\(operations)</select></p>
            <p><label for="feed-integration">\(language.text("Intégration", "Integration"))</label><input id="feed-integration" name="integration" value="sis"></p>
            <p><label for="feed-data-source">\(language.text("Source de données (par défaut : celle de l’intégration)", "Data source (default: the integration's)"))</label><input id="feed-data-source" name="data_source"></p>
            <p><button type="submit" id="feed-dry-run">\(language.text("Essayer (rien n’est appliqué)", "Try it (nothing is applied)"))</button></p></form>
            <h2>\(language.text("Purger", "Purge"))</h2>
            <form method="post" action="/feeds/purge" id="feed-purge-form">\(Components.csrf(context))<input type="hidden" name="id" value="\(chosen)">
            <p>\(language.text("Enregistrements désactivés avant la période de rétention, de l’établissement \(chosen).", "Records disabled before the retention period, of establishment \(chosen)."))</p>
            <p><label for="feed-older-than">\(language.text("Plus anciens que", "Older than"))</label><input id="feed-older-than" name="older_than" value="365d"></p>
            <p><button type="submit" id="feed-purge-count" name="action" value="count">\(language.text("Compter", "Count"))</button>
            <button type="submit" id="feed-purge" name="action" value="purge">\(language.text("Purger", "Purge"))</button></p></form>
            """
    }

    // MARK: dry run, then apply

    func upload(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let session = try context.signedIn
        let language = context.language
        let receiver = UploadReceiver(
            hosting: services.configuration.hostingDirectory,
            limitBytes: services.configuration.settings.uploadLimitBytes)
        let upload: ReceivedUpload
        do {
            upload = try await receiver.receive(request)
        } catch let error as UploadError {
            return try await page(
                context: context, id: nil, result: refused(error.description), status: .unprocessableContent)
        }
        let requested: FeedRunRequest
        switch FeedRunRequest.read(upload.fields, language: language) {
        case .failure(let refusal):
            try? FileManager.default.removeItem(at: upload.directory)
            return try await page(
                context: context, id: nil, result: refused(refusal.message), status: .unprocessableContent)
        case .success(let request): requested = request
        }
        // One file, under its field: the file applied later is then the one tried now, whatever else a
        // crafted form sends.
        guard let file = upload.files["file"], upload.files.count == 1 else {
            try? FileManager.default.removeItem(at: upload.directory)
            return try await page(
                context: context, id: requested.baseID,
                result: refused(language.text("Choisissez le fichier du flux.", "Choose the feed's file.")),
                status: .unprocessableContent)
        }
        let result = try await services.commands.run(
            requested.arguments(file: file, dryRun: true, allowMassDisable: false), user: session.userName)
        let shown = dryRunResult(result, request: requested, upload: upload.id, file: file, context: context)
        if result.exitCode == 1, result.error?.code != "feed.mass_disable" {
            // Refused whole: there is nothing to apply, so nothing of the upload is kept.
            try? FileManager.default.removeItem(at: upload.directory)
        }
        return try await page(
            context: context, id: requested.baseID, result: shown,
            status: result.exitCode == 1 ? .unprocessableContent : .ok)
    }

    /// The dry run's report, or its refusal; then the apply form, unless the file itself was refused.
    func dryRunResult(
        _ result: CommandResult, request: FeedRunRequest, upload: String, file: URL, context: ConsoleRequestContext
    ) -> HTML {
        let language = context.language
        var html: HTML =
            "<h2>\(language.text("Essai de « \(file.lastPathComponent) »", "Dry run of “\(file.lastPathComponent)”"))</h2>"
        var guardTripped = false
        if let report = FeedReportSummary.read(result.output) {
            html = html + FeedReportView.render(report, language: language)
        } else if let error = result.error {
            guardTripped = error.code == "feed.mass_disable"
            html =
                html
                + (guardTripped
                    ? "<div id=\"mass-disable-guard\">\(Components.failure(error, language: language))</div>"
                    : Components.failure(error, language: language))
            if !guardTripped { return "<section id=\"feed-dry-run-result\" data-outcome=\"refused\">\(html)</section>" }
        } else {
            html = html + JobResultPresenters.plain(result, language: language)
        }
        let allow: HTML =
            guardTripped
            ? """
            <p><input type="checkbox" id="allow-mass-disable" name="allow_mass_disable"><label for="allow-mass-disable">\(language.text(
                "J’ai vérifié le fichier : il est juste, laisser ce passage désactiver tous ces enregistrements.",
                "I checked the file: it is right, let this run disable all these records."))</label></p>
            """ : .empty
        return """
            <section id="feed-dry-run-result" data-outcome="\(guardTripped ? "guard" : "report")">\(html)
            <form method="post" action="/feeds/apply" id="feed-apply-form">\(Components.csrf(context))
            <input type="hidden" name="upload" value="\(upload)"><input type="hidden" name="file" value="\(file.lastPathComponent)">\(request.hiddenFields)\(allow)
            <p><button type="submit" id="feed-apply">\(language.text("Appliquer ce fichier", "Apply this file"))</button></p></form></section>
            """
    }

    func apply(context: ConsoleRequestContext) async throws -> Response {
        let session = try context.signedIn
        let language = context.language
        let form = context.form ?? FormFields()
        let requested: FeedRunRequest
        switch FeedRunRequest.read(form, language: language) {
        case .failure(let refusal):
            return try await page(
                context: context, id: nil, result: refused(refusal.message), status: .unprocessableContent)
        case .success(let request): requested = request
        }
        let receiver = UploadReceiver(
            hosting: services.configuration.hostingDirectory,
            limitBytes: services.configuration.settings.uploadLimitBytes)
        guard let uploadID = form["upload"], let name = form["file"],
            let file = receiver.files(of: uploadID).first(where: { $0.lastPathComponent == name })
        else {
            return try await page(
                context: context, id: requested.baseID,
                result: refused(
                    language.text(
                        "Le fichier essayé n’est plus sur le serveur : déposez-le de nouveau.",
                        "The file tried is no longer on the server: upload it again.")),
                status: .unprocessableContent)
        }
        let job = try await services.jobs.start(
            kind: "feed",
            title: language.text(
                "Flux SIS de l’établissement \(requested.baseID) : \(file.lastPathComponent)",
                "SIS feed of establishment \(requested.baseID): \(file.lastPathComponent)"),
            user: session.userName,
            arguments: requested.arguments(
                file: file, dryRun: false, allowMassDisable: form.isChecked("allow_mass_disable")),
            establishments: [requested.baseID], details: ["upload": uploadID])
        return .redirect(to: "/jobs/\(job.id)", type: .normal)
    }

    // MARK: purge

    private struct PurgeResult: Decodable {
        var base_id: Int64
        var purged: Int64
        var would_purge: Int64
    }

    func purge(context: ConsoleRequestContext) async throws -> Response {
        let session = try context.signedIn
        let language = context.language
        let form = context.form ?? FormFields()
        guard let id = FormEstablishmentID.parse(form["id"]) else {
            return try await page(
                context: context, id: nil,
                result: refused(language.text("Choisissez l’établissement.", "Choose the establishment.")),
                status: .unprocessableContent)
        }
        let dryRun = form["action"] != "purge"
        let olderThan = form.text("older_than") ?? "365d"
        let result = try await services.commands.run(
            ["feed", "purge", "--id", String(id), "--older-than=\(olderThan)"] + (dryRun ? ["--dry-run"] : []),
            user: session.userName)
        let shown: HTML
        if let error = result.error {
            shown =
                "<section id=\"feed-purge-result\" data-outcome=\"refused\">\(Components.failure(error, language: language))</section>"
        } else if let purged = result.decoded(as: PurgeResult.self) {
            let sentence =
                dryRun
                ? language.text(
                    "Essai : \(purged.would_purge) enregistrement(s) désactivé(s) avant \(olderThan) seraient purgés.",
                    "Dry run: \(purged.would_purge) disabled record(s) older than \(olderThan) would be purged.")
                : language.text(
                    "\(purged.purged) enregistrement(s) désactivé(s) avant \(olderThan) purgé(s).",
                    "\(purged.purged) disabled record(s) older than \(olderThan) purged.")
            shown =
                "<section id=\"feed-purge-result\" data-outcome=\"\(dryRun ? "counted" : "purged")\" data-count=\"\(dryRun ? purged.would_purge : purged.purged)\">\(Components.notice(sentence))</section>"
        } else {
            shown = JobResultPresenters.plain(result, language: language)
        }
        return try await page(
            context: context, id: id, result: shown, status: result.succeeded ? .ok : .unprocessableContent)
    }

    func refused(_ message: String) -> HTML {
        "<p class=\"failure\" role=\"alert\" id=\"feed-error\">\(message)</p>"
    }
}

extension String {
    /// `nil` for an empty string: a blank filter is no filter.
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
