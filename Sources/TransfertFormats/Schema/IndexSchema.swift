import Foundation
import TransfertModel

/// An index: plain columns or expressions, each with its collation and order, and an optional
/// `WHERE` clause (a partial index).
public struct IndexSchema: Codable, Equatable, Sendable {
    public var name: String
    public var unique: Bool
    public var terms: [IndexTerm]
    /// The `WHERE` expression of a partial index, in canonical SQL text.
    public var predicate: String?

    public init(name: String, unique: Bool, terms: [IndexTerm], predicate: String? = nil) {
        self.name = name
        self.unique = unique
        self.terms = terms
        self.predicate = predicate
    }

    /// An index on plain columns.
    public init(name: String, unique: Bool, columns: [String]) {
        self.init(name: name, unique: unique, terms: columns.map { IndexTerm(column: $0) })
    }

    /// The plain columns of the index (expressions are left out).
    public var columns: [String] { terms.compactMap(\.column) }

    enum CodingKeys: String, CodingKey { case name, unique, terms, predicate, columns }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        unique = try container.decode(Bool.self, forKey: .unique)
        predicate = try container.decodeIfPresent(String.self, forKey: .predicate)
        if let terms = try container.decodeIfPresent([IndexTerm].self, forKey: .terms) {
            self.terms = terms
        } else {  // version 1: plain columns
            terms = try container.decode([String].self, forKey: .columns).map { IndexTerm(column: $0) }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(unique, forKey: .unique)
        try container.encode(terms, forKey: .terms)
        try container.encodeIfPresent(predicate, forKey: .predicate)
    }
}

/// One indexed column or expression.
public struct IndexTerm: Codable, Equatable, Sendable {
    /// The column, when the term is a plain column.
    public var column: String?
    /// The expression, in canonical SQL text, when the term is not a plain column.
    public var expression: String?
    public var collation: String?
    public var descending: Bool

    public init(column: String, collation: String? = nil, descending: Bool = false) {
        self.column = column
        self.collation = collation
        self.descending = descending
    }

    public init(expression: String, collation: String? = nil, descending: Bool = false) {
        self.expression = expression
        self.collation = collation
        self.descending = descending
    }
}
