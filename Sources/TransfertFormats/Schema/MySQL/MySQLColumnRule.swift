import Foundation
import TransfertModel

/// What a column's type asks of each of its values, worked out once per column rather than once per
/// value (a base has millions of values and a few hundred columns).
///
/// This is the one rule set for "would a MySQL server in strict mode (MariaDB 10.11's default
/// `STRICT_TRANS_TABLES`) store this value unchanged?": the SACoche dump parser reads every value
/// through it, `export --format sacoche` checks every value through it before writing anything, and
/// `verify --deep` checks the restored copy of every MySQL table through it.
public struct MySQLColumnRule: Sendable {
    enum Storage: Sendable {
        case integer(ClosedRange<Int64>?)
        case real
        case blob
        case text
    }

    enum Format: Sendable {
        case free
        case date
        /// `fraction`: the digits after the seconds the column keeps (`datetime(3)`); more are rounded.
        case datetime(fraction: Int)
        case timestamp(fraction: Int)
        case time(fraction: Int)
        case decimal(precision: Int, scale: Int)
        /// `set('a','b')`: members of the list, each once, in the list's order (MySQL reorders the rest).
        case set([String])
        /// `year`: 0 or 1901…2155 (MySQL turns 1…99 into 1970…2069 and refuses the rest).
        case year
    }

    /// The characters a column's charset can hold.
    enum Repertoire: Sendable {
        /// utf8mb4, binary, or a charset this rule set does not know: no limit.
        case any
        /// `utf8`/`utf8mb3`: the Basic Multilingual Plane only (no emoji).
        case basicMultilingualPlane
        /// `latin1` (MySQL's is Windows-1252).
        case latin1
        case ascii
    }

    let type: MySQLColumnType
    let storage: Storage
    /// An enum's values (`''` apart, which every enum takes).
    let enumValues: Set<String>?
    /// `char(n)`, `varchar(n)`: code points at most.
    let characterLimit: Int?
    /// The text and blob types, `binary(n)`, `varbinary(n)`: bytes at most (in the column's charset).
    let byteLimit: Int?
    let format: Format
    /// `NOT NULL`: strict mode refuses a NULL.
    let notNull: Bool
    let repertoire: Repertoire
    /// The charset's name, for messages.
    let charset: String?

    public init(_ type: MySQLColumnType, notNull: Bool = false, charset: String? = nil) {
        self.type = type
        self.notNull = notNull
        if type.isInteger {
            storage = .integer(type.integerRange)
        } else if type.isReal {
            storage = .real
        } else if type.isBlob {
            storage = .blob
        } else {
            storage = .text
        }
        enumValues = type.base == "enum" ? Set(type.values) : nil
        characterLimit = type.base == "char" || type.base == "varchar" ? type.arguments.first : nil
        let fixed: [String: Int] = [
            "tinytext": 255, "text": 65_535, "mediumtext": 16_777_215, "longtext": 4_294_967_295,
            "tinyblob": 255, "blob": 65_535, "mediumblob": 16_777_215, "longblob": 4_294_967_295,
        ]
        byteLimit = fixed[type.base] ?? (type.base == "binary" || type.base == "varbinary" ? type.arguments.first : nil)
        let fraction = type.arguments.first ?? 0
        switch type.base {
        case "date": format = .date
        case "datetime": format = .datetime(fraction: fraction)
        case "timestamp": format = .timestamp(fraction: fraction)
        case "time": format = .time(fraction: fraction)
        case "decimal", "numeric":
            format = .decimal(
                precision: type.arguments.first ?? 10, scale: type.arguments.count > 1 ? type.arguments[1] : 0)
        case "set": format = .set(type.values)
        case "year": format = .year
        default: format = .free
        }
        let name = charset.map(MySQLNames.canonicalCharset)
        self.charset = name
        if !type.hasCollation {
            repertoire = .any
        } else {
            switch name ?? "utf8" {  // SACoche's tables are utf8 when nothing says otherwise
            case "utf8": repertoire = .basicMultilingualPlane
            case "latin1": repertoire = .latin1
            case "ascii": repertoire = .ascii
            default: repertoire = .any
            }
        }
    }

    /// The rule of `column` of a MySQL table: its type, `NOT NULL`, and its charset (the one its
    /// collation names, else the table's).
    public init(column: MySQLColumnDefinition, of table: MySQLTableDefinition, notNull: Bool) throws(MySQLSyntaxError) {
        let type = try MySQLColumnType(parsing: column.type)
        let charset = column.collation.flatMap { $0.split(separator: "_").first.map(String.init) } ?? table.charset
        self.init(type, notNull: notNull, charset: charset)
    }

    /// The rules of every column of `table`, in column order; `nil` when it is not a MySQL table.
    public static func rules(of table: TableSchema) throws(MySQLSyntaxError) -> [MySQLColumnRule]? {
        guard let mysql = table.mysql, mysql.columns.count == table.columns.count else { return nil }
        var rules: [MySQLColumnRule] = []
        for (column, declared) in zip(table.columns, mysql.columns) {
            // MySQL makes primary key columns NOT NULL whatever they declare.
            rules.append(
                try MySQLColumnRule(
                    column: declared, of: mysql, notNull: column.notNull || table.primaryKey.contains(column.name)))
        }
        return rules
    }
}
