import Foundation
import TransfertModel

/// A MySQL column type, read from a `CREATE TABLE` (`mediumint(8) unsigned`, `varchar(25)`,
/// `enum('I','M','F')`, `decimal(5,2)`), and what it means elsewhere: its neutral type, the CHECK that
/// enforces its range or its values on an engine without the type, and how a dumped value is stored in
/// it (MySQL converts `3` to `'3'` in a `varchar` and `"12"` to `12` in an `int`).
public struct MySQLColumnType: Equatable, Sendable {
    /// The base name, lower-case: `mediumint`, `varchar`, `enum`…
    public var base: String
    /// Numeric arguments: `(8)`, `(5,2)`.
    public var arguments: [Int]
    /// `enum(…)` and `set(…)` values, as declared.
    public var values: [String]
    public var unsigned: Bool
    public var zerofill: Bool

    public static let integerRanges: [String: (signed: ClosedRange<Int64>, unsigned: ClosedRange<Int64>)] = [
        "tinyint": (-128...127, 0...255),
        "smallint": (-32_768...32_767, 0...65_535),
        "mediumint": (-8_388_608...8_388_607, 0...16_777_215),
        "int": (-2_147_483_648...2_147_483_647, 0...4_294_967_295),
        "integer": (-2_147_483_648...2_147_483_647, 0...4_294_967_295),
        "bigint": (Int64.min...Int64.max, 0...Int64.max),
    ]
    static let textTypes: Set<String> = [
        "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set",
        "date", "datetime", "timestamp", "time", "decimal", "numeric",
    ]
    static let blobTypes: Set<String> = ["binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"]
    static let realTypes: Set<String> = ["float", "double", "real"]
    /// Every base name this reader knows; anything else is refused by name.
    public static var knownTypes: Set<String> {
        Set(integerRanges.keys).union(textTypes).union(blobTypes).union(realTypes).union(["year", "bit"])
    }

    /// Character strings: the types that have a collation.
    public var hasCollation: Bool {
        ["char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set"].contains(base)
    }
    public var isInteger: Bool { Self.integerRanges[base] != nil || base == "year" }
    public var isTextual: Bool { Self.textTypes.contains(base) }
    public var isBlob: Bool { Self.blobTypes.contains(base) }
    public var isReal: Bool { Self.realTypes.contains(base) }
    /// MySQL gives these no DEFAULT in `SHOW CREATE TABLE` when they have none.
    public var isLargeObject: Bool { base.hasSuffix("text") || base.hasSuffix("blob") }

    /// The neutral type: integers stay integers; everything MySQL compares as a string, including dates and
    /// exact decimals (`12.50` must stay `12.50`), is text; binary strings are blobs.
    public var neutralType: NeutralType {
        if isInteger { return .integer }
        if isReal { return .real }
        if isBlob { return .blob }
        return .text
    }

    /// A declared type SQLite accepts and gives the right affinity: the MySQL base name when SQLite
    /// reads it as the neutral type (`MEDIUMINT(8)`, `VARCHAR(25)`, `TINYTEXT`), else the neutral name.
    public var sqliteDeclaredType: String {
        let spelled =
            base.uppercased()
            + (arguments.isEmpty || !values.isEmpty
                ? "" : "(" + arguments.map(String.init).joined(separator: ",") + ")")
        return NeutralType(sqliteDeclaredType: spelled) == neutralType ? spelled : neutralType.rawValue
    }

    /// The allowed integer range, for integer types narrower than SQLite's 64 bits or unsigned.
    public var integerRange: ClosedRange<Int64>? {
        if base == "year" { return 0...2155 }
        guard let ranges = Self.integerRanges[base] else { return nil }
        let range = unsigned ? ranges.unsigned : ranges.signed
        return range == Int64.min...Int64.max ? nil : range
    }

