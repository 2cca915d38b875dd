import Foundation
import TransfertModel

/// A constraint written on a column's definition, kept in declaration order so a backend can write the
/// column back as it was declared (SQLite names automatic indexes by that order).
public struct ColumnConstraint: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case primaryKey = "primary_key"
        case notNull = "not_null"
        case unique
        case check
        case defaultValue = "default"
        case collate
        case references
    }

    public var kind: Kind
    /// `CONSTRAINT name`, when the schema names it.
    public var name: String?
    /// The CHECK expression, the DEFAULT value or the collation name, in canonical SQL text.
    public var expression: String?
    /// Primary key only: `PRIMARY KEY DESC`.
    public var descending: Bool?
    /// Primary key only: `AUTOINCREMENT`.
    public var autoincrement: Bool?
    /// Foreign key only.
    public var reference: ForeignKeyReference?

    public init(
        _ kind: Kind, name: String? = nil, expression: String? = nil, descending: Bool? = nil,
        autoincrement: Bool? = nil, reference: ForeignKeyReference? = nil
    ) {
        self.kind = kind
        self.name = name
        self.expression = expression
        self.descending = descending
        self.autoincrement = autoincrement
        self.reference = reference
    }
}
