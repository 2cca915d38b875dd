import Foundation
import HTTPTypes
import Hummingbird
import TransfertKit
import TransfertModel

/// The backups (`/backups`, guide §17–18): the backup directory and its free space, every backup per
/// establishment with its last good one, and the actions — the nightly run now, manual backups of chosen
/// establishments, retention (what `--dry-run` would remove, then confirmed), and a restore of a backup
/// into an establishment with its id typed again. Every action runs `transfert backup …`/`restore`
/// itself: the same locks, checks and operations log as cron's runs.
struct BackupPages: ConsolePageGroup {
    let services: ConsoleServices

    init(services: ConsoleServices) { self.services = services }

    static var jobPresenters: [String: JobResultPresenters.Presenter] { BackupJobPresenters.all }

    /// Rows of the listing shown at most (a hosting of hundreds keeps years of backups); the filter narrows.
    static let shownBackups = 1_000

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/backups") { request, context in try await list(request, context: context) }
        router.post("/backups/run") { _, context in try await startRun(context: context) }
        router.post("/backups/create") { request, context in try await create(request, context: context) }
        router.get("/backups/prune") { _, context in try await prunePreview(context: context) }
        router.post("/backups/prune") { _, context in try await prune(context: context) }
        router.get("/backups/restore") { request, context in try await restoreForm(request, context: context) }
        router.post("/backups/restore") { request, context in try await restore(request, context: context) }
    }

    // MARK: the listing

    func list(_ request: Request, context: ConsoleRequestContext, refusal: FormRefusal? = nil) async throws -> Response
    {
        let language = context.language
        let query = request.uri.queryParameters
        let idFilter = query.get("id").flatMap { FormEstablishmentID.parse($0) }
        let areaFilter = query.get("area").flatMap(BackupArea.init(rawValue:))
        let (listing, structures) = try await services.read { hosting in
            (BackupListing.read(hosting), try hosting.registry.structures())
        }
        let settings = services.hosting.configuration.backupSettings
        let mayChange = context.session?.role.mayChange == true
        var body: HTML = """
            \(refusal.map { "<p class=\"failure\" role=\"alert\" id=\"backup-error\">\($0.message)</p>" as HTML } ?? .empty)
            <dl class="facts" id="backup-directory">
            <dt>\(language.text("Répertoire des sauvegardes", "Backup directory"))</dt><dd><code>\(listing.directory.path)</code></dd>
            <dt>\(language.text("Espace libre", "Free space"))</dt><dd id="backup-free-space">\(HostingPages.freeSpace(listing.directory))</dd>
            </dl>
            """
        body = body + areas(listing, settings: settings, language: language)
        if mayChange { body = body + actions(structures: structures, context: context) }
        body = body + filter(idFilter: idFilter, areaFilter: areaFilter, structures: structures, language: language)
        let selected = listing.entries.filter {
            (idFilter == nil || $0.record.baseID == idFilter) && (areaFilter == nil || $0.record.area == areaFilter)
        }
        body = body + backupsTable(Array(selected.prefix(Self.shownBackups)), mayChange: mayChange, language: language)
        if selected.count > Self.shownBackups {
            body =
                body
                + Components.notice(
                    language.text(
                        "\(selected.count - Self.shownBackups) sauvegarde(s) de plus : filtrez par établissement ou par zone.",
                        "\(selected.count - Self.shownBackups) more backup(s): filter by establishment or area."))
        }
        for path in listing.unreadable {
            body =
                body
                + "<p class=\"failure\">\(language.text("Enregistrement illisible par cette version, laissé de côté :", "A record this version cannot read, left out:")) <code>\(path)</code></p>"
        }
        return Layout.page(
            language.text("Sauvegardes", "Backups"), context: context,
            status: refusal == nil ? .ok : .unprocessableContent,
            current: "/backups", body: body)
    }

    /// The four areas: what each holds and how long it is kept.
    func areas(_ listing: BackupListing, settings: BackupSettings, language: ConsoleLanguage) -> HTML {
        let rows = BackupArea.allCases.map { area -> HTML in
            let own = listing.entries.filter { $0.record.area == area }
            let bytes = own.reduce(Int64(0)) { $0.addingReportingOverflow($1.bytes).partialValue }
            let kept: String
            switch area {
            case .automatic:
                kept = language.text(
                    "les \(settings.automaticKept) plus récentes par établissement",
                    "the newest \(settings.automaticKept) per establishment")
            case .yearly, .manual, .private:
                kept = language.text("\(settings.retention) jours", "\(settings.retention) days")
            }
            return
                "<tr data-area=\"\(area.rawValue)\" data-count=\"\(own.count)\"><td><a href=\"/backups?area=\(area.rawValue)\">\(area.rawValue)/</a></td><td>\(own.count)</td><td>\(Set(own.map(\.record.baseID)).count)</td><td>\(ShownByteSize.text(bytes))</td><td>\(kept)</td></tr>"
        }
        return BackupJobPresenters.table(
            id: "backup-areas",
            caption: language.text("Zones du répertoire des sauvegardes", "Areas of the backup directory"),
            headers: [
                language.text("Zone", "Area"), language.text("Sauvegardes", "Backups"),
                language.text("Établissements", "Establishments"), language.text("Taille", "Size"),
                language.text("Gardées", "Kept"),
            ], rows: rows)
    }

    func actions(structures: [Structure], context: ConsoleRequestContext) -> HTML {
        let language = context.language
        let open = structures.filter { $0.status == .active }
        let boxes = open.map { structure -> HTML in
            """
            <li><input type="checkbox" name="ids" value="\(structure.baseID)" id="create-id-\(structure.baseID)">\
            <label for="create-id-\(structure.baseID)">\(structure.baseID) — \(structure.displayName)</label></li>
            """
        }
        return """
            <section id="backup-actions"><h2>\(language.text("Actions", "Actions"))</h2>
            <form method="post" action="/backups/run" id="backup-run-form">\(Components.csrf(context))
            <p>\(language.text("La sauvegarde de la nuit, maintenant : les établissements ouverts modifiés depuis leur dernière bonne sauvegarde.", "Tonight's run, now: the open establishments changed since their last good backup."))</p>
            <p><input type="checkbox" id="run-all" name="all"><label for="run-all">\(language.text("Tous, modifiés ou non (la sauvegarde annuelle, dans yearly/)", "All of them, changed or not (the yearly run, to yearly/)"))</label></p>
            <p><button type="submit" id="run-backups">\(language.text("Lancer la sauvegarde", "Run the backups"))</button></p></form>
            <form method="post" action="/backups/create" id="backup-create-form">\(Components.csrf(context))
            <fieldset><legend>\(language.text("Sauvegarde manuelle (dans manual/, ou private/ si anonymisée)", "Manual backup (to manual/, or private/ when anonymised)"))</legend>
            \(open.isEmpty ? Components.notice(language.text("Aucun établissement ouvert.", "No open establishment.")) : "<ul class=\"choices\">\(boxes)</ul>")
            <p><label for="create-without">\(language.text("Sans les catégories (ex. users,logs)", "Without the categories (e.g. users,logs)"))</label><input id="create-without" name="without"></p>
            <p><label for="create-only">\(language.text("Seulement les catégories (ex. settings,groups)", "Only the categories (e.g. settings,groups)"))</label><input id="create-only" name="only"></p>
            <p><input type="checkbox" id="create-files" name="files" checked><label for="create-files">\(language.text("Avec les fichiers déposés", "With the uploaded files"))</label></p>
            <p><input type="checkbox" id="create-anonymise" name="anonymise"><label for="create-anonymise">\(language.text("Anonymiser les données personnelles", "Anonymise personal data"))</label></p>
            <p><label for="create-note">\(language.text("Note (gardée avec la sauvegarde)", "Note (kept with the backup)"))</label><input id="create-note" name="note" maxlength="500"></p>
            <p><button type="submit" id="create-backup">\(language.text("Sauvegarder maintenant", "Back up now"))</button></p></fieldset></form>
            <p><a href="/backups/prune" id="prune-preview">\(language.text("Appliquer la rétention… (voir d’abord ce qui serait supprimé)", "Apply retention… (see first what would be removed)"))</a></p>
            </section>
            """
    }

    func filter(idFilter: Int64?, areaFilter: BackupArea?, structures: [Structure], language: ConsoleLanguage) -> HTML {
        let establishments = structures.map { structure -> HTML in
            "<option value=\"\(structure.baseID)\"\(structure.baseID == idFilter ? HTML(trusted: " selected") : .empty)>\(structure.baseID) — \(structure.displayName)</option>"
        }
        let areas = BackupArea.allCases.map { area -> HTML in
            "<option value=\"\(area.rawValue)\"\(area == areaFilter ? HTML(trusted: " selected") : .empty)>\(area.rawValue)</option>"
        }
        return """
            <h2>\(language.text("Sauvegardes, les plus récentes d’abord", "Backups, newest first"))</h2>
            <form method="get" action="/backups" class="filters" id="backup-filter">
            <p><label for="backup-id">\(language.text("Établissement", "Establishment"))</label><select id="backup-id" name="id"><option value="">\(language.text("tous", "all"))</option>\(establishments)</select></p>
            <p><label for="backup-area">\(language.text("Zone", "Area"))</label><select id="backup-area" name="area"><option value="">\(language.text("toutes", "all"))</option>\(areas)</select></p>
            <p><button type="submit" id="backup-filter-submit">\(language.text("Filtrer", "Filter"))</button></p></form>
            """
    }

    func backupsTable(_ entries: [BackupListing.Entry], mayChange: Bool, language: ConsoleLanguage) -> HTML {
        guard !entries.isEmpty else {
            return
                "<p class=\"notice\" role=\"status\" id=\"no-backup\">\(language.text("Aucune sauvegarde.", "No backup."))</p>"
        }
        let rows = entries.map { entry -> HTML in
            let record = entry.record
            let verified: String
            switch record.verification.verdict {
            case .yes: verified = language.text("oui", "yes")
            case .no: verified = language.text("non", "no")
            case .failed: verified = language.text("ÉCHEC", "FAILED")
            }
            let holds = BackupContentText.summary(
                without: record.content.without, only: record.content.only, anonymised: record.content.anonymised,
                includesFiles: record.content.includesFiles, language: language)
            let restore: HTML =
                mayChange && !record.content.anonymised
                ? "<a class=\"restore-backup\" href=\"/backups/restore?area=\(record.area.rawValue)&amp;name=\(Self.queryValue(record.name))\">\(language.text("Restaurer…", "Restore…"))</a>"
                : .empty
            return """
                <tr data-id="\(record.baseID)" data-area="\(record.area.rawValue)" data-name="\(record.name)"\(entry.isLastGood ? HTML(trusted: " class=\"last-good\"") : .empty)>\
                <td>\(record.baseID)</td><td>\(record.denomination)</td><td>\(record.area.rawValue)</td>\
                <td>\(record.createdDate.map { Components.date($0, timeZone: services.timeZone) } ?? record.created)</td>\
                <td>\(ShownByteSize.text(entry.bytes))</td><td>\(holds)</td><td>\(verified)</td>\
                <td>\(record.name)\(entry.isLastGood ? " (" + language.text("dernière bonne", "last good") + ")" : "")\(record.note.map { " — \($0)" } ?? "")</td><td>\(restore)</td></tr>
                """
        }
        return BackupJobPresenters.table(
            id: "backups", caption: language.text("Sauvegardes par établissement", "Backups per establishment"),
            headers: [
                "Id", language.text("Établissement", "Establishment"), language.text("Zone", "Area"),
                language.text("Date", "Date"), language.text("Taille", "Size"), language.text("Contenu", "Holds"),
                language.text("Vérifiée", "Verified"), language.text("Sauvegarde", "Backup"),
                language.text("Action", "Action"),
            ], rows: rows)
    }

    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
            ?? text
    }

    // MARK: run and create

    func startRun(context: ConsoleRequestContext) async throws -> Response {
        let session = try context.signedIn
        let all = context.form?.isChecked("all") == true
        let job = try await services.jobs.start(
            kind: "backup-run",
            title: all
                ? context.language.text("Sauvegarde annuelle (tous)", "Yearly backup run (all)")
                : context.language.text(
                    "Sauvegarde des établissements modifiés", "Backup run of changed establishments"),
            user: session.userName, arguments: ["backup", "run"] + (all ? ["--all"] : []))
        return .redirect(to: "/jobs/\(job.id)", type: .normal)
    }

    func create(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let session = try context.signedIn
        switch BackupCreateRequest.read(context.form ?? FormFields(), language: context.language) {
        case .failure(let refusal):
            return try await list(request, context: context, refusal: refusal)
        case .success(let create):
            let job = try await services.jobs.start(
                kind: "backup-create",
                title: context.language.text(
                    "Sauvegarde manuelle de \(create.ids.map(String.init).joined(separator: ", "))",
                    "Manual backup of \(create.ids.map(String.init).joined(separator: ", "))"),
                user: session.userName, arguments: create.arguments, establishments: create.ids)
            return .redirect(to: "/jobs/\(job.id)", type: .normal)
        }
    }

    // MARK: prune

    private struct PruneReport: Decodable {
        struct Removed: Decodable {
            var id: Int64
            var area: String
            var name: String
            var created: String
            var reason: String
        }
        var dry_run: Bool
        var removed: [Removed]
        var leftovers: [String]
        var unreadable: [String]
        var errors: [String]
    }

    /// What retention would remove (`backup prune --dry-run`, waited for: it reads records only), and the
    /// form that applies it.
    func prunePreview(context: ConsoleRequestContext) async throws -> Response {
        let session = try context.signedIn
        let language = context.language
        let result = try await services.commands.run(["backup", "prune", "--dry-run"], user: session.userName)
        var body: HTML
        if let error = result.error {
            body = Components.failure(error, language: language)
        } else if let report = result.decoded(as: PruneReport.self) {
            body = pruneTable(report, id: "prune-plan", language: language)
            if context.session?.role.mayChange == true, !(report.removed.isEmpty && report.leftovers.isEmpty) {
                body =
                    body + """
                        <form method="post" action="/backups/prune" id="prune-form">\(Components.csrf(context))
                        <p>\(language.text("La rétention est appliquée telle qu’elle est au moment de confirmer (ce qui précède, sauf une sauvegarde faite entre-temps).", "Retention is applied as it stands when you confirm (the list above, unless a backup is made meanwhile)."))</p>
                        <p><button type="submit" id="prune">\(language.text("Supprimer ces sauvegardes", "Remove these backups"))</button></p></form>
                        """
            }
        } else {
            body = JobResultPresenters.plain(result, language: language)
        }
        body =
            body + "<p><a href=\"/backups\">\(language.text("Retour aux sauvegardes", "Back to the backups"))</a></p>"
        return Layout.page(
            language.text("Rétention des sauvegardes", "Backup retention"), context: context, current: "/backups",
            body: body)
    }

    func prune(context: ConsoleRequestContext) async throws -> Response {
        let session = try context.signedIn
        let language = context.language
        let result = try await services.commands.run(["backup", "prune"], user: session.userName)
        var body: HTML = .empty
        if let error = result.error { body = Components.failure(error, language: language) }
        if let report = result.decoded(as: PruneReport.self) {
            body =
                body + "<section id=\"prune-result\">" + pruneTable(report, id: "pruned", language: language)
                + "</section>"
        } else if result.error == nil {
            body = body + JobResultPresenters.plain(result, language: language)
        }
        body =
            body + "<p><a href=\"/backups\">\(language.text("Retour aux sauvegardes", "Back to the backups"))</a></p>"
        return Layout.page(
            language.text("Rétention des sauvegardes", "Backup retention"), context: context,
            status: result.succeeded ? .ok : .unprocessableContent, current: "/backups", body: body)
    }

    private func pruneTable(_ report: PruneReport, id: String, language: ConsoleLanguage) -> HTML {
        let rows = report.removed.map { removed -> HTML in
            "<tr data-id=\"\(removed.id)\" data-name=\"\(removed.name)\"><td>\(removed.id)</td><td>\(removed.area)/</td><td>\(removed.name)</td><td>\(removed.created)</td><td>\(removed.reason)</td></tr>"
        }
        let verb =
            report.dry_run ? language.text("serait supprimé", "would be removed") : language.text("supprimé", "removed")
        var html: HTML =
            "<p id=\"\(id)-summary\">\(language.text("\(report.removed.count) sauvegarde(s) et \(report.leftovers.count) reste(s) : \(verb).", "\(report.removed.count) backup(s) and \(report.leftovers.count) leftover(s) \(verb)."))</p>"
        if !rows.isEmpty {
            html =
                html
                + BackupJobPresenters.table(
                    id: id,
                    caption: report.dry_run
                        ? language.text("Ce que la rétention supprimerait", "What retention would remove")
                        : language.text("Ce que la rétention a supprimé", "What retention removed"),
                    headers: [
                        "Id", language.text("Zone", "Area"), language.text("Sauvegarde", "Backup"),
                        language.text("Date", "Date"),
                        language.text("Raison", "Reason"),
                    ], rows: rows)
        }
        let others =
            report.leftovers.map { "<li>\(language.text("reste", "leftover")) <code>\($0)</code></li>" as HTML }
            + report.unreadable.map {
                "<li>\(language.text("illisible, laissé en place", "unreadable, left in place")) <code>\($0)</code></li>"
                    as HTML
            }
            + report.errors.map { "<li class=\"failure\">\($0)</li>" as HTML }
        if !others.isEmpty { html = html + "<ul>\(others)</ul>" }
        return html
    }

    // MARK: restore

    func backup(_ fields: (area: String?, name: String?)) async throws -> BackupListing.Entry {
        guard let area = fields.area.flatMap(BackupArea.init(rawValue:)), let name = fields.name,
            let entry = try await services.read({ BackupListing.read($0) }).entry(area: area, name: name)
        else { throw HTTPError(.notFound) }
        return entry
    }

    func restoreForm(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let entry = try await backup((query.get("area"), query.get("name")))
        return try await restorePage(entry, context: context, form: nil, refusal: nil)
    }

    func restorePage(
        _ entry: BackupListing.Entry, context: ConsoleRequestContext, form: FormFields?, refusal: FormRefusal?
    ) async throws -> Response {
        let language = context.language
        let record = entry.record
        let structures = try await services.read { try $0.registry.structures() }.filter { $0.status == .active }
        let chosen = form.flatMap { FormEstablishmentID.parse($0["into"]) } ?? record.baseID
        let mode = form?["mode"] ?? "replace"
        let options = structures.map { structure -> HTML in
            "<option value=\"\(structure.baseID)\"\(structure.baseID == chosen ? HTML(trusted: " selected") : .empty)>\(structure.baseID) — \(structure.displayName)</option>"
        }
        let checked = { (on: Bool) -> HTML in on ? HTML(trusted: " checked") : .empty }
        var body: HTML = """
            \(refusal.map { "<p class=\"failure\" role=\"alert\" id=\"restore-error\">\($0.message)</p>" as HTML } ?? .empty)
            <dl class="facts" id="restore-backup">
            <dt>\(language.text("Sauvegarde", "Backup"))</dt><dd>\(record.area.rawValue)/\(record.name)</dd>
            <dt>\(language.text("De l’établissement", "Of establishment"))</dt><dd>\(record.baseID) — \(record.denomination)</dd>
            <dt>\(language.text("Faite le", "Made"))</dt><dd>\(record.createdDate.map { Components.date($0, timeZone: services.timeZone) } ?? record.created)</dd>
            <dt>\(language.text("Contenu", "Holds"))</dt><dd>\(BackupContentText.summary(without: record.content.without, only: record.content.only, anonymised: record.content.anonymised, includesFiles: record.content.includesFiles, language: language))</dd>
            </dl>
            """
        guard context.session?.role.mayChange == true else {
            return Layout.page(
                language.text("Restaurer une sauvegarde", "Restore a backup"), context: context, current: "/backups",
                body: body)
        }
        body =
            body + """
                <form method="post" action="/backups/restore" id="restore-form">\(Components.csrf(context))
                <input type="hidden" name="area" value="\(record.area.rawValue)"><input type="hidden" name="name" value="\(record.name)">
                <p><label for="restore-into">\(language.text("Restaurer dans l’établissement", "Restore into establishment"))</label><select id="restore-into" name="into">\(options)</select></p>
                <fieldset><legend>\(language.text("Comment", "How"))</legend>
                <p><input type="radio" id="restore-replace" name="mode" value="replace"\(checked(mode != "merge"))><label for="restore-replace">\(language.text("Remplacer son contenu (une sauvegarde de sécurité est faite d’abord)", "Replace its content (a safety backup is taken first)"))</label></p>
                <p><input type="radio" id="restore-merge" name="mode" value="merge"\(checked(mode == "merge"))><label for="restore-merge">\(language.text("Fusionner : ajouter les lignes de la sauvegarde, par clés naturelles", "Merge: add the backup's rows, by natural keys"))</label></p>
                </fieldset>
                <p><input type="checkbox" id="restore-overwrite-settings" name="overwrite_settings"\(checked(form?.isChecked("overwrite_settings") == true))><label for="restore-overwrite-settings">\(language.text("Prendre les réglages de la sauvegarde (nom, lieu, UAI, paramètres)", "Take the backup's settings (name, place, UAI, parameters)"))</label></p>
                <p><label for="restore-without">\(language.text("Sans les catégories (ex. users)", "Without the categories (e.g. users)"))</label><input id="restore-without" name="without" value="\(form?["without"] ?? "")"></p>
                <p><label for="restore-only">\(language.text("Seulement les catégories", "Only the categories"))</label><input id="restore-only" name="only" value="\(form?["only"] ?? "")"></p>
                <p><label for="restore-merge-users">\(language.text("Utilisateurs déjà présents (fusion)", "Users already there (merge)"))</label><select id="restore-merge-users" name="merge_users">
                <option value="match">\(language.text("les reconnaître par leur identifiant", "match them by login"))</option>
                <option value="never"\(form?["merge_users"] == "never" ? HTML(trusted: " selected") : .empty)>\(language.text("refuser la fusion", "refuse the merge"))</option></select></p>
                <p><label for="restore-note">\(language.text("Note (gardée au journal)", "Note (kept in the journal)"))</label><input id="restore-note" name="note" maxlength="500" value="\(form?["note"] ?? "")"></p>
                <p><label for="restore-confirmation">\(language.text("Pour confirmer, tapez l’identifiant de l’établissement visé", "To confirm, type the target establishment's id"))</label>\
                <input id="restore-confirmation" name="confirmation" inputmode="numeric" autocomplete="off"></p>
                <p><button type="submit" id="restore-dry-run" name="action" value="dry-run">\(language.text("Vérifier seulement (rien ne change)", "Check only (nothing changes)"))</button>
                <button type="submit" id="restore" name="action" value="restore">\(language.text("Restaurer", "Restore"))</button></p>
                </form>
                """
        return Layout.page(
            language.text("Restaurer une sauvegarde", "Restore a backup"), context: context,
            status: refusal == nil ? .ok : .unprocessableContent, current: "/backups", body: body)
    }

    func restore(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let session = try context.signedIn
        let form = context.form ?? FormFields()
        let entry = try await backup((form["area"], form["name"]))
        switch RestoreRequest.read(form, backup: entry, language: context.language) {
        case .failure(let refusal):
            return try await restorePage(entry, context: context, form: form, refusal: refusal)
        case .success(let restore):
            let language = context.language
            let title =
                restore.dryRun
                ? language.text(
                    "Vérification de restauration dans \(restore.into)", "Restore check into \(restore.into)")
                : language.text(
                    "Restauration dans \(restore.into) (\(restore.mode == .replace ? "remplacer" : "fusionner"))",
                    "Restore into \(restore.into) (\(restore.mode.rawValue))")
            let job = try await services.jobs.start(
                kind: "restore", title: title, user: session.userName, arguments: restore.arguments,
                establishments: [restore.into],
                details: ["backup": "\(entry.record.area.rawValue)/\(entry.record.name)"])
            return .redirect(to: "/jobs/\(job.id)", type: .normal)
        }
    }
}
