import Foundation
import TransfertModel

/// A table definition as a neutral value: columns with their constraints, table constraints, indexes,
/// and SQLite's table options. Everything a schema declares is kept, in declaration order, so that a
/// restored table is the table that was dumped (see `Docs/archive-format.md` §3).
public struct TableSchema: Codable, Equatable, Sendable {
    public var name: String
    public var columns: [ColumnSchema]
    /// Constraints written after the columns, in declaration order.
    public var constraints: [TableConstraint]
    public var indexes: [IndexSchema]
    /// `WITHOUT ROWID`.
    public var withoutRowID: Bool
    /// `STRICT` (SQLite's strict typing).
    public var strict: Bool
    /// What a MySQL table (a SACoche dump's) declares beyond the neutral schema; `nil` for other tables.
    public var mysql: MySQLTableDefinition?

    public init(
        name: String, columns: [ColumnSchema], constraints: [TableConstraint] = [], indexes: [IndexSchema] = [],
        withoutRowID: Bool = false, strict: Bool = false
    ) {
        self.name = name
        self.columns = columns
        self.constraints = constraints
        self.indexes = indexes
        self.withoutRowID = withoutRowID
        self.strict = strict
    }

    /// A table of the version-1 subset: columns, a primary key (on the column when it has one
    /// column) and indexes.
    public init(name: String, columns: [ColumnSchema], primaryKey: [String], indexes: [IndexSchema]) {
        var columns = columns
        var constraints: [TableConstraint] = []
        if primaryKey.count == 1, let index = columns.firstIndex(where: { $0.name == primaryKey[0] }) {
            columns[index].constraints.insert(ColumnConstraint(.primaryKey), at: 0)
        } else if !primaryKey.isEmpty {
            constraints.append(TableConstraint(.primaryKey, columns: primaryKey))
        }
        self.init(name: name, columns: columns, constraints: constraints, indexes: indexes)
    }

    public var columnNames: [String] { columns.map(\.name) }

    /// Primary-key columns in key order; empty when the table has none.
    public var primaryKey: [String] {
        if let column = columns.first(where: \.isPrimaryKey) { return [column.name] }
        return constraints.first { $0.kind == .primaryKey }?.columns ?? []
    }

    /// Every foreign key, from column and table constraints.
    public var foreignKeys: [(columns: [String], reference: ForeignKeyReference)] {
        columns.flatMap { column in
            column.constraints.compactMap { $0.reference.map { ([column.name], $0) } }
        } + constraints.compactMap { constraint in constraint.reference.map { (constraint.columns, $0) } }
    }

    /// Every CHECK expression, from column and table constraints.
    public var checks: [String] {
        columns.flatMap { $0.constraints.filter { $0.kind == .check }.compactMap(\.expression) }
            + constraints.filter { $0.kind == .check }.compactMap(\.expression)
    }

    enum CodingKeys: String, CodingKey {
        case name, columns, constraints, indexes, strict, mysql
        case withoutRowID = "without_rowid"
        case primaryKey = "primary_key"  // version 1
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .name)
        let columns = try container.decode([ColumnSchema].self, forKey: .columns)
        let indexes = try container.decodeIfPresent([IndexSchema].self, forKey: .indexes) ?? []
        if let constraints = try container.decodeIfPresent([TableConstraint].self, forKey: .constraints) {
            self.init(
                name: name, columns: columns, constraints: constraints, indexes: indexes,
                withoutRowID: try container.decodeIfPresent(Bool.self, forKey: .withoutRowID) ?? false,
                strict: try container.decodeIfPresent(Bool.self, forKey: .strict) ?? false)
            mysql = try container.decodeIfPresent(MySQLTableDefinition.self, forKey: .mysql)
        } else {
            self.init(
                name: name, columns: columns,
                primaryKey: try container.decodeIfPresent([String].self, forKey: .primaryKey) ?? [], indexes: indexes)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(columns, forKey: .columns)
        try container.encode(constraints, forKey: .constraints)
        try container.encode(indexes, forKey: .indexes)
        if withoutRowID { try container.encode(true, forKey: .withoutRowID) }
        if strict { try container.encode(true, forKey: .strict) }
        try container.encodeIfPresent(mysql, forKey: .mysql)
    }
}
