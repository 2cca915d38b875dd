import Foundation

/// What a column's type asks of each of its values, worked out once per column rather than once per
/// value (a base has millions of values and a few hundred columns).
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
        case datetime
        case time
        case decimal(precision: Int, scale: Int)
    }

    let type: MySQLColumnType
    let storage: Storage
    /// An enum's values (`''` apart, which every enum takes).
    let enumValues: Set<String>?
    /// `char(n)`, `varchar(n)`: code points at most.
    let characterLimit: Int?
    /// The text types: bytes at most.
    let byteLimit: Int?
    let format: Format

    public init(_ type: MySQLColumnType) {
        self.type = type
        if type.isInteger { storage = .integer(type.integerRange) }
        else if type.isReal { storage = .real }
        else if type.isBlob { storage = .blob }
        else { storage = .text }
        enumValues = type.base == "enum" ? Set(type.values) : nil
        characterLimit = type.base == "char" || type.base == "varchar" ? type.arguments.first : nil
        byteLimit = ["tinytext": 255, "text": 65_535, "mediumtext": 16_777_215][type.base]
        switch type.base {
        case "date": format = .date
        case "datetime", "timestamp": format = .datetime
        case "time": format = .time
        case "decimal", "numeric":
            format = .decimal(precision: type.arguments.first ?? 10, scale: type.arguments.count > 1 ? type.arguments[1] : 0)
        default: format = .free
        }
    }
}
