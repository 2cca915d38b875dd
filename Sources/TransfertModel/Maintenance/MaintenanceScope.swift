import Foundation

/// The establishments a window or a lock applies to.
public enum MaintenanceScope: Equatable, Sendable, Codable {
    /// Every establishment of the hosting, including those added while it lasts.
    case all
    /// These establishments, in ascending order.
    case establishments([Int64])

    public func covers(baseID: Int64) -> Bool {
        switch self {
        case .all: return true
        case .establishments(let ids): return ids.contains(baseID)
        }
    }

    /// `all`, or the ids separated by commas (how tables and messages show it).
    public var description: String {
        switch self {
        case .all: return "all"
        case .establishments(let ids): return ids.map(String.init).joined(separator: ",")
        }
    }

    /// Whether the two scopes share an establishment.
    public func overlaps(_ other: MaintenanceScope) -> [Int64]? {
        switch (self, other) {
        case (.all, .all): return []
        case (.all, .establishments(let ids)), (.establishments(let ids), .all): return ids
        case (.establishments(let mine), .establishments(let theirs)):
            let shared = Set(mine).intersection(theirs).sorted()
            return shared.isEmpty ? nil : shared
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), text == "all" {
            self = .all
            return
        }
        self = .establishments(try container.decode([Int64].self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .all: try container.encode("all")
        case .establishments(let ids): try container.encode(ids)
        }
    }
}
