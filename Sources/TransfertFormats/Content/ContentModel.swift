import Foundation
import TransfertModel

/// What an application profile says about its content, as far as bundles are concerned: the categories
/// its tables fall into, the columns holding personal data, the references its schema does not declare,
/// and the natural keys a merge matches rows by. `ApplicationProfile` builds it from its YAML keys.
public struct ContentModel: Codable, Equatable, Sendable {
    /// In the profile's order. Empty: the profile declares none, and nothing can be left out.
    public var categories: [ContentCategory]
    /// Personal-data columns by table, each with the shape of what it holds.
    public var personalData: [String: [String: PersonalDataKind]]
    /// References the schema does not declare as foreign keys.
    public var references: [ImplicitReference]
    /// The natural key of each table a merge matches existing rows by (`users: [login]`). A table absent
    /// here has its rows added with new ids.
    public var mergeKeys: [String: [String]]

    public init(
        categories: [ContentCategory] = [], personalData: [String: [String: PersonalDataKind]] = [:],
        references: [ImplicitReference] = [], mergeKeys: [String: [String]] = [:]
    ) {
        self.categories = categories
        self.personalData = personalData
        self.references = references
        self.mergeKeys = mergeKeys
    }

    /// The category holding `table`, if any.
    public func category(ofTable table: String) -> ContentCategory? {
        categories.first { $0.tables.contains(table) }
    }

    /// The category of uploaded files, if the profile declares one.
    public var filesCategory: ContentCategory? { categories.first(where: \.files) }

    /// Every reference of `schema`'s tables, declared foreign keys and the profile's implicit ones alike:
    /// (child table, child columns, parent table, parent columns — empty meaning the parent's primary key).
    public func references(in schema: DatabaseSchema) -> [ImplicitReference] {
        var all: [ImplicitReference] = []
        for table in schema.tables {
            for foreignKey in table.foreignKeys {
                let parentColumns =
                    foreignKey.reference.columns.isEmpty
                    ? (schema.table(named: foreignKey.reference.table)?.primaryKey ?? [])
                    : foreignKey.reference.columns
                all.append(
                    ImplicitReference(
                        table: table.name, columns: foreignKey.columns, parent: foreignKey.reference.table,
                        parentColumns: parentColumns))
            }
        }
        return all + references
    }

    /// Why this model does not fit `schema`, one sentence per problem; empty when it fits. Checked when a
    /// profile is loaded: every table in exactly one category, every named table and column real.
    public func problems(against schema: DatabaseSchema) -> [String] {
        var problems: [String] = []
        let tableNames = Set(schema.tables.map(\.name))
        func columnExists(_ table: String, _ column: String) -> Bool {
            schema.table(named: table)?.columnNames.contains(column) ?? false
        }
        var seenCategories = Set<String>()
        var owner: [String: String] = [:]
        for category in categories {
            if !seenCategories.insert(category.name).inserted {
                problems.append("category \(category.name) is declared twice")
            }
            if category.name.isEmpty || category.name.contains(",") || category.name.contains(" ") {
                problems.append("category name \"\(category.name)\" must be one word without commas")
            }
            if category.files && !category.tables.isEmpty {
                problems.append("category \(category.name) holds the uploaded files: it cannot also hold tables")
            }
            for table in category.tables {
                if !tableNames.contains(table) {
                    problems.append("category \(category.name) names table \(table), which the schema does not declare")
                } else if let previous = owner[table] {
                    problems.append("table \(table) is in two categories, \(previous) and \(category.name)")
                } else {
                    owner[table] = category.name
                }
            }
        }
        if categories.filter(\.files).count > 1 {
            problems.append("more than one category holds the uploaded files (files: true)")
        }
        if !categories.isEmpty {
            for table in schema.tables where owner[table.name] == nil {
                problems.append("table \(table.name) is in no category: add it to one under `categories:`")
            }
        }
        for (table, columns) in personalData.sorted(by: { $0.key < $1.key }) {
            for column in columns.keys.sorted() where !columnExists(table, column) {
                problems.append("personal_data names \(table).\(column), which the schema does not declare")
            }
        }
        for reference in references {
            for column in reference.columns where !columnExists(reference.table, column) {
                problems.append("references name \(reference.table).\(column), which the schema does not declare")
            }
            for column in reference.parentColumns where !columnExists(reference.parent, column) {
                problems.append("references name \(reference.parent).\(column), which the schema does not declare")
            }
            if reference.columns.count != reference.parentColumns.count || reference.columns.isEmpty {
                problems.append(
                    "the reference from \(reference.table) to \(reference.parent) must name as many columns on each side"
                )
            }
        }
        for (table, key) in mergeKeys.sorted(by: { $0.key < $1.key }) {
            if key.isEmpty { problems.append("merge key of \(table) names no column") }
            for column in key where !columnExists(table, column) {
                problems.append("merge key of \(table) names \(table).\(column), which the schema does not declare")
            }
        }
        return problems
    }
}
