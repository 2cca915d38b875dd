import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What users of one establishment meet at a given time, and why: the portal's `/status` answer and the
/// page `/?id=N` shows. ``AccessResolver`` decides it.
public struct AccessState: Codable, Hashable, Sendable {
    public var id: Int64
    public var state: Kind
    public var establishment: Establishment
    /// The sentence users read (warning, maintenance, lock); `nil` when access is open and nothing is planned.
    public var message: String?
    /// The operator's own words of the window shown (`--message`).
    public var note: String?
    /// The lock users see, when a lock is what keeps them out.
    public var lock: AccessLock?
    /// The window shown: in progress during maintenance, the next one in a warning.
    public var window: Window?
    /// When service returns (ISO 8601 with the hosting's offset), when known.
    public var until: String?
    /// Seconds to ``until``, for HTTP `Retry-After`.
    public var retryAfter: Int?
    /// For the application: what to tell users still connected, and after how many seconds to close their session.
    public var disconnect: Disconnect?
    /// Every lock that applies, in precedence order (the first is ``lock`` unless a window comes first).
    public var locks: [AccessLock]
    /// When this was decided (ISO 8601 with the hosting's offset).
    public var checkedAt: String
    /// For a moved establishment: its new access address (where the portal redirects).
    public var movedTo: String?

    public enum Kind: String, Codable, Sendable {
        /// Nothing keeps users out and nothing is planned.
        case open
        /// Open, with a window planned: users are warned.
        case warning
        /// A window is in progress: users are kept out until its end.
        case maintenance
        /// A lock keeps users out.
        case locked
        /// It lives on another server now (move confirmed): users are sent to its new address (HTTP 301).
        case moved

        /// Whether users are kept out (HTTP 503).
        public var isClosed: Bool { self == .maintenance || self == .locked }
    }

    public struct Establishment: Codable, Hashable, Sendable {
        public var name: String
        public var place: String
        public var uai: String?

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(place, forKey: .place)
            try container.encode(uai, forKey: .uai)
        }
    }

    public struct Window: Codable, Hashable, Sendable {
        public var number: Int64
        public var type: MaintenanceType
        public var state: MaintenanceWindow.State
        public var start: String
        public var end: String
    }

    public struct Disconnect: Codable, Hashable, Sendable {
        public var message: String
        public var afterSeconds: Int

        enum CodingKeys: String, CodingKey {
            case message
            case afterSeconds = "after_seconds"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, state, establishment, message, note, lock, window, until
        case retryAfter = "retry_after"
        case disconnect, locks
        case checkedAt = "checked_at"
        case movedTo = "moved_to"
    }

    /// Every key always present, `null` when there is no value: the application need not test for a key.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(state, forKey: .state)
        try container.encode(establishment, forKey: .establishment)
        try container.encode(message, forKey: .message)
        try container.encode(note, forKey: .note)
        try container.encode(lock, forKey: .lock)
        try container.encode(window, forKey: .window)
        try container.encode(until, forKey: .until)
        try container.encode(retryAfter, forKey: .retryAfter)
        try container.encode(disconnect, forKey: .disconnect)
        try container.encode(locks, forKey: .locks)
        try container.encode(checkedAt, forKey: .checkedAt)
        try container.encode(movedTo, forKey: .movedTo)
    }
}
