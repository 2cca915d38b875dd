import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage
import Yams

/// What Transfert needs to know about the hosted application, read from a YAML file
/// (see `Samples/school-profile.yaml`).
///
/// The toolkit itself is schema-agnostic: it dumps and restores any table. The profile tells it how to
/// create an empty establishment, where the schema version lives, how to compute statistics and which
/// columns hold personal data.
public struct ApplicationProfile: Codable, Sendable, Equatable {
    public var name: String
    public var schemaVersion: SchemaVersion
    /// SQL statements creating an empty establishment database (tables, indexes, views, triggers), in the
    /// DDL dialect of the archive format (`Docs/archive-format.md` §3), or in MySQL's (``SchemaDialect``).
    public var schema: String
    /// The dialect `schema` is written in: `portable` (the default) or `mysql` (SACoche's own
    /// `CREATE TABLE` statements, re-created natively on MariaDB and faithfully elsewhere).
    public var schemaDialect: SchemaDialect?

    public enum SchemaDialect: String, Codable, Sendable {
        case portable
        case mysql
    }
    /// The figures `transfert stats` shows, in order.
    public var statistics: [Statistic]
    /// Columns holding personal data, by table, each with the shape of what it holds (what
    /// `export --anonymise` replaces). The YAML may list a table's columns (`users: [login, email]`: free
    /// text each) or map them to their kind (`users: {login: login, email: email}`).
    public var personalData: [String: [String: PersonalDataKind]]
    /// The content categories a bundle can leave out (`export --without users`); empty when the profile
    /// declares none.
    public var categories: [ContentCategory]
    /// References the schema does not declare as foreign keys (SACoche's tables declare none).
    public var references: [ImplicitReference]
    /// Natural keys `restore --merge` matches existing rows by (`users: [login]`); `nil`: no merge.
    public var merge: [String: [String]]?
    /// The checks a restore reports, as the staff would make them after one: each query returns rows of
    /// (label, count) — users per profile, members per group, grades per evaluation.
    public var restoreChecks: [RestoreCheck]
    /// Upgrades of an establishment database from an older schema version, applied by import.
    public var migrations: [Migration]?
    /// How SIS feeds map onto the establishment's tables (`feeds: membership:`); `nil`: no feed.
    public var feeds: FeedMapping?

    /// SQL (trusted: it comes from the profile) that brings a database from one schema version to the next.
    public struct Migration: Codable, Sendable, Equatable {
        public var from: String
        public var to: String
        public var sql: String
    }

    /// The migrations that bring `version` up to ``SchemaVersion/current``, in order: empty when it is
    /// current, `nil` when no chain of migrations leads there (a newer or unknown version).
    public func migrationPath(from version: String) -> [Migration]? {
        var path: [Migration] = []
        var reached = version
        while reached != schemaVersion.current {
            guard let next = (migrations ?? []).first(where: { $0.from == reached }), path.count < 1000 else {
                return nil
            }
            path.append(next)
            reached = next.to
        }
        return path
    }

    /// How a database at `version` reaches this hosting's version: the profile's migrations, none when the
    /// application upgrades an older database itself on first access (`upgraded_by_application`), or `nil`
    /// when it cannot (newer, or older with no migration). The one rule import and its prerequisites share.
    public func upgradePath(from version: String) -> [Migration]? {
        if let path = migrationPath(from: version) { return path }
        return !version.isEmpty && version < schemaVersion.current && schemaVersion.upgradedByApplication == true
            ? [] : nil
    }

    public struct SchemaVersion: Codable, Sendable, Equatable {
        /// The version a new establishment gets, and the newest this hosting can restore.
        public var current: String
        /// The table and key/value columns holding the version (`parameters.value` where `name = 'version_base'`).
        public var table: String
        public var keyColumn: String
        public var key: String
        public var valueColumn: String
        /// The application upgrades an older database itself on first access (SACoche does): a dump from
        /// an older version with no migration here is imported as it is, and the result says so.
        public var upgradedByApplication: Bool?

        enum CodingKeys: String, CodingKey {
            case current, table, key
            case keyColumn = "key_column"
            case valueColumn = "value_column"
            case upgradedByApplication = "upgraded_by_application"
        }

        /// The version stored in an establishment database, or nil when it has none.
        public func read(from reader: any EstablishmentReader) throws -> String? {
            try reader.value(in: table, column: valueColumn, where: keyColumn, is: key).textValue
        }

        /// Records `version` in an establishment database (after a migration).
        public func write(_ version: String, with writer: any EstablishmentWriter) throws {
            try writer.setValue(.text(version), in: table, column: valueColumn, where: keyColumn, is: key)
        }
    }

    /// One check shown after a restore: a query grouping rows by a label and counting them, run on the
    /// bundle's content and on the restored establishment.
    public struct RestoreCheck: Codable, Sendable, Equatable {
        public var key: String
        public var label: String
        /// Portable SQL returning two columns: a label and a count.
        public var query: String
    }

    /// What bundles need to know of this profile: categories, personal data, references, merge keys. A
    /// profile with a feed mapping places the feed's state tables (Transfert's own, created on first use)
    /// in the category of its membership table, and their person key is personal data of kind `login`:
    /// an anonymised copy gives it the same pseudonym as the person's login, so joins survive.
    public var content: ContentModel {
        var model = declaredContent
        guard let feeds else { return model }
        if let index = model.categories.firstIndex(where: { $0.tables.contains(feeds.membership.membership.table) }) {
            for table in FeedStateTables.all where !model.categories[index].tables.contains(table) {
                model.categories[index].tables.append(table)
            }
        }
        let personKind = personalData[feeds.membership.person.table]?[feeds.membership.person.key]
        model.personalData[FeedStateTables.membership] = ["person_key": personKind ?? .login]
        return model
    }

