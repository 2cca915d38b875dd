import Foundation

/// The neutral column types of the archive format. Every backend maps its own types onto these
/// (see the mapping table in `Docs/archive-format.md`).
public enum NeutralType: String, Codable, Sendable, CaseIterable {
    case integer = "INTEGER"
    case real = "REAL"
    case text = "TEXT"
    case blob = "BLOB"
    case numeric = "NUMERIC"

    /// SQLite's type-affinity rules (https://sqlite.org/datatype3.html §3.1), in their order.
    public init(sqliteDeclaredType declared: String) {
        let type = declared.uppercased()
        if type.contains("INT") { self = .integer }
        else if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") { self = .text }
        else if type.isEmpty || type.contains("BLOB") { self = .blob }
        else if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") { self = .real }
        else { self = .numeric }
    }
}

/// One column of a portable table definition.
public struct ColumnSchema: Codable, Equatable, Sendable {
    public var name: String
    public var type: NeutralType
    public var notNull: Bool
    /// A literal default (`NULL`, a number or a quoted string), already in SQL syntax.
    public var defaultLiteral: String?

    public init(name: String, type: NeutralType, notNull: Bool, defaultLiteral: String? = nil) {
        self.name = name
        self.type = type
        self.notNull = notNull
        self.defaultLiteral = defaultLiteral
    }

    enum CodingKeys: String, CodingKey {
        case name, type
        case notNull = "not_null"
        case defaultLiteral = "default"
    }
}

/// An index on plain columns.
public struct IndexSchema: Codable, Equatable, Sendable {
    public var name: String
    public var unique: Bool
    public var columns: [String]

    public init(name: String, unique: Bool, columns: [String]) {
        self.name = name
        self.unique = unique
        self.columns = columns
    }
}

/// A table in the portable subset: neutral column types, NOT NULL, literal defaults, a primary key,
/// and indexes on plain columns (unique constraints become unique indexes).
public struct TableSchema: Codable, Equatable, Sendable {
    public var name: String
    public var columns: [ColumnSchema]
    /// Primary-key columns in key order; empty when the table has none.
    public var primaryKey: [String]
    public var indexes: [IndexSchema]

    public init(name: String, columns: [ColumnSchema], primaryKey: [String], indexes: [IndexSchema]) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.indexes = indexes
    }

    enum CodingKeys: String, CodingKey {
        case name, columns, indexes
        case primaryKey = "primary_key"
    }

    public var columnNames: [String] { columns.map(\.name) }

    /// `CREATE TABLE` in the portable subset.
    public var createStatement: String {
        var parts = columns.map { column -> String in
            var definition = "\(quoteIdentifier(column.name)) \(column.type.rawValue)"
            if primaryKey == [column.name] { definition += " PRIMARY KEY" }
            if column.notNull { definition += " NOT NULL" }
            if let literal = column.defaultLiteral { definition += " DEFAULT \(literal)" }
            return definition
        }
        if primaryKey.count > 1 {
            parts.append("PRIMARY KEY (\(primaryKey.map(quoteIdentifier).joined(separator: ", ")))")
        }
        return "CREATE TABLE \(quoteIdentifier(name)) (\n  " + parts.joined(separator: ",\n  ") + "\n);"
    }

    /// `CREATE [UNIQUE] INDEX` statements, run after the data.
    public var indexStatements: [String] {
        indexes.map { index in
            "CREATE \(index.unique ? "UNIQUE " : "")INDEX \(quoteIdentifier(index.name)) ON \(quoteIdentifier(name)) (\(index.columns.map(quoteIdentifier).joined(separator: ", ")));"
        }
    }
}

/// Something in a source schema the portable subset cannot carry; the export goes on without it and
/// records the note in the bundle manifest.
public struct SchemaNote: Codable, Equatable, Sendable, CustomStringConvertible {
    public var table: String
    public var note: String
    public var description: String { "\(table): \(note)" }
}
