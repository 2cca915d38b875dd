import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage
import Yams

/// The operator-edited settings of a hosting, kept in `transfert.yaml` at the hosting's root.
///
/// Every key is documented in the file `init` writes and in `Docs/user-guide.md`.
public struct HostingConfiguration: Codable, Sendable, Equatable {
    /// The name of this server, shown in letters and bundles ("the establishment now lives on …").
    public var serverName: String
    /// The public address users open; access links are `<baseURL>?id=<establishment id>`.
    public var baseURL: String
    public var webmaster: Webmaster
    public var backend: Backend
    /// The application profile, relative to the hosting directory (or absolute).
    public var applicationProfile: String
    /// The hosted application's own site, reminded at the foot of newsletters (optional).
    public var projectSite: String?
    /// The relay that delivers letters (optional: without it letters stay in the outbox).
    public var smtp: SMTPRelay?
    /// The time zone maintenance times are typed and shown in (`time_zone`, default `Europe/Paris`);
    /// the registry stores UTC.
    public var timeZoneName: String?
    /// Whether `export` and `import` refuse an establishment that no maintenance window in progress covers
    /// (`require_maintenance_window`, off by default).
    public var requireMaintenanceWindow: Bool?
    /// Seconds users already connected when a window starts (or a lock is set) keep before the
    /// application closes their session (`disconnect_after`, default 15).
    public var disconnectAfter: Int?
    /// The language of what users see — portal pages, maintenance messages — `fr` (default) or `en`.
    public var language: String?
    /// Where backups go and how long they are kept (`backup:`; optional, every key has a default).
    public var backup: BackupSettings?
    /// SIS feeds: the mass-disable guard and cross-listing (`feeds:`; every key optional).
    public var feeds: FeedSettings?
    /// The webmaster's console: uploads, sessions, TLS (`console:`; every key optional).
    public var console: ConsoleSettings?
    /// The portal: timeouts and the cap on connections (`portal:`; every key optional).
    public var portal: PortalSettings?

    /// ``console`` or the defaults.
    public var consoleSettings: ConsoleSettings { console ?? ConsoleSettings() }

    /// ``portal`` or the defaults.
    public var portalSettings: PortalSettings { portal ?? PortalSettings() }

    /// ``feeds`` or the defaults.
    public var feedSettings: FeedSettings { feeds ?? FeedSettings() }

    /// ``backup`` or its defaults.
    public var backupSettings: BackupSettings { backup ?? BackupSettings() }
    /// ``timeZoneName`` or its default.
    public var timeZoneIdentifier: String { timeZoneName ?? "Europe/Paris" }
    /// The hosting's time zone (validated when the configuration is loaded).
    public var timeZone: TimeZone { TimeZone(identifier: timeZoneIdentifier) ?? TimeZone(identifier: "UTC")! }
    /// ``disconnectAfter`` or its default.
    public var disconnectDelay: Int { disconnectAfter ?? 15 }
    /// ``language`` or its default.
    public var userLanguage: String { language ?? "fr" }
    /// The languages user-facing messages exist in.
    public static let userLanguages = ["fr", "en"]

    public struct Webmaster: Codable, Sendable, Equatable {
        public var name: String
        public var email: String
        public init(name: String, email: String) {
            self.name = name
            self.email = email
        }
    }

    /// Which backend holds the registry and the databases (see `Backends/BackendSettings.swift`).
    public typealias Backend = BackendSettings

    enum CodingKeys: String, CodingKey {
        case serverName = "server_name"
        case baseURL = "base_url"
        case webmaster, backend
        case applicationProfile = "application_profile"
        case projectSite = "project_site"
        case smtp
        case timeZoneName = "time_zone"
        case requireMaintenanceWindow = "require_maintenance_window"
        case disconnectAfter = "disconnect_after"
        case language
        case backup
        case feeds
        case console
        case portal
    }

    public init(
        serverName: String, baseURL: String, webmaster: Webmaster, backend: Backend = Backend(),
        applicationProfile: String = Hosting.profileFileName, projectSite: String? = nil, smtp: SMTPRelay? = nil,
        timeZoneName: String = "Europe/Paris", language: String = "fr", requireMaintenanceWindow: Bool = false,
        disconnectAfter: Int = 15
    ) {
        self.serverName = serverName
        self.baseURL = baseURL
        self.webmaster = webmaster
        self.backend = backend
        self.applicationProfile = applicationProfile
        self.projectSite = projectSite
        self.smtp = smtp
        // A new hosting writes every key with its value (an older one may lack them: the defaults apply).
        self.timeZoneName = timeZoneName
        self.language = language
        self.requireMaintenanceWindow = requireMaintenanceWindow
        self.disconnectAfter = disconnectAfter
    }