    /// The CHECK expression that enforces the type on an engine without it: the range of an integer,
    /// the values of an enum. `nil` when the type needs none.
    public func checkExpression(column: String) -> String? {
        let name = quoteIdentifier(column)
        if let range = integerRange {
            return range.upperBound == Int64.max
                ? "\(name) >= \(range.lowerBound)" : "\(name) BETWEEN \(range.lowerBound) AND \(range.upperBound)"
        }
        if base == "enum" {
            // MySQL stores '' for a value outside the list (its "error value"): '' belongs to every enum.
            let domain = values.contains("") ? values : [""] + values
            return "\(name) IN ("
                + domain.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ", ") + ")"
        }
        return nil
    }

    /// The type as `SHOW CREATE TABLE` writes it.
    public var text: String {
        var result = base
        if !values.isEmpty || base == "enum" || base == "set" {
            let quoted = values.map { value in
                "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
            }
            result += "(" + quoted.joined(separator: ",") + ")"
        } else if !arguments.isEmpty {
            let numbers = arguments.map(String.init)
            result += "(" + numbers.joined(separator: ",") + ")"
        }
        if unsigned { result += " unsigned" }
        if zerofill { result += " zerofill" }
        return result
    }

    public init(
        base: String, arguments: [Int] = [], values: [String] = [], unsigned: Bool = false, zerofill: Bool = false
    ) {
        self.base = base
        self.arguments = arguments
        self.values = values
        self.unsigned = unsigned
        self.zerofill = zerofill
    }

    /// Reads the type text a ``MySQLColumnDefinition`` keeps.
    public init(parsing text: String) throws(MySQLSyntaxError) {
        var lexer = MySQLLexer(bytes: Array(text.utf8), entry: "type", line: 1)
        var tokens: [MySQLToken] = []
        while let token = try lexer.next() { tokens.append(token) }
        var cursor = MySQLTokenCursor(tokens: tokens, entry: "type")
        self = try MySQLColumnType.read(&cursor)
        if let extra = cursor.current { throw cursor.error("unexpected '\(extra.text)' after the type", at: extra) }
    }

    /// Reads a type at the cursor: a name, optional arguments, `unsigned`, `zerofill`.
    static func read(_ cursor: inout MySQLTokenCursor) throws(MySQLSyntaxError) -> MySQLColumnType {
        guard let token = cursor.current, token.kind == .word else { throw cursor.error("expected a column type") }
        let base = token.text.lowercased()
        guard knownTypes.contains(base) else {
            throw cursor.error(
                "column type \(token.text) is not one Transfert can carry faithfully (known: \(knownTypes.sorted().joined(separator: ", ")))",
                at: token)
        }
        if base == "bit" {
            throw cursor.error(
                "column type bit is not supported: its values are binary numbers no other engine keeps as such",
                at: token)
        }
        cursor.advance()
        var type = MySQLColumnType(base: base)
        if cursor.acceptSymbol("(") {
            repeat {
                guard let argument = cursor.current else { throw cursor.error("unfinished type arguments") }
                switch argument.kind {
                case .number where base != "enum" && base != "set":
                    guard let value = Int(argument.text) else {
                        throw cursor.error("type argument \(argument.text) is not an integer", at: argument)
                    }
                    type.arguments.append(value)
                case .singleQuoted where base == "enum" || base == "set":
                    type.values.append(argument.text)
                default:
                    throw cursor.error("unexpected '\(argument.text)' in the arguments of \(base)", at: argument)
                }
                cursor.advance()
            } while cursor.acceptSymbol(",")
            try cursor.expectSymbol(")")
        }
        if (base == "enum" || base == "set") && type.values.isEmpty { throw cursor.error("\(base) declares no value") }
        while true {
            if cursor.acceptWord("UNSIGNED") {
                type.unsigned = true
            } else if cursor.acceptWord("SIGNED") {
                continue
            } else if cursor.acceptWord("ZEROFILL") {
                type.zerofill = true
                type.unsigned = true
            } else {
                break
            }
        }
        if type.zerofill {
            throw cursor.error(
                "zerofill columns are not supported: the padding is display, which no other engine keeps")
        }
        return type
    }
}
