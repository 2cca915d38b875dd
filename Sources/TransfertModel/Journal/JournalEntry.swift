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
        /// Deleted from this server (after a verified export, a confirmed move, or forced).
        case removed
        /// The target wrote a signed receipt of the import (`<zip>.receipt.json`).
        case receiptWritten = "receipt_written"
        /// The source checked the target's receipt (`transfert confirm`): the establishment lives there now.
        case confirmed
        /// The source's old address now sends users to the new one (HTTP 301 from the portal).
        case redirected
        /// A bundle restored into this existing establishment (`transfert restore --replace|--merge`).
        case restored
    }

    /// Whether what the entry records happened, or was refused (a receipt that did not match).
    public enum Outcome: String, Codable, Sendable {
        case done
        case refused
    }

    /// Position in the journal (assigned by the registry).
    public var id: Int64?
    /// ISO 8601: UTC in the registry; with the hosting's offset once ``shown(in:)`` (as `journal --json` shows it).
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
    /// Its UAI when it happened (to find an establishment's history by UAI).
    public var uai: String?
    /// For exports, receipts and confirmations: the server it went to, its fingerprint and its id there.
    public var targetServer: String?
    public var targetFingerprint: String?
    public var targetBaseID: Int64?
    /// The SHA-256 of the bundle's ZIP, as exported or as imported.
    public var bundleSHA256: String?
    /// The per-table digests recorded at export (or verified at import), which a receipt must match.
    public var digests: [TableDigest]?
    /// The operator's own words (`--note`).
    public var note: String?
    /// `done` unless the event was refused (a receipt that did not match is recorded too).
    public var outcome: Outcome?

    /// The same entry with `at` in ISO 8601 with the offset of `time`'s zone, as every `--json` time is.
    public func shown(in time: MaintenanceTime) -> JournalEntry {
        var shown = self
        if let date = ISO8601DateFormatter().date(from: at) { shown.at = time.iso(date) }
        return shown
    }

    public init(
        event: Event, guid: String, baseID: Int64, denomination: String, sourceServer: String? = nil,
        sourceFingerprint: String? = nil, sourceBaseID: Int64? = nil, bundle: String? = nil,
        details: String? = nil, uai: String? = nil, targetServer: String? = nil, targetFingerprint: String? = nil,
        targetBaseID: Int64? = nil, bundleSHA256: String? = nil, digests: [TableDigest]? = nil, note: String? = nil,
        outcome: Outcome? = .done, at: Date = Date()
    ) {
        self.uai = uai
        self.targetServer = targetServer
        self.targetFingerprint = targetFingerprint
        self.targetBaseID = targetBaseID
        self.bundleSHA256 = bundleSHA256
        self.digests = digests
        self.note = note
        self.outcome = outcome
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
        case id, at, event, guid
        case baseID = "base_id"
        case denomination
        case sourceServer = "source_server"
        case sourceFingerprint = "source_fingerprint"
        case sourceBaseID = "source_base_id"
        case bundle, details
        case uai
        case targetServer = "target_server"
        case targetFingerprint = "target_fingerprint"
        case targetBaseID = "target_base_id"
        case bundleSHA256 = "bundle_sha256"
        case digests, note, outcome
    }

    /// The digests as the registry stores them (JSON text), and back.
    package static func encodeDigests(_ digests: [TableDigest]?) -> String? {
        guard let digests else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(digests)).map { String(decoding: $0, as: UTF8.self) }
    }

    package static func decodeDigests(_ text: String?) -> [TableDigest]? {
        guard let text else { return nil }
        return try? JSONDecoder().decode([TableDigest].self, from: Data(text.utf8))
    }
}
