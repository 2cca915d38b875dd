import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What `inspect` shows before a restore, as Moodle's confirmation step does: the bundle's details, the
/// settings it was made with, and per establishment what each content category holds.
///
/// The categories are the bundle's own (its manifest's content record); a bundle without one is grouped
/// by the inspecting hosting's profile when it declares categories, else table by table.
public struct BundleContentSummary: Codable, Sendable, Equatable {
    public var details: Details
    public var settings: Settings
    /// Where the categories come from: `bundle`, `hosting profile` or `tables`.
    public var categoriesFrom: String
    public var establishments: [EstablishmentContent]

    public struct Details: Codable, Sendable, Equatable {
        /// "transfert" or "sacoche".
        public var type: String
        public var formatVersion: Int
        public var createdAt: String
        public var toolVersion: String
        /// The establishments' schema versions, each once, in order.
        public var schemaVersions: [String]
        public var sourceServer: String
        public var sourceURL: String
        public var backend: String
        public var fingerprint: String
        /// Whether the bundle was exported by the inspecting hosting; `nil` without one (or for SACoche).
        public var comesFromThisHosting: Bool?

        enum CodingKeys: String, CodingKey {
            case type
            case formatVersion = "format_version"
            case createdAt = "created_at"
            case toolVersion = "tool_version"
            case schemaVersions = "schema_versions"
            case sourceServer = "source_server"
            case sourceURL = "source_url"
            case backend, fingerprint
            case comesFromThisHosting = "comes_from_this_hosting"
        }
    }

    public struct Settings: Codable, Sendable, Equatable {
        /// `true` when nothing was left out.
        public var complete: Bool
        public var included: [String]
        public var leftOut: [ContentSelection.LeftOut]
        public var anonymised: Bool
        public var filesIncluded: Bool

        enum CodingKeys: String, CodingKey {
            case complete, included, anonymised
            case leftOut = "left_out"
            case filesIncluded = "files_included"
        }
    }

    public struct EstablishmentContent: Codable, Sendable, Equatable {
        public var nomFichier: String
        public var baseID: Int64
        public var denomination: String
        public var categories: [CategoryContent]

        enum CodingKeys: String, CodingKey {
            case nomFichier = "nom_fichier"
            case baseID = "base_id"
            case denomination, categories
        }
    }

    public struct CategoryContent: Codable, Sendable, Equatable {
        public var name: String
        public var carried: Bool
        /// Rows of its tables in the bundle (0 for a category left out); for the files category, files.
        public var rows: Int64
        public var tables: [TableDigest]
        /// Uploaded files (the files category only).
        public var files: Int?
        /// It holds personal data: users' names, e-mails, logins… (pseudonyms in an anonymised copy).
        public var userData: Bool

        enum CodingKeys: String, CodingKey {
            case name, carried, rows, tables, files
            case userData = "user_data"
        }
    }

    public init(manifest: BundleManifest, kind: BundleKind, isThisServer: Bool?, profile: ApplicationProfile?) {
        var versions: [String] = []
        for establishment in manifest.establishments where !versions.contains(establishment.schemaVersion) {
            versions.append(establishment.schemaVersion)
        }
        details = Details(
            type: kind.rawValue, formatVersion: manifest.formatVersion, createdAt: manifest.createdAt,
            toolVersion: manifest.toolVersion, schemaVersions: versions, sourceServer: manifest.source.serverName,
            sourceURL: manifest.source.baseURL, backend: manifest.source.backend,
            fingerprint: manifest.source.fingerprint, comesFromThisHosting: isThisServer)
        let content = manifest.options.content
        settings = Settings(
            complete: content?.isComplete ?? true,
            included: content?.included ?? [], leftOut: content?.leftOut ?? [],
            anonymised: content?.anonymised ?? false, filesIncluded: manifest.options.includeFiles)

        // The categories to group by, with which hold user data.
        let categories: [ContentCategory]
        let userData: Set<String>
        if let content, !content.categories.isEmpty {
            categoriesFrom = "bundle"
            categories = content.categories
            userData = Set(content.userData ?? profile.map { $0.content.userDataCategories } ?? [])
        } else if let profile, !profile.categories.isEmpty {
            categoriesFrom = "hosting profile"
            categories = profile.categories
            userData = Set(profile.content.userDataCategories)
        } else {
            categoriesFrom = "tables"
            categories = []
            userData = Set(profile.map { Array($0.personalData.filter { !$0.value.isEmpty }.keys) } ?? [])
        }
        let carried = Set(content?.included ?? categories.map(\.name))
        establishments = manifest.establishments.map { establishment in
            var groups: [CategoryContent] = []
            var placed = Set<String>()
            for category in categories {
                if category.files {
                    groups.append(
                        CategoryContent(
                            name: category.name,
                            carried: carried.contains(category.name) && manifest.options.includeFiles,
                            rows: Int64(establishment.files.count), tables: [], files: establishment.files.count,
                            userData: userData.contains(category.name)))
                    continue
                }
                let tables = establishment.tables.filter { category.tables.contains($0.table) }
                placed.formUnion(tables.map(\.table))
                groups.append(
                    CategoryContent(
                        name: category.name, carried: carried.contains(category.name),
                        rows: tables.lazy.map(\.rows).saturatingSum(), tables: tables, files: nil,
                        userData: userData.contains(category.name)))
            }
            // Tables no category names (all of them when grouping table by table): each on its own.
            for table in establishment.tables where !placed.contains(table.table) {
                groups.append(
                    CategoryContent(
                        name: categories.isEmpty ? table.table : "(no category) \(table.table)",
                        carried: content?.carries(table: table.table) ?? true, rows: table.rows, tables: [table],
                        files: nil, userData: userData.contains(table.table)))
            }
            return EstablishmentContent(
                nomFichier: establishment.nomFichier, baseID: establishment.baseID,
                denomination: establishment.denomination, categories: groups)
        }
    }

    enum CodingKeys: String, CodingKey {
        case details, settings, establishments
        case categoriesFrom = "categories_from"
    }
}