    /// The access URL of an establishment: `<base_url>?id=<id>` (or `&id=` when the base URL
    /// already carries a query).
    public func accessURL(baseID: Int64) -> String {
        baseURL + (baseURL.contains("?") ? "&" : "?") + "id=\(baseID)"
    }

    /// Checks the values an operator may have mistyped, naming the key.
    public func validate(file: String) throws(ConfigurationError) {
        guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", url.host != nil
        else {
            throw .invalidValue(
                file: file, key: "base_url", value: baseURL,
                expected: "an http:// or https:// address, e.g. https://sacoche.example.org/")
        }
        guard !serverName.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidValue(file: file, key: "server_name", value: serverName, expected: "a non-empty name")
        }
        do { _ = try EmailAddress(validating: webmaster.email) } catch {
            throw .invalidValue(
                file: file, key: "webmaster.email", value: webmaster.email, expected: "a valid e-mail address")
        }
        if let projectSite,
            URL(string: projectSite).flatMap({ $0.scheme?.lowercased() }).map({ $0 == "http" || $0 == "https" }) != true
        {
            throw .invalidValue(
                file: file, key: "project_site", value: projectSite, expected: "an http:// or https:// address")
        }
        try smtp?.validate(file: file)
        try feeds?.validate(file: file)
        _ = try MaintenanceTime.timeZone(named: timeZoneIdentifier, file: file)
        if let disconnectAfter, !(0...3_600).contains(disconnectAfter) {
            throw .invalidValue(
                file: file, key: "disconnect_after", value: String(disconnectAfter),
                expected: "a number of seconds from 0 to 3600")
        }
        if let language, !Self.userLanguages.contains(language) {
            throw .invalidValue(
                file: file, key: "language", value: language, expected: Self.userLanguages.joined(separator: " or "))
        }
        try backup?.validate(file: file)
        try console?.validate(file: file)
        try portal?.validate(file: file)
    }

    /// Reads and validates the configuration file at `url`.
    public static func load(from url: URL) throws(ConfigurationError) -> HostingConfiguration {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw .unreadable(file: url.path, reason: error.localizedDescription)
        }
        let configuration: HostingConfiguration
        do {
            configuration = try YAMLDecoder().decode(HostingConfiguration.self, from: text)
        } catch let error as DecodingError {
            throw ConfigurationError.decoding(error, file: url.path)
        } catch {
            throw .invalid(file: url.path, reason: String(describing: error))
        }
        try configuration.validate(file: url.path)
        return configuration
    }

    /// The file `init` writes: every key with a comment saying what it does.
    public func renderYAML() -> String {
        """
        # Transfert hosting configuration. Edit by hand; every key is described in Docs/user-guide.md.

        # Name of this server, shown in letters ("your establishment now lives on …") and in bundles.
        server_name: \(YAMLScalar.quoted(serverName))

        # Public address of the application. Access links are <base_url>?id=<establishment id>.
        base_url: \(YAMLScalar.quoted(baseURL))

        # Who signs letters and receives replies.
        webmaster:
          name: \(YAMLScalar.quoted(webmaster.name))
          email: \(YAMLScalar.quoted(webmaster.email))

        # Where the registry and the establishment databases live. `sqlite`: registry.sqlite and
        # bases/base_<id>.sqlite inside this directory.
        backend:
          \(backend.renderYAML(indent: "  "))

        # What Transfert needs to know about the hosted application (schema, version, statistics,
        # personal data). Relative to this directory.
        application_profile: \(YAMLScalar.quoted(applicationProfile))

        # The hosted application's own site, reminded at the foot of newsletters (optional).
        \(projectSite.map { "project_site: \(YAMLScalar.quoted($0))" } ?? "# project_site: \"https://sacoche.sesamath.net/\"")

        \(smtp?.renderYAML() ?? SMTPRelay.commentedExample)

        # Time zone in which maintenance windows are typed and shown (the registry keeps UTC).
        time_zone: \(YAMLScalar.quoted(timeZoneIdentifier))

        # Language of what users see: the portal's pages and maintenance messages (fr or en).
        language: \(YAMLScalar.quoted(userLanguage))

        # When true, export and import refuse establishments that no maintenance window in progress
        # covers (`transfert maintenance plan`).
        require_maintenance_window: \(requireMaintenanceWindow ?? false)

        # Seconds users already connected keep, when maintenance starts, before the application closes
        # their session (the portal's /status tells the application).
        disconnect_after: \(disconnectDelay)

        \(backup?.renderYAML() ?? BackupSettings.commentedExample)

        \(feeds?.renderYAML() ?? FeedSettings.commentedExample)

        \(console?.renderYAML() ?? ConsoleSettings.commentedExample)

        \(portal?.renderYAML() ?? PortalSettings.commentedExample)

        """
    }

}
