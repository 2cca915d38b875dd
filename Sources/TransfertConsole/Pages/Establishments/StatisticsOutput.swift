import Foundation

/// `transfert stats --json` as the statistics page reads it: one object per establishment whose figure
/// keys come from the application profile (`staff`, `students`…), and a totals object. Figures are kept
/// as the command wrote them (a number, a text such as a date, or null), never re-computed here.
struct StatisticsOutput: Decodable, Sendable {
    var establishments: [[String: Figure]]
    var totals: [String: Figure]

    /// One JSON scalar.
    enum Figure: Decodable, Sendable, Equatable {
        case integer(Int64)
        case real(Double)
        case text(String)
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let integer = try? container.decode(Int64.self) {
                self = .integer(integer)
            } else if let real = try? container.decode(Double.self) {
                self = .real(real)
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        var text: String {
            switch self {
            case .integer(let value): return String(value)
            case .real(let value): return String(value)
            case .text(let value): return value
            case .null: return ""
            }
        }

        var integer: Int64? {
            if case .integer(let value) = self { return value }
            return nil
        }
    }
}
