import Foundation
import TransfertModel

/// A reference the schema does not declare as a foreign key but the application relies on (SACoche's
/// MyISAM-era tables declare none): `sacoche_saisie(eleve_id)` points at `sacoche_user(user_id)`.
/// Content selection and merges treat it exactly like a declared foreign key.
///
/// ```yaml
/// references:
///   - table: sacoche_saisie
///     columns: [eleve_id]
///     parent: sacoche_user
///     parent_columns: [user_id]
/// ```
public struct ImplicitReference: Codable, Equatable, Hashable, Sendable {
    public var table: String
    public var columns: [String]
    public var parent: String
    public var parentColumns: [String]

    public init(table: String, columns: [String], parent: String, parentColumns: [String]) {
        self.table = table
        self.columns = columns
        self.parent = parent
        self.parentColumns = parentColumns
    }

    enum CodingKeys: String, CodingKey {
        case table, columns, parent
        case parentColumns = "parent_columns"
    }
}
