import Foundation
import HTTPTypes
import Hummingbird
import TransfertModel

/// Exporting establishments (`/export`): choose them (narrowed by zone and search), choose the options,
/// and start a job that runs `transfert export` into the job's own directory, then `transfert verify` of the
/// bundle it wrote. The job page shows the live progress, then the two files to download and the verdict.
/// Which options go together, and whether an establishment may be exported now (locks, maintenance
/// windows), is the command's to say: its refusal is shown in its words.
struct ExportPages: ConsolePageGroup {
    let services: ConsoleServices

    init(services: ConsoleServices) { self.services = services }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/export") { request, context in
            // Read as a form: a browser writes a space as `+`. `?ids=N` (an establishment's "Export" link)
            // lands with N ticked.
            let query = FormFields(encoded: request.uri.query ?? "")
            let checked = Set(query.all("ids").flatMap { $0.split(separator: ",") }.compactMap { Int64($0) })
            return try await page(
                context: context, zone: query["zone"].flatMap { Int64($0) }, search: query["q"] ?? "",
                selectAll: query["select"] == "all", checked: checked, refusal: nil, status: .ok)
        }
        router.post("/export") { _, context in try await start(context: context) }
    }

    static var jobPresenters: [String: JobResultPresenters.Presenter] {
        [
            "export": { job, _, services, context in
                ExportPresenter.render(job: job, store: services.jobs.store, language: context.language)
            }
        ]
    }

    // MARK: - The page

    func page(
        context: ConsoleRequestContext, zone: Int64?, search: String, selectAll: Bool, checked: Set<Int64>,
        refusal: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let language = context.language
        let list = try await ExportChoiceList.read(services, zone: zone, query: search)
        let mayChange = context.session?.role.mayChange == true
        let error: HTML =
            refusal.map { "<div class=\"failure\" role=\"alert\" id=\"export-error\"><p>\($0)</p></div>" as HTML }
            ?? .empty
        let body =
            error + narrowForm(list: list, zone: zone, search: search, language: language)
            + (mayChange
                ? exportForm(
                    list: list, zone: zone, search: search, selectAll: selectAll, checked: checked, context: context)
                : choicesTable(list: list, selectable: false, selectAll: false, checked: [], language: language)
                    + Components.notice(
                        language.text(
                            "Votre compte est en lecture seule (auditeur) : les exports se lancent depuis un compte webmestre.",
                            "Your account is read-only (auditor): exports are started from a webmaster's account.")))
        return Layout.page(
            language.text("Exporter des établissements", "Export establishments"), context: context, status: status,
            current: "/export", body: body)
    }

    /// Zone and search: a GET form, so the narrowed list has its own address.
    func narrowForm(list: ExportChoiceList, zone: Int64?, search: String, language: ConsoleLanguage) -> HTML {
        let zones = list.zones.map { item -> HTML in
            "<option value=\"\(item.id)\"\(item.id == zone ? HTML(trusted: " selected") : .empty)>\(item.id) — \(item.name)</option>"
        }
        return """
            <form method="get" action="/export" class="filters" id="narrow-form">
            <p><label for="zone">\(language.text("Zone", "Zone"))</label><select id="zone" name="zone">
            <option value="">\(language.text("toutes", "all"))</option>\(zones)</select></p>
            <p><label for="q">\(language.text("Rechercher (id, UAI, nom, ville)", "Search (id, UAI, name, town)"))</label>
            <input id="q" name="q" type="search" value="\(search)"></p>
            <p><button type="submit" id="narrow">\(language.text("Restreindre la liste", "Narrow the list"))</button></p>
            </form>
            """
    }

    func choicesTable(
        list: ExportChoiceList, selectable: Bool, selectAll: Bool, checked: Set<Int64>, language: ConsoleLanguage
    ) -> HTML {
        guard !list.choices.isEmpty else {
            return Components.notice(language.text("Aucun établissement ne correspond.", "No establishment matches."))
        }
        let rows: [[HTML]] = list.choices.map { choice in
            let structure = choice.structure
            let box: HTML =
                selectable
                ? "<input type=\"checkbox\" name=\"ids\" value=\"\(structure.baseID)\" id=\"export-id-\(structure.baseID)\"\(selectAll || checked.contains(structure.baseID) ? HTML(trusted: " checked") : .empty)>"
                : .empty
            let name: HTML =
                selectable
                ? "<label for=\"export-id-\(structure.baseID)\">\(structure.denomination)</label>"
                : "\(structure.denomination)"
            let state: String
            if let lock = choice.lock {
                state = language.text("verrouillé : \(lock)", "locked: \(lock)")
            } else if structure.status != .active {
                state = structure.status.rawValue
            } else {
                state = ""
            }
            return [
                box, "\(structure.baseID)", "\(structure.uai?.rawValue ?? "")", name, "\(structure.localisation)",
                "\(state)",
            ]
        }
        return Components.table(
            caption: language.text(
                "Établissements (\(list.choices.count)) — cochez ceux à exporter",
                "Establishments (\(list.choices.count)) — tick those to export"),
            headers: [
                language.text("Choix", "Choice"), "Id", "UAI", language.text("Dénomination", "Name"),
                language.text("Localisation", "Place"), language.text("État", "State"),
            ], rows: rows, id: "export-choices")
    }

    func exportForm(
        list: ExportChoiceList, zone: Int64?, search: String, selectAll: Bool, checked: Set<Int64>,
        context: ConsoleRequestContext
    ) -> HTML {
        let language = context.language
        var narrowed: [String] = []
        if let zone { narrowed.append("zone=\(zone)") }
        if !search.isEmpty {
            narrowed.append("q=" + (search.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        let all = "/export?" + (narrowed + ["select=all"]).joined(separator: "&")
        let none = "/export" + (narrowed.isEmpty ? "" : "?" + narrowed.joined(separator: "&"))
        let categories = services.hosting.profile.categories.map(\.name).joined(separator: ", ")
        let categoriesHint: HTML =
            categories.isEmpty
            ? "<p class=\"hint\">\(language.text("Ce profil ne déclare pas de catégories : le lot porte tout.", "This profile declares no categories: the bundle carries everything."))</p>"
            : "<p class=\"hint\">\(language.text("Catégories de ce profil : ", "This profile's categories: "))\(categories)</p>"
        return """
            <p><a href="\(all)" id="select-all">\(language.text("Tout cocher (la liste affichée)", "Tick all (the list shown)"))</a> · <a href="\(none)" id="select-none">\(language.text("Tout décocher", "Untick all"))</a></p>
            <form method="post" action="/export" id="export-form">\(Components.csrf(context))
            \(choicesTable(list: list, selectable: true, selectAll: selectAll, checked: checked, language: language))
            <fieldset><legend>\(language.text("Options", "Options"))</legend>
            <p><input type="checkbox" id="files" name="files" checked>
            <label for="files">\(language.text("Fichiers déposés par les établissements (--files) ; le format SACoche n’en porte aucun : décochez pour lui", "Files uploaded by the establishments (--files); SACoche's format carries none: untick for it"))</label></p>
            <p><input type="checkbox" id="keep-locked" name="keep_locked">
            <label for="keep-locked">\(language.text("Garder verrouillés après l’export (--keep-locked) : un vrai déménagement, plus aucune écriture ne doit suivre ; les utilisateurs voient l’établissement fermé jusqu’à sa libération", "Keep locked after the export (--keep-locked): a real move, no write may follow; users see the establishment closed until it is released"))</label></p>
            <p><label for="format">\(language.text("Format du lot", "Bundle format"))</label>
            <select id="format" name="format"><option value="transfert" selected>Transfert</option><option value="sacoche">SACoche</option></select></p>
            <p><label for="without">\(language.text("Laisser de côté les catégories (--without, séparées par des virgules)", "Leave out the categories (--without, comma-separated)"))</label>
            <input id="without" name="without"></p>
            <p><label for="only">\(language.text("Ou ne prendre que les catégories (--only)", "Or take only the categories (--only)"))</label>
            <input id="only" name="only"></p>
            \(categoriesHint)
            <p><input type="checkbox" id="anonymise" name="anonymise">
            <label for="anonymise">\(language.text("Anonymiser (--anonymise) : données personnelles remplacées par des pseudonymes ; le lot ne s’importe qu’en copie, sans lettres", "Anonymise (--anonymise): personal data replaced by pseudonyms; the bundle imports only as a copy, without letters"))</label></p>
            <p><label for="note">\(language.text("Note gardée au journal avec l’export", "Note kept in the journal with the export"))</label>
            <input id="note" name="note"></p>
            <p><input type="checkbox" id="verify-deep" name="verify_deep" checked>
            <label for="verify-deep">\(language.text("Vérifier ensuite en profondeur (--deep) : chaque sauvegarde restaurée dans une base jetable", "Then verify deeply (--deep): every dump restored into a throwaway database"))</label></p>
            </fieldset>
            <p><button type="submit" id="start-export">\(language.text("Exporter puis vérifier", "Export, then verify"))</button></p>
            </form>
            """
    }

    // MARK: - Starting the job

    func start(context: ConsoleRequestContext) async throws -> Response {
        let session = try context.signedIn
        let form = context.form ?? FormFields()
        let language = context.language
        let request: ExportRequest
        do {
            request = try ExportRequest(form: form)
        } catch {
            let checked = Set(form.all("ids").compactMap { Int64($0) })
            return try await page(
                context: context, zone: nil, search: "", selectAll: false, checked: checked,
                refusal: error.sentence(language), status: .badRequest)
        }
        let job = try await services.jobs.start(
            kind: "export", title: request.title(language),
            user: session.userName, arguments: request.exportArguments, then: [request.verifyArguments],
            establishments: request.ids, details: ["ids": request.idList, "format": request.format])
        return .redirect(to: "/jobs/\(job.id)", type: .normal)
    }
}
