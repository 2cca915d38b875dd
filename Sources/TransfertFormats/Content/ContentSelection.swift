import Foundation
import TransfertModel

/// What a bundle says about its content, recorded in its manifest (`options.content`) and shown by
/// `inspect`: the profile's categories at export time, which were carried, which were left out and why,
/// and whether personal data was replaced by pseudonyms. A manifest without it carries everything.
public struct ContentSelection: Codable, Equatable, Sendable {
    /// Every category of the exporting profile, with its tables: lets any hosting group the bundle's
    /// row counts by category.
    public var categories: [ContentCategory]
    /// Names of the categories whose rows (or files) the bundle carries.
    public var included: [String]
    /// The categories left out, each with the reason.
    public var leftOut: [LeftOut]
    /// Personal-data columns were replaced by pseudonyms (`export --anonymise`): the bundle imports only
    /// as a copy, and no letter is written from it.
    public var anonymised: Bool
    /// Names of the categories holding personal data (a table with `personal_data:` columns, or uploads
    /// that may hold some): what `inspect` marks "user data". Absent in records written before it.
    public var userData: [String]?

    public struct LeftOut: Codable, Equatable, Sendable {
        public var category: String
        /// "asked" when the operator named it; else which reference would have been left dangling.
        public var reason: String

        public init(category: String, reason: String) {
            self.category = category
            self.reason = reason
        }
    }

    public init(
        categories: [ContentCategory], included: [String], leftOut: [LeftOut], anonymised: Bool,
        userData: [String]? = nil
    ) {
        self.categories = categories
        self.included = included
        self.leftOut = leftOut
        self.anonymised = anonymised
        self.userData = userData
    }

    enum CodingKeys: String, CodingKey {
        case categories, included, anonymised
        case leftOut = "left_out"
        case userData = "user_data"
    }

    /// Whether every category was carried (nothing left out).
    public var isComplete: Bool { leftOut.isEmpty }

    /// Whether the rows of `table` are carried: tables of no category are carried when nothing was left out.
    public func carries(table: String) -> Bool {
        guard let category = categories.first(where: { $0.tables.contains(table) }) else { return isComplete }
        return included.contains(category.name)
    }
}
