import Foundation
import HTTPTypes
import Hummingbird
import TransfertKit

/// Importing a bundle (`/import`): upload its CSV and ZIP, or pick them in the server's import directory;
/// see the dry run of `transfert import` row by row with every problem where the command places it;
/// start the import as a job when nothing stands in the way; then the letters to the contacts, previewed
/// before they are queued and sent. Every step is the `transfert` binary's: its checks, locks and words.
struct ImportPages: ConsolePageGroup {
    let services: ConsoleServices

    init(services: ConsoleServices) { self.services = services }

    static var jobPresenters: [String: JobResultPresenters.Presenter] {
        [ImportJob.kind: ImportResultView.present, ImportLetters.kind: LetterDeliveryView.present]
    }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/import") { _, context in choose(context: context) }
        router.post("/import/upload") { request, context in try await upload(request, context: context) }
        router.post("/import/pick") { _, context in try pick(context: context) }
        router.get("/import/letters/:job") { _, context in
            try await ImportLetters(services: services).preview(context: context)
        }
        router.post("/import/letters/:job") { _, context in
            try await ImportLetters(services: services).send(context: context)
        }
        router.get("/import/:id") { _, context in try await bundlePage(context: context, options: ImportFormOptions()) }
        router.post("/import/:id") { _, context in try await checkOrStart(context: context) }
    }

    var uploads: UploadReceiver {
        UploadReceiver(
            hosting: services.configuration.hostingDirectory,
            limitBytes: services.configuration.settings.uploadLimitBytes)
    }

    var importDirectory: ImportDirectory {
        ImportDirectory(
            url: services.configuration.settings.importDirectoryURL(hosting: services.configuration.hostingDirectory))
    }

    // MARK: Choosing the bundle

    func choose(context: ConsoleRequestContext) -> Response {
        let language = context.language
        let title = language.text("Importer", "Import")
        guard context.session?.role.mayChange == true else {
            return Layout.page(
                title, context: context, current: "/import",
                body: Components.notice(
                    language.text(
                        "Votre compte est en lecture seule (auditeur) : l’import vous est fermé.",
                        "Your account is read-only (auditor): importing is closed to you.")))
        }
        let token = context.session?.csrfToken ?? ""
        let limit = services.configuration.settings.uploadLimitBytes / 1_048_576
        let directory = importDirectory
        let options = { (names: [String]) -> HTML in
            HTML(joining: names.map { "<option value=\"\($0)\">\($0)</option>" as HTML })
        }
        let csvNames = directory.names(.csv)
        let zipNames = directory.names(.zip)
        let serverForm: HTML =
            csvNames.isEmpty || zipNames.isEmpty
            ? Components.notice(
                language.text(
                    "Le répertoire d’import du serveur (\(directory.url.path)) ne contient pas à la fois un .csv et un .zip.",
                    "The server's import directory (\(directory.url.path)) does not hold both a .csv and a .zip."))
            : """
            <form method="post" action="/import/pick" id="server-form">\(Components.csrf(context))
            <p><label for="server-csv">\(language.text("Manifeste CSV", "CSV manifest"))</label>
            <select id="server-csv" name="csv">\(options(csvNames))</select></p>
            <p><label for="server-zip">\(language.text("ZIP des sauvegardes", "ZIP of dumps"))</label>
            <select id="server-zip" name="zip">\(options(zipNames))</select></p>
            <p><button type="submit" id="pick">\(language.text("Valider ces fichiers", "Check these files"))</button></p>
            </form>
            """
        let body: HTML = """
            <p>\(language.text("Choisissez le manifeste CSV (modifié ou non) et le ZIP de l’export : la console en fait d’abord l’essai à blanc, ligne par ligne ; rien n’est importé avant que vous ne le lanciez.", "Choose the CSV manifest (edited or not) and the export's ZIP: the console first dry-runs them, row by row; nothing is imported until you start it."))</p>
            <h2>\(language.text("Envoyer les fichiers", "Upload the files"))</h2>
            <form method="post" action="/import/upload?csrf=\(token)" enctype="multipart/form-data" id="upload-form">
            <p><label for="csv">\(language.text("Manifeste CSV", "CSV manifest"))</label> <input type="file" id="csv" name="csv" accept=".csv" required></p>
            <p><label for="zip">\(language.text("ZIP des sauvegardes", "ZIP of dumps"))</label> <input type="file" id="zip" name="zip" accept=".zip" required></p>
            <p class="hint">\(language.text("Taille maximale : \(limit) Mio (console.upload_limit_mib) ; au-delà, copiez les fichiers dans le répertoire d’import du serveur.", "Largest upload: \(limit) MiB (console.upload_limit_mib); beyond, copy the files into the server's import directory."))</p>
            <p><button type="submit" id="upload">\(language.text("Envoyer", "Upload"))</button></p>
            </form>
            <h2>\(language.text("Ou les prendre sur le serveur", "Or take them on the server"))</h2>
            <p class="hint"><code>\(directory.url.path)</code></p>
            \(serverForm)
            """
        return Layout.page(title, context: context, current: "/import", body: body)
    }

    /// The two files uploaded: both there, a `.csv` and a `.zip`, and nothing else; else nothing is kept.
    func upload(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let received: ReceivedUpload
        do {
            received = try await uploads.receive(request)
        } catch let error as UploadError {
            if case .tooLarge = error { throw HTTPError(.contentTooLarge, message: error.description) }
            throw HTTPError(.badRequest, message: error.description)
        }
        let refusal: ImportBundleError?
        if received.files["csv"]?.pathExtension.lowercased() != "csv" {
            refusal = .missingFile(kind: "CSV (.csv)")
        } else if received.files["zip"]?.pathExtension.lowercased() != "zip" {
            refusal = .missingFile(kind: "ZIP (.zip)")
        } else if received.files.count != 2 {
            refusal = .missingFile(kind: "CSV and one ZIP, and no other,")
        } else {
            refusal = nil
        }
        if let refusal {
            try? FileManager.default.removeItem(at: received.directory)
            throw HTTPError(.badRequest, message: refusal.description)
        }
        return .redirect(to: "/import/\(received.id)", type: .normal)
    }

    /// Two names of the server's import directory: each must be a regular file directly in it.
    func pick(context: ConsoleRequestContext) throws -> Response {
        let form = context.form ?? FormFields()
        let directory = importDirectory
        do {
            let csv = try directory.file(named: form["csv"] ?? "", kind: .csv)
            let zip = try directory.file(named: form["zip"] ?? "", kind: .zip)
            let id = try ImportBundle.recordPick(
                csv: form["csv"] ?? csv.lastPathComponent, zip: form["zip"] ?? zip.lastPathComponent, uploads: uploads)
            return .redirect(to: "/import/\(id)", type: .normal)
        } catch let error as ImportBundleError {
            throw HTTPError(.badRequest, message: error.description)
        }
    }

    // MARK: The dry run, and the start

    func bundle(_ context: ConsoleRequestContext) throws -> ImportBundle {
        let id = context.parameters.get("id") ?? ""
        do {
            return try ImportBundle.find(id: id, uploads: uploads, directory: importDirectory)
        } catch {
            throw HTTPError(.notFound, message: error.description)
        }
    }

    func dryRun(_ bundle: ImportBundle, options: ImportFormOptions, user: String) async throws -> DryRun {
        let result = try await services.commands.run(
            ["import", bundle.csv.path, bundle.zip.path, "--dry-run"] + options.arguments, user: user)
        let csv = bundle.csv
        return try await services.read { _ in DryRun(result: result, csv: csv) }
    }

    func bundlePage(context: ConsoleRequestContext, options: ImportFormOptions) async throws -> Response {
        let bundle = try bundle(context)
        let dryRun = try await dryRun(bundle, options: options, user: try context.signedIn.userName)
        return page(bundle, dryRun: dryRun, options: options, context: context)
    }

    /// `action=check`: the dry run again with the options chosen; `action=start`: the same dry run, then the
    /// import as a job if it is clean (a bundle changed since the page was shown is caught here).
    func checkOrStart(context: ConsoleRequestContext) async throws -> Response {
        let form = context.form ?? FormFields()
        let options = ImportFormOptions(form: form)
        let bundle = try bundle(context)
        let user = try context.signedIn.userName
        let dryRun = try await dryRun(bundle, options: options, user: user)
        guard form["action"] == "start", dryRun.isClean else {
            return page(bundle, dryRun: dryRun, options: options, context: context)
        }
        let job = try await ImportJob.start(
            bundle, options: options, planned: dryRun.rows.compactMap { Int64($0.id) }, user: user, jobs: services.jobs)
        return .redirect(to: "/jobs/\(job.id)", type: .normal)
    }

    func page(_ bundle: ImportBundle, dryRun: DryRun, options: ImportFormOptions, context: ConsoleRequestContext)
        -> Response
    {
        let language = context.language
        let origin =
            bundle.uploaded
            ? language.text("envoyés par le navigateur", "uploaded from the browser")
            : language.text("pris dans le répertoire d’import du serveur", "taken from the server's import directory")
        var body: HTML = """
            <dl class="facts" id="bundle">
            <dt>\(language.text("Manifeste CSV", "CSV manifest"))</dt><dd>\(bundle.csv.lastPathComponent)</dd>
            <dt>\(language.text("ZIP des sauvegardes", "ZIP of dumps"))</dt><dd>\(bundle.zip.lastPathComponent)</dd>
            <dt>\(language.text("Origine", "Origin"))</dt><dd>\(origin)</dd></dl>
            \(DryRunView.render(dryRun, language: language))
            """
        if dryRun.isClean {
            body =
                body
                + Components.notice(
                    language.text(
                        "Essai à blanc réussi : chaque ligne est valide, rien n’a encore été importé. Les id des lignes sans Id_Import sont ceux que ce serveur choisirait maintenant.",
                        "Dry run passed: every row is valid; nothing was imported yet. Ids shown for blank Id_Import are what this server would choose now."
                    ))
        }
        if context.session?.role.mayChange == true {
            let start: HTML =
                dryRun.isClean
                ? "<button type=\"submit\" id=\"start-import\" name=\"action\" value=\"start\">\(language.text("Lancer l’import", "Start the import"))</button>"
                : .empty
            body =
                body
                    + """
                    <form method="post" action="/import/\(bundle.id)" id="import-form">\(Components.csrf(context))
                    \(options.fields(language: language))
                    <p><button type="submit" id="check-again" name="action" value="check">\(language.text("Refaire l’essai à blanc avec ces options", "Dry-run again with these options"))</button>
                    \(start)</p></form>
                    """
        }
        return Layout.page(
            language.text("Importer : essai à blanc", "Import: dry run"), context: context,
            current: "/import", body: body)
    }
}
