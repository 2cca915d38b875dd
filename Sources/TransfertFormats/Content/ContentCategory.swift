import Foundation
import TransfertModel

/// A named group of an application's tables — settings, users, grades… — that exports, backups and
/// restores can leave out or keep together (`export --without users,logs`), as Moodle's backup settings
/// do for a course. Declared by the application profile (`categories:`).
///
/// ```yaml
/// categories:
///   - name: users
///     tables: [users, images]
///   - name: files
///     files: true
/// ```
public struct ContentCategory: Codable, Equatable, Hashable, Sendable {
    /// The name operators type (`users`, `grades`, `files`…).
    public var name: String
    /// The tables whose rows belong to this category; a table belongs to exactly one category.
    public var tables: [String]
    /// `true` for the category of the establishment's uploaded files (at most one per profile).
    public var files: Bool
    /// For the files category: whether the uploads may hold personal data (the default). An anonymised
    /// copy leaves them out unless the profile says they are free of it (`personal_data: false`).
    public var personalData: Bool

    public init(name: String, tables: [String] = [], files: Bool = false, personalData: Bool = true) {
        self.name = name
        self.tables = tables
        self.files = files
        self.personalData = personalData
    }

    enum CodingKeys: String, CodingKey {
        case name, tables, files
        case personalData = "personal_data"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        tables = try container.decodeIfPresent([String].self, forKey: .tables) ?? []
        files = try container.decodeIfPresent(Bool.self, forKey: .files) ?? false
        personalData = try container.decodeIfPresent(Bool.self, forKey: .personalData) ?? true
    }
}