    /// The content model as the profile's keys declare it, checked against its schema.
    var declaredContent: ContentModel {
        ContentModel(
            categories: categories, personalData: personalData, references: references, mergeKeys: merge ?? [:])
    }

    public struct Statistic: Codable, Sendable, Equatable {
        /// The JSON key (`staff`, `students`…).
        public var key: String
        /// The column heading in tables.
        public var label: String
        /// A query returning one value.
        public var query: String
        /// Whether the totals row adds this figure up (`sum`), keeps its maximum (`max`), or leaves it blank.
        public var total: Total?

        public enum Total: String, Codable, Sendable { case sum, max }
    }

    enum CodingKeys: String, CodingKey {
        case name, schema, statistics, categories, references, merge
        case schemaVersion = "schema_version"
        case personalData = "personal_data"
        case migrations
        case schemaDialect = "schema_dialect"
        case restoreChecks = "restore_checks"
        case feeds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        schemaVersion = try container.decode(SchemaVersion.self, forKey: .schemaVersion)
        schema = try container.decode(String.self, forKey: .schema)
        schemaDialect = try container.decodeIfPresent(SchemaDialect.self, forKey: .schemaDialect)
        statistics = try container.decode([Statistic].self, forKey: .statistics)
        migrations = try container.decodeIfPresent([Migration].self, forKey: .migrations)
        let columns = try container.decodeIfPresent([String: PersonalDataColumns].self, forKey: .personalData) ?? [:]
        personalData = columns.mapValues(\.kinds)
        categories = try container.decodeIfPresent([ContentCategory].self, forKey: .categories) ?? []
        references = try container.decodeIfPresent([ImplicitReference].self, forKey: .references) ?? []
        merge = try container.decodeIfPresent([String: [String]].self, forKey: .merge)
        restoreChecks = try container.decodeIfPresent([RestoreCheck].self, forKey: .restoreChecks) ?? []
        feeds = try container.decodeIfPresent(FeedMapping.self, forKey: .feeds)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(schema, forKey: .schema)
        try container.encodeIfPresent(schemaDialect, forKey: .schemaDialect)
        try container.encode(statistics, forKey: .statistics)
        try container.encodeIfPresent(migrations, forKey: .migrations)
        try container.encode(personalData, forKey: .personalData)
        try container.encode(categories, forKey: .categories)
        try container.encode(references, forKey: .references)
        try container.encodeIfPresent(merge, forKey: .merge)
        try container.encode(restoreChecks, forKey: .restoreChecks)
        try container.encodeIfPresent(feeds, forKey: .feeds)
    }

    /// A table's personal-data columns as the YAML gives them: a list (each column free text) or a map
    /// from column to ``PersonalDataKind``.
    private struct PersonalDataColumns: Decodable {
        var kinds: [String: PersonalDataKind]

        init(from decoder: any Decoder) throws {
            if let list = try? decoder.singleValueContainer().decode([String].self) {
                kinds = Dictionary(list.map { ($0, PersonalDataKind.text) }, uniquingKeysWith: { first, _ in first })
            } else {
                kinds = try decoder.singleValueContainer().decode([String: PersonalDataKind].self)
            }
        }
    }

    /// The schema of a fresh establishment at the current version, as neutral values that every backend
    /// creates in its own DDL. Checked when the profile is loaded, so this does not fail afterwards.
    public var databaseSchema: DatabaseSchema {
        (try? parsedSchema()) ?? DatabaseSchema()
    }

    /// `schema`, read in its dialect.
    func parsedSchema() throws -> DatabaseSchema {
        switch schemaDialect ?? .portable {
        case .portable: return try SchemaStatementParser.parseScript(schema)
        case .mysql: return try MySQLCreateTableParser.parseScript(schema, entry: "schema")
        }
    }

    public static func load(from url: URL) throws(ConfigurationError) -> ApplicationProfile {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw .unreadable(file: url.path, reason: error.localizedDescription)
        }
        return try decode(text, file: url.path)
    }

    /// A profile from its YAML text; `file` names it in errors (a path, or the built-in profile's name).
    public static func decode(_ text: String, file: String) throws(ConfigurationError) -> ApplicationProfile {
        let profile: ApplicationProfile
        do {
            profile = try YAMLDecoder().decode(ApplicationProfile.self, from: text)
        } catch let error as DecodingError {
            throw .invalid(file: file, reason: ConfigurationError.describe(error))
        } catch {
            throw .invalid(file: file, reason: String(describing: error))
        }
        // The schema is read once here, so that a profile the archive format cannot carry is refused at
        // `init` with its line, not halfway through an import.
        do {
            let schema = try profile.parsedSchema()
            guard schema.table(named: profile.schemaVersion.table) != nil else {
                throw ConfigurationError.invalid(
                    file: file,
                    reason: "schema_version.table \(profile.schemaVersion.table) is not a table of the schema")
            }
            // Categories, personal data, references and merge keys name real tables and columns, and every
            // table is in one category: a selection never meets a table it cannot place.
            if let problem = profile.declaredContent.problems(against: schema).first {
                throw ConfigurationError.invalid(file: file, reason: problem)
            }
            if let problem = profile.feeds?.problems(against: schema).first {
                throw ConfigurationError.invalid(file: file, reason: problem)
            }
        } catch let error as SchemaScriptError {
            throw .invalid(file: file, reason: "key `schema`: \(error)")
        } catch let error as MySQLSyntaxError {
            throw .invalid(
                file: file, reason: "key `schema` (MySQL): line \(error.line), column \(error.column): \(error.message)"
            )
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw .invalid(file: file, reason: String(describing: error))
        }
        return profile
    }
}
