import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct InitCommand: ParsableCommand, AuditedCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a hosting: configuration, registry and the default zone.",
        discussion: "Example: transfert --hosting /srv/hosting init --name serveur-b --base-url https://b.example.org/"
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @OptionGroup var audit: AuditOptions

    @Option(name: .long, help: "This server's name, shown in letters and bundles.")
    var name: String

    @Option(name: .long, help: "The public address of the application; access links are <base-url>?id=<id>.")
    var baseURL: String

    @Option(name: .long, help: "Who signs the letters (webmaster.name in transfert.yaml).")
    var webmasterName: String = "Webmestre"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where letters come from and replies go (webmaster.email).",
            discussion: "Default: the placeholder webmestre@example.org, from which `outbox send` sends nothing."))
    var webmasterEmail: String = "webmestre@example.org"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The application profile to copy into the hosting.",
            discussion:
                "Default: $TRANSFERT_PROFILE, else the school profile built into transfert (the same as Samples/school-profile.yaml).",
            valueName: "file"))
    var profile: String?

    @Option(
        help:
            "Where the registry and the databases live: sqlite (files in the hosting), mariadb or postgres (a server).")
    var backend: BackendKind = .sqlite

    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "With --backend mariadb or postgres: the server, the operator's account and the registry database.",
            discussion:
                "mysql://USER@HOST:PORT/REGISTRY_DB, or mysql://USER@localhost/REGISTRY_DB?socket=/run/mysqld/mysqld.sock; postgres://USER@HOST:PORT/REGISTRY_DB, or postgres://USER@localhost/REGISTRY_DB?socket=/run/postgresql (the directory of the server's socket). Never a password: see --password-file.",
            valueName: "url"))
    var databaseURL: String?

    @Option(
        name: .customLong("password-file"),
        help: ArgumentHelp(
            "A file (owner-only) whose first line is the account's password; default: $TRANSFERT_DB_PASSWORD.",
            valueName: "file"))
    var passwordFile: String?

    @Option(name: .customLong("database-prefix"), help: "Prefix of the databases and accounts created on the server.")
    var databasePrefix: String = "transfert_"

    func validate() throws {
        if backend == .mariadb, databaseURL == nil {
            throw ValidationError("--backend mariadb needs --database-url mysql://USER@HOST:PORT/REGISTRY_DB")
        }
        if backend == .postgres, databaseURL == nil {
            throw ValidationError("--backend postgres needs --database-url postgres://USER@HOST:PORT/REGISTRY_DB")
        }
        if backend == .sqlite, databaseURL != nil || passwordFile != nil {
            throw ValidationError("--database-url and --password-file go with --backend mariadb or postgres")
        }
        if let databaseURL {
            do { try BackendFactory.checkDatabaseURL(databaseURL, for: backend) } catch {
                throw ValidationError("--database-url: \(error)")
            }
        }
        guard databasePrefix.range(of: "^[a-z][a-z0-9_]{0,20}$", options: .regularExpression) != nil else {
            throw ValidationError(
                "--database-prefix must be 1 to 21 lower-case letters, digits or _, starting with a letter")
        }
    }

    func run() throws {
        let profileURL = profile.map { URL(fileURLWithPath: $0) } ?? HostingLocation.profileFromEnvironment()
        var settings = BackendSettings(kind: backend)
        if let databaseURL {
            settings.database = DatabaseServerSettings(
                url: databaseURL, passwordFile: passwordFile.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
                prefix: databasePrefix)
        }
        let configuration = HostingConfiguration(
            serverName: name, baseURL: baseURL,
            webmaster: .init(name: webmasterName, email: webmasterEmail), backend: settings)
        let hosting =
            try profileURL.map {
                try Hosting.initialise(at: hostingOptions.directory, configuration: configuration, profileSource: $0)
            }
            ?? Hosting.initialise(
                at: hostingOptions.directory, configuration: configuration, profile: BuiltInProfile.text,
                profileName: BuiltInProfile.name)
        // Letters can be written (drafts) but `outbox send` refuses this sender: said now, not at sending time.
        let placeholderWarning = PlaceholderSender.reason(webmasterEmail).map { reason in
            "warning: letters will be signed \(webmasterName) <\(webmasterEmail)>, \(reason), and `transfert outbox send` will refuse to send them. Set webmaster.name and webmaster.email in \(hosting.directory.appendingPathComponent(Hosting.configurationFileName).path) (or give --webmaster-name and --webmaster-email to init)."
        }
        if output.json {
            if let placeholderWarning { printError(placeholderWarning) }
            return try printJSON([
                "directory": hosting.directory.path, "server_name": name, "base_url": baseURL,
                "fingerprint": try hosting.registry.fingerprint(), "backend": hosting.backend.name,
                "application": hosting.profile.name,
            ])
        }
        print("Created hosting \(name) in \(hosting.directory.path)")
        print("  configuration: \(hosting.directory.appendingPathComponent(Hosting.configurationFileName).path)")
        print("  profile:       \(hosting.profile.name) (schema \(hosting.profile.schemaVersion.current))")
        print(
            "  backend:       \(hosting.backend.name)\(settings.database.map { " — \(BackendFactory.serverDescription($0.url, for: backend) ?? $0.url), databases \($0.prefix)base_<id>" } ?? "")"
        )
        print("  zone 1:        \(Zone.defaultZoneName)")
        if let placeholderWarning { print(placeholderWarning) }
        if hostingOptions.chosen.source == .defaultDirectory {
            // Created in ./hosting because nothing else was said: other commands find it only from this directory.
            print(
                "Other commands find it from this directory only; elsewhere: --hosting \(hosting.directory.path), or export TRANSFERT_HOSTING=\(hosting.directory.path)"
            )
        }
    }
}

extension BackendKind: ExpressibleByArgument {}
