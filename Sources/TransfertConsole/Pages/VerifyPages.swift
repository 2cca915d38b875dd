import Foundation
import HTTPTypes
import Hummingbird

/// Verifying a bundle before anything is deleted (`/verify`): the CSV and the ZIP uploaded from the
/// operator's computer, or picked among the files copied into the server's import directory; verified by
/// `transfert verify` (deep by default: every dump restored into a scratch database) as a job whose page
/// gives the verdict and every problem with its place.
struct VerifyPages: ConsolePageGroup {
    let services: ConsoleServices

    init(services: ConsoleServices) { self.services = services }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/verify") { _, context in form(context: context, refusal: nil, status: .ok) }
        router.post("/verify/upload") { request, context in try await upload(request, context: context) }
        router.post("/verify/server") { _, context in try await server(context: context) }
    }

    static var jobPresenters: [String: JobResultPresenters.Presenter] {
        [
            "verify": { _, result, _, context in
                VerificationView.render(
                    report: result.decoded(as: VerificationReportJSON.self), error: result.error,
                    language: context.language)
            }
        ]
    }

    var serverFiles: ServerBundleFiles {
        ServerBundleFiles(
            directory: services.configuration.settings.importDirectoryURL(
                hosting: services.configuration.hostingDirectory))
    }

    var receiver: UploadReceiver {
        UploadReceiver(
            hosting: services.configuration.hostingDirectory,
            limitBytes: services.configuration.settings.uploadLimitBytes)
    }

    // MARK: - The page

    func form(context: ConsoleRequestContext, refusal: String?, status: HTTPResponse.Status) -> Response {
        let language = context.language
        let title = language.text("Vérifier un lot", "Verify a bundle")
        let why = language.text(
            "Avant de supprimer quoi que ce soit sur le serveur source, prouvez que le lot (le CSV et le ZIP) est complet et restaurable : chaque entrée est relue et comparée à son empreinte ; en vérification approfondie, chaque sauvegarde est restaurée dans une base jetable et ses lignes comparées.",
            "Before deleting anything on the source server, prove the bundle (the CSV and the ZIP) complete and restorable: every entry is read again and compared with its digest; a deep verification restores every dump into a throwaway database and compares its rows."
        )
        let explanation: HTML = "<p class=\"hint\">\(why)</p>"
        let error: HTML =
            refusal.map { "<div class=\"failure\" role=\"alert\" id=\"verify-error\"><p>\($0)</p></div>" as HTML }
            ?? .empty
        guard context.session?.role.mayChange == true else {
            let readOnly = Components.notice(
                language.text(
                    "Votre compte est en lecture seule (auditeur) : les vérifications se lancent depuis un compte webmestre ; leurs résultats sont dans les travaux.",
                    "Your account is read-only (auditor): verifications are started from a webmaster's account; their results are in the jobs."
                ))
            return Layout.page(
                title, context: context, status: status, current: "/verify", body: explanation + error + readOnly)
        }
        let limit = services.configuration.settings.uploadLimitBytes / 1_048_576
        let token = context.session?.csrfToken ?? ""
        let files = serverFiles
        let csvNames = files.names(ending: ".csv")
        let zipNames = files.names(ending: ".zip")
        let server: HTML
        if csvNames.isEmpty || zipNames.isEmpty {
            server = Components.notice(
                language.text(
                    "Aucun lot dans le répertoire d’import du serveur (\(files.directory.path)) : copiez-y le CSV et le ZIP pour les vérifier sans les envoyer.",
                    "No bundle in the server's import directory (\(files.directory.path)): copy the CSV and the ZIP there to verify them without an upload."
                ))
        } else {
            server = """
                <form method="post" action="/verify/server" id="verify-server">\(Components.csrf(context))
                <p><label for="verify-server-csv">\(language.text("Le manifeste CSV", "The CSV manifest"))</label>
                <select id="verify-server-csv" name="csv">\(options(csvNames))</select></p>
                <p><label for="verify-server-zip">\(language.text("L’archive ZIP", "The ZIP archive"))</label>
                <select id="verify-server-zip" name="zip">\(options(zipNames))</select></p>
                \(levelBoxes(prefix: "server-", language: language))
                <p><button type="submit" id="start-verify-server">\(language.text("Vérifier ces fichiers", "Verify these files"))</button></p>
                </form>
                """
        }
        let body: HTML = """
            \(explanation)\(error)
            <h2>\(language.text("Envoyer le lot depuis votre ordinateur", "Upload the bundle from your computer"))</h2>
            <form method="post" action="/verify/upload?csrf=\(token)" enctype="multipart/form-data" id="verify-upload">
            <p><label for="verify-csv">\(language.text("Le manifeste CSV", "The CSV manifest"))</label>
            <input type="file" id="verify-csv" name="csv" accept=".csv,text/csv" required></p>
            <p><label for="verify-zip">\(language.text("L’archive ZIP", "The ZIP archive"))</label>
            <input type="file" id="verify-zip" name="zip" accept=".zip,application/zip" required></p>
            <p class="hint">\(language.text("Au plus \(limit) Mio en tout (console.upload_limit_mib) ; au-delà, copiez les fichiers dans le répertoire d’import du serveur.", "At most \(limit) MiB in all (console.upload_limit_mib); beyond, copy the files into the server's import directory."))</p>
            \(levelBoxes(prefix: "", language: language))
            <p><button type="submit" id="start-verify">\(language.text("Envoyer et vérifier", "Upload and verify"))</button></p>
            </form>
            <h2>\(language.text("Ou choisir des fichiers du serveur", "Or pick files on the server"))</h2>
            \(server)
            """
        return Layout.page(title, context: context, status: status, current: "/verify", body: body)
    }

    /// `--deep` (checked) and `--against-source`, with what each costs and proves.
    func levelBoxes(prefix: String, language: ConsoleLanguage) -> HTML {
        """
        <p><input type="checkbox" id="\(prefix)deep" name="deep" checked>
        <label for="\(prefix)deep">\(language.text("Vérification approfondie (--deep) : restaurer chaque sauvegarde et comparer ses lignes (plus long)", "Deep verification (--deep): restore every dump and compare its rows (longer)"))</label></p>
        <p><input type="checkbox" id="\(prefix)against-source" name="against_source">
        <label for="\(prefix)against-source">\(language.text("Comparer aussi aux établissements encore hébergés ici (--against-source) : toute écriture depuis l’export apparaît", "Also compare with the establishments still hosted here (--against-source): any write since the export shows"))</label></p>
        """
    }

    func options(_ names: [String]) -> HTML {
        HTML(joining: names.map { "<option value=\"\($0)\">\($0)</option>" as HTML })
    }

    // MARK: - Starting a verification

    func upload(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let session = try context.signedIn
        let language = context.language
        let received: ReceivedUpload
        do {
            received = try await receiver.receive(request)
        } catch let error as UploadError {
            return form(context: context, refusal: error.description, status: UploadRefusalStatus.status(of: error))
        }
        guard let csv = received.files["csv"], let zip = received.files["zip"], csv != zip else {
            try? FileManager.default.removeItem(at: received.directory)
            return form(
                context: context,
                refusal: language.text(
                    "Choisissez les deux fichiers du lot, le CSV et le ZIP, sous deux noms différents.",
                    "Choose both files of the bundle, the CSV and the ZIP, under two different names."),
                status: .badRequest)
        }
        let job: ConsoleJob
        do {
            job = try await start(
                csv: csv, zip: zip, deep: received.fields.isChecked("deep"),
                againstSource: received.fields.isChecked("against_source"), user: session.userName, language: language,
                details: ["upload": received.id])
        } catch {
            try? FileManager.default.removeItem(at: received.directory)
            throw error
        }
        // The uploaded copy is only for this verification: it goes when the job ends.
        let jobs = services.jobs
        let directory = received.directory
        Task.detached {
            _ = try? await jobs.wait(for: job.id, pollEvery: .seconds(1))
            try? FileManager.default.removeItem(at: directory)
        }
        return .redirect(to: "/jobs/\(job.id)", type: .normal)
    }

    func server(context: ConsoleRequestContext) async throws -> Response {
        let session = try context.signedIn
        let form = context.form ?? FormFields()
        let files = serverFiles
        let csv: URL
        let zip: URL
        do {
            csv = try files.resolve(form["csv"] ?? "")
            zip = try files.resolve(form["zip"] ?? "")
        } catch {
            return self.form(context: context, refusal: error.description, status: .badRequest)
        }
        let job = try await start(
            csv: csv, zip: zip, deep: form.isChecked("deep"), againstSource: form.isChecked("against_source"),
            user: session.userName, language: context.language,
            details: ["csv": csv.lastPathComponent, "zip": zip.lastPathComponent])
        return .redirect(to: "/jobs/\(job.id)", type: .normal)
    }

    func start(
        csv: URL, zip: URL, deep: Bool, againstSource: Bool, user: String, language: ConsoleLanguage,
        details: [String: String]
    ) async throws -> ConsoleJob {
        var arguments = ["verify", "--progress", "json"]
        if deep { arguments.append("--deep") }
        if againstSource { arguments.append("--against-source") }
        // `--`: whatever the files are called, they are files, never options.
        arguments += ["--", csv.path, zip.path]
        return try await services.jobs.start(
            kind: "verify",
            title: language.text(
                "Vérification de \(zip.lastPathComponent)", "Verification of \(zip.lastPathComponent)"),
            user: user, arguments: arguments, details: details)
    }
}
