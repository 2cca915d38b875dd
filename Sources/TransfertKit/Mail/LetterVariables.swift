import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What a letter template can say about one establishment: the values behind `{{contact_first_name}}`,
/// `{{access_url}}`… Each name is listed, with its meaning, in ``LetterVariables/documentation`` and
/// in the user guide.
///
/// ```swift
/// let variables = try LetterVariables(structure: structure, registry: hosting.registry, configuration: hosting.configuration,
///                                     filesDirectory: hosting.filesDirectory(baseID: structure.baseID))
/// variables.accessURL          // "https://b.example.org/sacoche/?id=12"
/// variables.values["uai"]      // "0250010A", absent when the establishment has no UAI
/// ```
public struct LetterVariables: Equatable, Sendable {
    /// What it reads: the establishment's zone, and the journal that says where it came from.
    public typealias Registries = EstablishmentRegistry & TransferJournal

    public var contactFirstName: String
    public var contactLastName: String
    public var contactEmail: String
    public var establishmentName: String
    public var uai: String?
    public var place: String
    public var zone: String
    public var serverName: String
    public var baseURL: String
    public var newID: Int64
    public var accessURL: String
    /// The server it came from, when this server imported it.
    public var oldServer: String?
    /// Its id on that server.
    public var oldID: Int64?
    /// The day it was imported here, `DD/MM/YYYY`.
    public var movedOn: String?
    /// Whether its uploaded files came with it (`false` when the bundle was exported with `--no-files`).
    public var filesMoved: Bool
    public var webmasterName: String
    public var webmasterEmail: String
    public var projectSite: String?
    /// Today, `DD/MM/YYYY`.
    public var date: String
    /// The day it was imported, and today, as dates: letters write them in their own language
    /// (``LetterWriter``).
    public var movedOnDay: Date?
    public var today: Date?

    /// Every variable a letter template may use, with its meaning (the user guide shows the same table).
    public static let documentation: [(name: String, meaning: String)] = [
        ("contact_first_name", "the contact's first name (Contact_Prénom)"),
        ("contact_last_name", "the contact's last name (Contact_Nom)"),
        ("contact_email", "the contact's address, where the letter goes"),
        ("establishment_name", "the establishment's name (Dénomination)"),
        ("uai", "its UAI; absent when it has none, so {{#uai}}…{{/uai}} shows text only when there is one"),
        ("place", "its place (Localisation)"),
        ("zone", "the name of its zone on this server"),
        ("server_name", "this server's name (server_name in transfert.yaml)"),
        ("base_url", "this server's public address (base_url)"),
        ("new_id", "its id on this server"),
        ("access_url", "its access address, <base_url>?id=<new_id>"),
        ("old_server", "the server it came from (absent if it was not imported)"),
        ("old_id", "its id on that server"),
        ("moved_on", "the day it was imported here, in the letter's language: 23 novembre 2026, 23 November 2026"),
        (
            "files_moved",
            "true when its uploaded files came with it: {{#files_moved}}…{{/files_moved}}, {{^files_moved}}…{{/files_moved}}"
        ),
        ("webmaster_name", "who signs (webmaster.name)"),
        ("webmaster_email", "where replies go (webmaster.email)"),
        ("project_site", "the application's site (project_site), absent when not configured"),
        ("date", "today, in the letter's language: 25 novembre 2026, 25 November 2026"),
    ]

    /// What a letter may say about the establishment's next maintenance window (`maintenance-warning`);
    /// a template using one of them is refused for an establishment without a planned window.
    public static let maintenanceDocumentation: [(name: String, meaning: String)] = [
        ("maintenance_number", "the window's number (transfert maintenance list)"),
        ("maintenance_type", "database or deployment"),
        ("maintenance_database", "true for database maintenance: {{#maintenance_database}}…{{/maintenance_database}}"),
        ("maintenance_start_date", "the day it starts, DD/MM/YYYY in the hosting's time zone"),
        ("maintenance_start_time", "the time it starts, HH:MM"),
        ("maintenance_end_date", "the day service returns, DD/MM/YYYY"),
        ("maintenance_end_time", "the time service returns, HH:MM"),
        (
            "maintenance_warning",
            "the warning users see on the portal (\"Une phase de maintenance … aura lieu entre …\")"
        ),
        ("maintenance_message", "the operator's --message, absent when none was given"),
    ]

    /// Every variable a notification letter may use.
    public static var letterVariableNames: [String] { (documentation + maintenanceDocumentation).map(\.name) }

    /// What a newsletter template may use besides ``documentation``.
    public static let newsletterDocumentation: [(name: String, meaning: String)] = [
        ("subject", "the subject given with --subject"),
        ("message", "the text of --body-file, as written"),
    ]

