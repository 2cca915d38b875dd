import Foundation

/// One line of the transfer journal: what happened to an establishment on this server.
///
/// Ids change when an establishment moves; its GUID does not. The journal, kept in the registry, follows
/// an establishment by GUID through exports, imports and removals, so an operator can always say where
/// it came from and where it went.
public struct JournalEntry: Codable, Equatable, Sendable {
    public enum Event: String, Codable, Sendable {
        /// Dumped into a bundle.
        case exported
        /// Restored from a bundle.
        case imported
        /// Deleted from this server (after a verified export, or forced).
        case removed
    }

    /// Position in the journal (assigned by the registry).
    public var id: Int64?
    /// ISO 8601, UTC.
    public var at: String
    public var event: Event
    public var guid: String
    /// The establishment's id on this server when it happened.
    public var baseID: Int64
    public var denomination: String
    /// For imports: where the bundle came from.
    public var sourceServer: String?
    public var sourceFingerprint: String?
    /// For imports: the id it had on the source server.
    public var sourceBaseID: Int64?
    /// The bundle's base name (`bases_dump_…`).
    public var bundle: String?
    /// Free text: how a removal was justified, the options of an import…
    public var details: String?

    public init(event: Event, guid: String, baseID: Int64, denomination: String, sourceServer: String? = nil,
                sourceFingerprint: String? = nil, sourceBaseID: Int64? = nil, bundle: String? = nil,
                details: String? = nil, at: Date = Date()) {
        self.at = ISO8601DateFormatter().string(from: at)
        self.event = event
        self.guid = guid
        self.baseID = baseID
        self.denomination = denomination
        self.sourceServer = sourceServer
        self.sourceFingerprint = sourceFingerprint
        self.sourceBaseID = sourceBaseID
        self.bundle = bundle
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case id, at, event, guid, baseID = "base_id", denomination, sourceServer = "source_server"
        case sourceFingerprint = "source_fingerprint", sourceBaseID = "source_base_id", bundle, details
    }
}
