import Foundation
import TransfertModel

/// What a dump carries of each table: every row as it is, every row with its personal data replaced
/// (`--anonymise`), or no row at all (its category left out — the table itself is still created, so a
/// restored establishment has every table a fresh one has).
///
/// ```swift
/// var writer = DumpWriter(directory: "base_1")
/// writer.content = DumpContentPolicy(content: resolved, personalData: model.personalData,
///                                    pseudonymiser: Pseudonymiser())
/// ```
public struct DumpContentPolicy: Sendable {
    /// The categories carried; `nil`: every table.
    public var content: ResolvedContent?
    /// Personal-data columns by table, replaced when `pseudonymiser` is set.
    public var personalData: [String: [String: PersonalDataKind]]
    public var pseudonymiser: Pseudonymiser?
    /// The tables the application profile describes: an anonymised copy refuses any other (nobody said
    /// which of its columns are personal).
    public var knownTables: Set<String>?

    public init(
        content: ResolvedContent? = nil, personalData: [String: [String: PersonalDataKind]] = [:],
        pseudonymiser: Pseudonymiser? = nil, knownTables: Set<String>? = nil
    ) {
        self.content = content
        self.personalData = personalData
        self.pseudonymiser = pseudonymiser
        self.knownTables = knownTables
    }

    /// Every row of every table, as it is.
    public static let everything = DumpContentPolicy()

    /// Whether the rows of `table` go into the dump.
    public func carries(table: String) -> Bool { content?.carries(table: table) ?? true }

    /// Refuses a database with a table the selection cannot place: when something is left out, or personal
    /// data replaced, every table must belong to a category (an establishment may hold tables its profile
    /// does not list — a real SACoche base has 80 — and such a table may hold personal data the profile
    /// does not name: an anonymised copy would carry it as it is).
    public func check(_ schema: DatabaseSchema) throws(ContentSelectionError) {
        guard let content else { return }
        let categories = content.selection.categories
        let anonymised = pseudonymiser != nil || content.selection.anonymised
        for table in schema.tables {
            let placed = categories.contains { $0.tables.contains(table.name) }
            if !content.selection.isComplete && !placed { throw .uncategorisedTable(table.name) }
            if anonymised && !(categories.isEmpty ? knownTables?.contains(table.name) ?? true : placed) {
                throw .uncategorisedTable(table.name)
            }
        }
    }

    /// The anonymiser of `table`'s rows, or `nil` when they are written as they are.
    public func anonymiser(for table: TableSchema, columns: [String]) throws(AnonymisationError) -> TableAnonymiser? {
        guard let pseudonymiser, let personal = personalData[table.name] else { return nil }
        return try TableAnonymiser(
            table: table, columns: columns, personalData: personal, pseudonymiser: pseudonymiser)
    }
}
