import Foundation
import TransfertModel

/// Why a content selection (`--without`, `--only`) cannot be made.
public enum ContentSelectionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The profile declares no `categories:`.
    case noCategories(option: String)
    case unknownCategory(String, known: [String])
    /// `--only` named a category whose rows point at one it leaves out.
    case dependencyLeftOut(category: String, reason: String, needed: String)
    /// Something is left out but this table belongs to no category, so whether it may be carried is unknown.
    case uncategorisedTable(String)
    /// `--anonymise` but the profile marks no personal data.
    case nothingToAnonymise

    public var description: String {
        switch self {
        case .noCategories(let option):
            return
                "\(option) needs content categories, and the application profile declares none: add `categories:` to it (Docs/user-guide.md, \"Backups\")"
        case .unknownCategory(let name, let known):
            return
                "no content category is called \(name); the profile's categories are \(known.joined(separator: ", "))"
        case .dependencyLeftOut(let category, let reason, let needed):
            return
                "\(category) cannot be carried without \(needed): \(reason). Add \(needed) to --only, or leave \(category) out too"
        case .uncategorisedTable(let table):
            return
                "table \(table) is in no content category, so a partial bundle cannot say whether to carry it: add it to the profile's `categories:`"
        case .nothingToAnonymise:
            return
                "--anonymise needs the profile's `personal_data:` columns, and it declares none: nothing would be replaced"
        }
    }
}

extension ContentSelectionError: LocatedError {
    public var problemCode: ProblemCode { .contentSelection }
}