    /// The values, by variable name, as the template renderer takes them. Absent values are left out so that
    /// sections on them (`{{#uai}}…{{/uai}}`) render nothing.
    public var values: [String: Any] {
        var values: [String: Any] = [
            "contact_first_name": contactFirstName, "contact_last_name": contactLastName, "contact_email": contactEmail,
            "establishment_name": establishmentName, "place": place, "zone": zone, "server_name": serverName,
            "base_url": baseURL, "new_id": String(newID), "access_url": accessURL, "files_moved": filesMoved,
            "webmaster_name": webmasterName, "webmaster_email": webmasterEmail, "date": date,
        ]
        if let uai { values["uai"] = uai }
        if let oldServer { values["old_server"] = oldServer }
        if let oldID { values["old_id"] = String(oldID) }
        if let movedOn { values["moved_on"] = movedOn }
        if let projectSite { values["project_site"] = projectSite }
        return values
    }

    public init(
        contactFirstName: String, contactLastName: String, contactEmail: String, establishmentName: String,
        uai: String?, place: String, zone: String, serverName: String, baseURL: String, newID: Int64,
        accessURL: String, oldServer: String?, oldID: Int64?, movedOn: String?, filesMoved: Bool,
        webmasterName: String, webmasterEmail: String, projectSite: String?, date: String
    ) {
        self.contactFirstName = contactFirstName
        self.contactLastName = contactLastName
        self.contactEmail = contactEmail
        self.establishmentName = establishmentName
        self.uai = uai
        self.place = place
        self.zone = zone
        self.serverName = serverName
        self.baseURL = baseURL
        self.newID = newID
        self.accessURL = accessURL
        self.oldServer = oldServer
        self.oldID = oldID
        self.movedOn = movedOn
        self.filesMoved = filesMoved
        self.webmasterName = webmasterName
        self.webmasterEmail = webmasterEmail
        self.projectSite = projectSite
        self.date = date
    }

    /// The variables of a hosted establishment, from the registry and its latest `imported` journal entry;
    /// this server's names, addresses and signature from `configuration`.
    ///
    /// Without such an entry (an establishment created here) the `old_*` and `moved_on` variables are absent
    /// and `files_moved` is true when it has uploaded files here, in `filesDirectory`.
    public init(
        structure: Structure, registry: any Registries, configuration: HostingConfiguration, filesDirectory: URL,
        today: Date = Date()
    ) throws {
        let zone = try registry.zone(id: structure.zoneID)?.name ?? "zone \(structure.zoneID)"
        let imported = try Self.importEntry(of: structure, in: registry)
        let filesMoved: Bool
        if let imported {
            filesMoved = !(imported.details ?? "").contains(JournalEntry.filesNotIncludedNote)
        } else {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: filesDirectory.path)) ?? []
            filesMoved = !files.isEmpty
        }
        self.init(
            contactFirstName: structure.contactPrenom, contactLastName: structure.contactNom,
            contactEmail: structure.contactCourriel.rawValue, establishmentName: structure.denomination,
            uai: structure.uai?.rawValue, place: structure.localisation, zone: zone,
            serverName: configuration.serverName,
            baseURL: configuration.baseURL, newID: structure.baseID,
            accessURL: configuration.accessURL(baseID: structure.baseID),
            oldServer: imported?.sourceServer, oldID: imported?.sourceBaseID,
            movedOn: imported.flatMap { ISO8601DateFormatter().date(from: $0.at) }.map(Self.frenchDate),
            filesMoved: filesMoved, webmasterName: configuration.webmaster.name,
            webmasterEmail: configuration.webmaster.email,
            projectSite: configuration.projectSite, date: Self.frenchDate(today))
        movedOnDay = imported.flatMap { ISO8601DateFormatter().date(from: $0.at) }
        self.today = today
    }

    /// The journal entry of the import that brought `structure` here under its current id, if any.
    static func importEntry(of structure: Structure, in journal: any TransferJournal) throws -> JournalEntry? {
        try journal.journal(guid: structure.guid.uuidString.lowercased())
            .last { $0.event == .imported && $0.baseID == structure.baseID }
    }

    /// `23/11/2026`, in this machine's time zone.
    static func frenchDate(_ date: Date) -> String {
        let components = Calendar(identifier: .gregorian).dateComponents(in: .current, from: date)
        return String(format: "%02d/%02d/%04d", components.day ?? 1, components.month ?? 1, components.year ?? 1970)
    }
}

extension JournalEntry {
    /// Written in the details of an `imported` entry whose bundle was exported without its files.
    public static let filesNotIncludedNote = "files not included"
    /// Written in the details of an `imported` entry whose bundle was an anonymised copy: its contact and
    /// users are pseudonyms, and `letters` refuse to write to it.
    public static let anonymisedCopyNote = "anonymised copy"
}
