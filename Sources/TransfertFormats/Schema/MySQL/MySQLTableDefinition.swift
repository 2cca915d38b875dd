import Foundation
import TransfertModel

/// What a MySQL table declares beyond the neutral schema: the exact column types (`mediumint(8) unsigned`,
/// `enum('I','M','F')`), `AUTO_INCREMENT`, comments, collations, `FULLTEXT` keys and the table options.
///
/// SACoche's dumps are MySQL tables. The neutral columns, constraints and indexes of their
/// ``TableSchema`` carry what every engine can enforce (integer ranges and enum values become CHECK
/// constraints, keys become indexes); this value carries the rest, so that MariaDB re-creates the table
/// natively and `export --format sacoche` writes it back as MySQL declared it. SQLite keeps it as a
/// `-- transfert-mysql {…}` comment inside the table's DDL (SQLite keeps the DDL text as written).
public struct MySQLTableDefinition: Codable, Equatable, Sendable {
    /// One per column of the table, in the same order.
    public var columns: [MySQLColumnDefinition]
    /// The keys declared `FULLTEXT` (by MySQL key name); they are plain indexes in the neutral schema.
    public var fulltextKeys: [String]
    /// Every key's MySQL name in declaration order (an engine that lists indexes by name loses it).
    public var keyOrder: [String]?
    /// `ENGINE=`, `DEFAULT CHARSET=`, `COLLATE=`, `AUTO_INCREMENT=` and `COMMENT=` of the table.
    public var engine: String?
    public var charset: String?
    public var collation: String?
    public var autoIncrement: Int64?
    public var comment: String?

    public init(
        columns: [MySQLColumnDefinition], fulltextKeys: [String] = [], engine: String? = nil, charset: String? = nil,
        collation: String? = nil, autoIncrement: Int64? = nil, comment: String? = nil
    ) {
        self.columns = columns
        self.fulltextKeys = fulltextKeys
        self.engine = engine
        self.charset = charset
        self.collation = collation
        self.autoIncrement = autoIncrement
        self.comment = comment
    }

    /// `indexes` (of `table`) in the order MySQL declared them.
    public func ordered(_ indexes: [IndexSchema], table: String) -> [IndexSchema] {
        guard let keyOrder else { return indexes }
        return indexes.sorted { a, b in
            let i = keyOrder.firstIndex(of: Self.keyName(a.name, table: table)) ?? Int.max
            let j = keyOrder.firstIndex(of: Self.keyName(b.name, table: table)) ?? Int.max
            return i < j
        }
    }

    public func column(named name: String) -> MySQLColumnDefinition? {
        columns.first { $0.name.lowercased() == name.lowercased() }
    }

    enum CodingKeys: String, CodingKey {
        case columns, engine, charset, collation, comment
        case fulltextKeys = "fulltext_keys"
        case autoIncrement = "auto_increment"
        case keyOrder = "key_order"
    }

    /// The text of the `-- transfert-mysql` comment that carries this definition in SQLite DDL: JSON on one
    /// line (JSON escapes line breaks, so the comment ends at the end of its line).
    public var annotation: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return Self.annotationPrefix + String(decoding: data, as: UTF8.self)
    }

    /// `-- transfert-mysql ` starts the comment.
    public static let annotationPrefix = "transfert-mysql "
    /// How the index of a MySQL table is named outside MySQL: key names are per table in MySQL and per
    /// database in SQLite, so the neutral schema qualifies them with their table.
    public static func qualifiedKeyName(_ key: String, table: String) -> String { "\(table).\(key)" }

    /// The MySQL key name of a neutral index of `table` (the qualification removed).
    public static func keyName(_ index: String, table: String) -> String {
        index.hasPrefix(table + ".") ? String(index.dropFirst(table.count + 1)) : index
    }
}

/// One column as MySQL declares it.
public struct MySQLColumnDefinition: Codable, Equatable, Sendable {
    public var name: String
    /// The full type, lower-case as `SHOW CREATE TABLE` writes it: `mediumint(8) unsigned`, `varchar(25)`,
    /// `enum('I','M','F')`, `decimal(5,2)`.
    public var type: String
    public var collation: String?
    public var autoIncrement: Bool
    /// `ON UPDATE CURRENT_TIMESTAMP` (MySQL gives it to the first `timestamp` column).
    public var onUpdateCurrentTimestamp: Bool
    public var comment: String?

    public init(
        name: String, type: String, collation: String? = nil, autoIncrement: Bool = false,
        onUpdateCurrentTimestamp: Bool = false, comment: String? = nil
    ) {
        self.name = name
        self.type = type
        self.collation = collation
        self.autoIncrement = autoIncrement
        self.onUpdateCurrentTimestamp = onUpdateCurrentTimestamp
        self.comment = comment
    }

    enum CodingKeys: String, CodingKey {
        case name, type, collation, comment
        case autoIncrement = "auto_increment"
        case onUpdateCurrentTimestamp = "on_update_current_timestamp"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        type = try container.decode(String.self, forKey: .type)
        collation = try container.decodeIfPresent(String.self, forKey: .collation)
        autoIncrement = try container.decodeIfPresent(Bool.self, forKey: .autoIncrement) ?? false
        onUpdateCurrentTimestamp = try container.decodeIfPresent(Bool.self, forKey: .onUpdateCurrentTimestamp) ?? false
        comment = try container.decodeIfPresent(String.self, forKey: .comment)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(collation, forKey: .collation)
        if autoIncrement { try container.encode(true, forKey: .autoIncrement) }
        if onUpdateCurrentTimestamp { try container.encode(true, forKey: .onUpdateCurrentTimestamp) }
        try container.encodeIfPresent(comment, forKey: .comment)
    }
}
