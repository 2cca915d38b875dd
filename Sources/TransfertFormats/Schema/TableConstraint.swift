import Foundation
import TransfertModel

/// A constraint written after a table's columns (`PRIMARY KEY (a, b)`, `UNIQUE (…)`, `CHECK (…)`,
/// `FOREIGN KEY (…) REFERENCES …`), kept in declaration order.
public struct TableConstraint: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case primaryKey = "primary_key"
        case unique
        case check
        case foreignKey = "foreign_key"
    }

    public var kind: Kind
    /// `CONSTRAINT name`, when the schema names it.
    public var name: String?
    /// The constrained columns (primary key, unique, foreign key), in order.
    public var columns: [String]
    /// The CHECK expression, in canonical SQL text.
    public var expression: String?
    /// Foreign key only.
    public var reference: ForeignKeyReference?

    public init(
        _ kind: Kind, name: String? = nil, columns: [String] = [], expression: String? = nil,
        reference: ForeignKeyReference? = nil
    ) {
        self.kind = kind
        self.name = name
        self.columns = columns
        self.expression = expression
        self.reference = reference
    }
}
