import Foundation
import TransfertModel

/// Turns an operator's `--without`/`--only` into the categories a bundle carries, so that no carried row
/// points at a row that is not: a category whose tables reference a left-out category is left out too,
/// and says why. With `--only`, a named category that would have to go is refused instead — the operator
/// asked for it by name.
///
/// ```swift
/// let resolved = try ContentSelector(model: profile.content)
///     .resolve(schema: schema, without: ["users"], only: nil, anonymise: false)
/// resolved.selection.leftOut  // users (asked), groups (memberships.user_id points at users)…
/// ```
public struct ContentSelector: Sendable {
    public let model: ContentModel

    public init(model: ContentModel) {
        self.model = model
    }

    /// What a bundle of `schema` carries when `without` is left out, or only `only` is kept (`nil`: no
    /// `--only`). Left-out tables keep their definitions in a bundle — a restored establishment has every
    /// table a fresh one has — but none of their rows.
    public func resolve(
        schema: DatabaseSchema, without: [String] = [], only: [String]? = nil, anonymise: Bool = false
    ) throws(ContentSelectionError) -> ResolvedContent {
        if anonymise && model.personalData.values.allSatisfy(\.isEmpty) { throw .nothingToAnonymise }
        let asked = !without.isEmpty || only != nil
        if asked && model.categories.isEmpty {
            throw .noCategories(option: only != nil ? "--only" : "--without")
        }
        let known = model.categories.map(\.name)
        for name in without + (only ?? []) where !known.contains(name) {
            throw .unknownCategory(name, known: known)
        }
        var leftOut: [ContentSelection.LeftOut] = []
        var out = Set<String>()
        for category in model.categories {
            let isAsked = without.contains(category.name) || (only.map { !$0.contains(category.name) } ?? false)
            if isAsked {
                out.insert(category.name)
                leftOut.append(.init(category: category.name, reason: "asked"))
            }
        }
        // Anonymised copies leave uploads out unless the profile says they hold no personal data.
        if anonymise, let files = model.filesCategory, files.personalData, !out.contains(files.name) {
            out.insert(files.name)
            leftOut.append(.init(category: files.name, reason: "uploads may hold personal data (anonymised copy)"))
        }
        if !out.isEmpty {
            for table in schema.tables where model.category(ofTable: table.name) == nil {
                throw .uncategorisedTable(table.name)
            }
        }
        // Fixpoint: leave out every category with a table pointing at a left-out one.
        let references = model.references(in: schema)
        var changed = true
        while changed {
            changed = false
            for reference in references {
                guard let child = model.category(ofTable: reference.table),
                    let parent = model.category(ofTable: reference.parent),
                    child.name != parent.name, out.contains(parent.name), !out.contains(child.name)
                else { continue }
                let reason =
                    "\(reference.table).\(reference.columns.joined(separator: ", ")) points at \(reference.parent) (\(parent.name))"
                if let only, only.contains(child.name) {
                    throw .dependencyLeftOut(category: child.name, reason: reason, needed: parent.name)
                }
                out.insert(child.name)
                leftOut.append(.init(category: child.name, reason: reason))
                changed = true
            }
        }
        let selection = ContentSelection(
            categories: model.categories, included: known.filter { !out.contains($0) }, leftOut: leftOut,
            anonymised: anonymise, userData: model.userDataCategories)
        return ResolvedContent(selection: selection)
    }
}

/// A resolved selection: the record a manifest keeps, and the questions an export or restore asks of it.
public struct ResolvedContent: Equatable, Sendable {
    public var selection: ContentSelection

    public init(selection: ContentSelection) {
        self.selection = selection
    }

    /// Everything, nothing replaced: what a bundle without a selection carries.
    public static func everything(_ model: ContentModel) -> ResolvedContent {
        ResolvedContent(
            selection: ContentSelection(
                categories: model.categories, included: model.categories.map(\.name), leftOut: [], anonymised: false,
                userData: model.userDataCategories))
    }

    /// Whether the rows of `table` are carried.
    public func carries(table: String) -> Bool { selection.carries(table: table) }

    /// Whether the uploaded files are carried (always, when the profile has no files category).
    public var carriesFiles: Bool {
        guard let files = selection.categories.first(where: \.files) else { return true }
        return selection.included.contains(files.name)
    }

    /// The categories left out because of a reference, not because they were asked: what the operator
    /// should be told ("grades left out too: grades.student_id points at users (users)").
    public var consequences: [ContentSelection.LeftOut] { selection.leftOut.filter { $0.reason != "asked" } }
}
