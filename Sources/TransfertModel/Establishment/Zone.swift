/// A geographical or administrative zone establishments belong to (SACoche's *zone géographique*).
public struct Zone: Codable, Hashable, Sendable, Identifiable {
    public var id: Int64
    public var name: String

    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }

    /// The zone `init` creates, as SACoche does.
    public static let defaultZoneName = "Zone par défaut"
}
