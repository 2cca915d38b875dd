import Foundation

/// An establishment that left this server for good: the target's receipt was checked
/// (`transfert confirm`). Kept after the establishment is removed, so that its old address keeps sending
/// users to the new one, its id is never given to another establishment, and its old bundle is not
/// imported back by mistake.
public struct ConfirmedMove: Codable, Equatable, Sendable {
    /// Its id on this server (the old id).
    public var baseID: Int64
    public var guid: String
    public var denomination: String
    public var localisation: String
    public var uai: String?
    public var targetServer: String
    public var targetFingerprint: String
    /// Its id on the target.
    public var newID: Int64
    /// Its new access address, where the portal's old address redirects.
    public var accessURL: String
    /// The bundle it travelled in.
    public var bundle: String
    /// The SHA-256 of the receipt file that proved it.
    public var receiptSHA256: String
    /// ISO 8601, UTC.
    public var confirmedAt: String

    enum CodingKeys: String, CodingKey {
        case baseID = "base_id"
        case guid, denomination, localisation, uai
        case targetServer = "target_server"
        case targetFingerprint = "target_fingerprint"
        case newID = "new_id"
        case accessURL = "access_url"
        case bundle
        case receiptSHA256 = "receipt_sha256"
        case confirmedAt = "confirmed_at"
    }

    public init(
        baseID: Int64, guid: String, denomination: String, localisation: String, uai: String?, targetServer: String,
        targetFingerprint: String, newID: Int64, accessURL: String, bundle: String, receiptSHA256: String,
        confirmedAt: String
    ) {
        self.baseID = baseID
        self.guid = guid
        self.denomination = denomination
        self.localisation = localisation
        self.uai = uai
        self.targetServer = targetServer
        self.targetFingerprint = targetFingerprint
        self.newID = newID
        self.accessURL = accessURL
        self.bundle = bundle
        self.receiptSHA256 = receiptSHA256
        self.confirmedAt = confirmedAt
    }

    /// Why its old id is not given to another establishment (import, `structure add`).
    public var idNotGivenAgain: String {
        "id \(baseID) belonged to \(denomination), which moved to \(targetServer): its old address redirects there for good, so the id is not given again"
    }
}
