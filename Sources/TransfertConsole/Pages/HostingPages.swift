import Foundation
import Hummingbird
import TransfertKit
import TransfertModel

/// The hosting at a glance (`/`): identity, backend, disk space of the hosting and of its backups, health,
/// the latest operations; and the operations log (`/operations`), filterable by command, user,
/// establishment and outcome.
struct HostingPages: ConsolePageGroup {
    let services: ConsoleServices

    init(services: ConsoleServices) { self.services = services }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/") { _, context in try await overview(context: context) }
        router.get("/operations") { request, context in operations(request, context: context) }
    }

    func overview(context: ConsoleRequestContext) async throws -> Response {
        let language = context.language
        let configuration = services.hosting.configuration
        let directory = services.configuration.hostingDirectory
        let health: HTML
        do {
            let count = try await services.read { try $0.registry.structures().count }
            health =
                "<p class=\"success\" id=\"health\">\(language.text("Le registre répond : \(count) établissement(s).", "The registry answers: \(count) establishment(s)."))</p>"
        } catch {
            health =
                "<p class=\"failure\" id=\"health\">\(language.text("Le registre ne répond pas : ", "The registry does not answer: "))\(String(describing: error))</p>"
        }
        let backups = configuration.backupSettings.directoryURL(hosting: directory)
        // What the source's operator types in Moves (`--expect-key`) to trust this server's first receipt.
        let receiptKey = (try? ReceiptKey.load(in: directory).publicKeyBase64) ?? "?"
        let facts: HTML = """
            <dl class="facts" id="identity">
            <dt>\(language.text("Serveur", "Server"))</dt><dd>\(configuration.serverName)</dd>
            <dt>\(language.text("Adresse publique", "Public address"))</dt><dd>\(configuration.baseURL)</dd>
            <dt>\(language.text("Webmestre", "Webmaster"))</dt><dd>\(configuration.webmaster.name) &lt;\(configuration.webmaster.email)&gt;</dd>
            <dt>\(language.text("Moteur", "Backend"))</dt><dd>\(configuration.backend.kind.rawValue)</dd>
            <dt>\(language.text("Application", "Application"))</dt><dd>\(services.hosting.profile.name)</dd>
            <dt>\(language.text("Fuseau horaire", "Time zone"))</dt><dd>\(configuration.timeZoneIdentifier)</dd>
            <dt>\(language.text("Répertoire", "Directory"))</dt><dd><code>\(directory.path)</code></dd>
            <dt>\(language.text("Espace libre (hébergement)", "Free space (hosting)"))</dt><dd>\(Self.freeSpace(directory))</dd>
            <dt>\(language.text("Espace libre (sauvegardes)", "Free space (backups)"))</dt><dd>\(Self.freeSpace(backups)) — <code>\(backups.path)</code></dd>
            <dt>\(language.text("Clé des reçus (à donner au serveur source)", "Receipt key (for the source server)"))</dt><dd><code id="receipt-key">\(receiptKey)</code></dd>
            </dl>
            """
        let recent = OperationLogEntries(hosting: directory).newest(limit: 10)
        let body: HTML = """
            \(health)\(facts)
            <h2>\(language.text("Dernières opérations", "Latest operations"))</h2>
            \(operationsTable(recent, language: language))
            <p><a href="/operations">\(language.text("Tout le journal des opérations", "The whole operations log"))</a></p>
            """
        return Layout.page(language.text("Hébergement", "Hosting"), context: context, current: "/", body: body)
    }

    func operations(_ request: Request, context: ConsoleRequestContext) -> Response {
        let language = context.language
        // Read as a form (a browser writes a space as `+`, which the URI's query parameters keep as a plus).
        let query = FormFields(encoded: request.uri.query ?? "")
        let command = query.text("command") ?? ""
        let user = query.text("user") ?? ""
        let establishment = query.text("establishment") ?? ""
        let outcome = query["outcome"] ?? ""
        let entries = OperationLogEntries(hosting: services.configuration.hostingDirectory).newest(limit: 500) {
            entry in
            (command.isEmpty || entry.command.localizedCaseInsensitiveContains(command))
                && (user.isEmpty || entry.user.localizedCaseInsensitiveContains(user))
                && (establishment.isEmpty || entry.establishments.contains(establishment))
                && (outcome.isEmpty || entry.outcome == outcome)
        }
        let option = { (value: String, label: String) -> HTML in
            "<option value=\"\(value)\"\(outcome == value ? HTML(trusted: " selected") : .empty)>\(label)</option>"
        }
        let body: HTML = """
            <form method="get" action="/operations" class="filters">
            <p><label for="command">\(language.text("Commande", "Command"))</label><input id="command" name="command" value="\(command)"></p>
            <p><label for="user">\(language.text("Utilisateur", "User"))</label><input id="user" name="user" value="\(user)"></p>
            <p><label for="establishment">\(language.text("Établissement (id)", "Establishment (id)"))</label><input id="establishment" name="establishment" inputmode="numeric" value="\(establishment)"></p>
            <p><label for="outcome">\(language.text("Résultat", "Outcome"))</label><select id="outcome" name="outcome">
            \(option("", language.text("tous", "any")))\(option("succeeded", language.text("réussi", "succeeded")))\(option("failed", language.text("échoué", "failed")))</select></p>
            <p><button type="submit">\(language.text("Filtrer", "Filter"))</button></p></form>
            \(operationsTable(entries, language: language))
            """
        return Layout.page(
            language.text("Journal des opérations", "Operations log"), context: context, current: "/operations",
            body: body)
    }

    func operationsTable(_ entries: [OperationLogEntries.Entry], language: ConsoleLanguage) -> HTML {
        guard !entries.isEmpty else { return Components.notice(language.text("Aucune opération.", "No operation.")) }
        return Components.table(
            caption: language.text("Opérations, les plus récentes d’abord", "Operations, newest first"),
            headers: [
                language.text("Quand", "When"), language.text("Qui", "Who"), language.text("Commande", "Command"),
                language.text("Établissements", "Establishments"), language.text("Résultat", "Outcome"),
            ],
            rows: entries.map { entry in
                [
                    "\(entry.at)", "\(entry.user)\(entry.via == "console" ? " (console)" : "")", "\(entry.command)",
                    "\(entry.establishments.joined(separator: ", "))",
                    "\(entry.outcome)\(entry.error.map { " — \($0)" } ?? "")",
                ]
            }, id: "operations")
    }

    /// "12.3 GiB free of 50.0 GiB" for the file system holding `url` (or its nearest existing parent).
    static func freeSpace(_ url: URL) -> String {
        var path = url
        while !FileManager.default.fileExists(atPath: path.path), path.pathComponents.count > 1 {
            path.deleteLastPathComponent()
        }
        var status = statvfs()
        guard statvfs(path.path, &status) == 0 else { return "?" }
        let free = Double(status.f_bavail) * Double(status.f_frsize)
        let total = Double(status.f_blocks) * Double(status.f_frsize)
        return String(format: "%.1f GiB / %.1f GiB", free / 1_073_741_824, total / 1_073_741_824)
    }
}
