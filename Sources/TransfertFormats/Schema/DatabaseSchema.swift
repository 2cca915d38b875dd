import Foundation
import TransfertModel

/// Everything an establishment database declares: tables (with their constraints and indexes), views
/// and triggers. Backends create a database from it and read it back from a database; the archive format
/// carries it as DDL (`Docs/archive-format.md` §3).
public struct DatabaseSchema: Codable, Equatable, Sendable {
    /// Tables by name order.
    public var tables: [TableSchema]
    public var views: [ViewSchema]
    public var triggers: [TriggerSchema]

    public init(tables: [TableSchema] = [], views: [ViewSchema] = [], triggers: [TriggerSchema] = []) {
        self.tables = tables
        self.views = views
        self.triggers = triggers
    }

    /// The schema a DDL script declares (see ``SchemaStatementParser/parseScript(_:)``).
    ///
    /// ```swift
    /// let schema = try DatabaseSchema(parsing: "CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT NOT NULL);")
    /// ```
    public init(parsing script: String) throws(SchemaScriptError) {
        self = try SchemaStatementParser.parseScript(script)
    }

    public func table(named name: String) -> TableSchema? {
        tables.first { $0.name == name }
    }

    /// "10 tables, 14 foreign keys, 3 CHECK constraints, 5 indexes, 1 view, 1 trigger", for `inspect`.
    public var summary: String {
        func count(_ n: Int, _ singular: String, _ plural: String) -> String { "\(n) \(n == 1 ? singular : plural)" }
        return [
            count(tables.count, "table", "tables"),
            count(tables.map(\.foreignKeys.count).reduce(0, +), "foreign key", "foreign keys"),
            count(tables.map(\.checks.count).reduce(0, +), "CHECK constraint", "CHECK constraints"),
            count(tables.map(\.indexes.count).reduce(0, +), "index", "indexes"),
            count(views.count, "view", "views"), count(triggers.count, "trigger", "triggers"),
        ].joined(separator: ", ")
    }

    /// Tables, views and triggers in name order, as dumps write them.
    public var sorted: DatabaseSchema {
        DatabaseSchema(
            tables: tables.sorted { $0.name < $1.name }, views: views.sorted { $0.name < $1.name },
            triggers: triggers.sorted { $0.name < $1.name })
    }

    enum CodingKeys: String, CodingKey { case tables, views, triggers }

    /// Reads a manifest's `schema`: an object in format 2, a list of tables in format 1.
    public init(from decoder: any Decoder) throws {
        if let tables = try? decoder.singleValueContainer().decode([TableSchema].self) {
            self.init(tables: tables)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            tables: try container.decodeIfPresent([TableSchema].self, forKey: .tables) ?? [],
            views: try container.decodeIfPresent([ViewSchema].self, forKey: .views) ?? [],
            triggers: try container.decodeIfPresent([TriggerSchema].self, forKey: .triggers) ?? [])
    }
}
