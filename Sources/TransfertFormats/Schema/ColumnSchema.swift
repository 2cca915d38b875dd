import Foundation
import TransfertModel

/// One column of a table definition: its name, its type (neutral, and as declared) and its
/// constraints in declaration order.
public struct ColumnSchema: Codable, Equatable, Sendable {
    public var name: String
    /// The neutral type, derived from the declared type by SQLite's affinity rules.
    public var type: NeutralType
    /// The type as the schema declares it (`VARCHAR(50)`, `INTEGER`…); empty when none is declared.
    public var declaredType: String
    public var constraints: [ColumnConstraint]

    public init(name: String, declaredType: String, constraints: [ColumnConstraint] = []) {
        self.name = name
        self.type = NeutralType(sqliteDeclaredType: declaredType)
        self.declaredType = declaredType
        self.constraints = constraints
    }

    /// A column of a neutral type, with NOT NULL and a DEFAULT (the version-1 subset).
    public init(name: String, type: NeutralType, notNull: Bool, defaultLiteral: String? = nil) {
        self.name = name
        self.type = type
        self.declaredType = type.rawValue
        self.constraints = []
        if notNull { constraints.append(ColumnConstraint(.notNull)) }
        if let defaultLiteral { constraints.append(ColumnConstraint(.defaultValue, expression: defaultLiteral)) }
    }

    public var notNull: Bool { constraints.contains { $0.kind == .notNull } }
    /// The DEFAULT as SQL text (a literal, `(expression)` or `CURRENT_TIMESTAMP`), or nil.
    public var defaultValue: String? { constraints.first { $0.kind == .defaultValue }?.expression }
    public var collation: String? { constraints.first { $0.kind == .collate }?.expression }
    public var isPrimaryKey: Bool { constraints.contains { $0.kind == .primaryKey } }

    enum CodingKeys: String, CodingKey {
        case name, type, constraints
        case declaredType = "declared_type"
        // Version 1 manifests: `not_null` and `default` instead of constraints.
        case notNull = "not_null"
        case defaultLiteral = "default"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        type = try container.decode(NeutralType.self, forKey: .type)
        declaredType = try container.decodeIfPresent(String.self, forKey: .declaredType) ?? type.rawValue
        if let constraints = try container.decodeIfPresent([ColumnConstraint].self, forKey: .constraints) {
            self.constraints = constraints
        } else {
            constraints = []
            if try container.decodeIfPresent(Bool.self, forKey: .notNull) == true {
                constraints.append(ColumnConstraint(.notNull))
            }
            if let literal = try container.decodeIfPresent(String.self, forKey: .defaultLiteral) {
                constraints.append(ColumnConstraint(.defaultValue, expression: literal))
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(declaredType, forKey: .declaredType)
        try container.encode(constraints, forKey: .constraints)
    }
}
