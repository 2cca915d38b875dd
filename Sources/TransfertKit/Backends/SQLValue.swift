import Foundation

/// A database value in the neutral type set Transfert moves between backends.
///
/// Every backend maps its column types onto these five storage classes (see `Docs/archive-format.md`),
/// which is what lets a dump made from SQLite be restored into PostgreSQL and back.
public enum SQLValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

extension SQLValue: CustomStringConvertible {
    /// A short human rendering (not SQL): used in statistics tables and error messages.
    public var description: String {
        switch self {
        case .null: return ""
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return v
        case .blob(let v): return "<\(v.count) bytes>"
        }
    }

    public var integerValue: Int64? {
        switch self {
        case .integer(let v): return v
        case .real(let v): return Int64(exactly: v)
        case .text(let v): return Int64(v)
        default: return nil
        }
    }

    public var textValue: String? {
        switch self {
        case .text(let v): return v
        case .integer, .real: return description
        default: return nil
        }
    }
}
