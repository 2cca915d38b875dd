import Foundation

/// One hosted establishment, as the registry lists it.
///
/// `baseID` is the id users see in their access URL (`<base-url>?id=<baseID>`); it changes when an
/// establishment moves to another server. `guid` never changes: it identifies the establishment across
/// moves and copies' journals.
public struct Structure: Codable, Hashable, Sendable, Identifiable {
    public var baseID: Int64
    public var guid: UUID
    public var zoneID: Int64
    /// The establishment code; SACoche allows it to be empty for non-French establishments.
    public var uai: UAI?
    public var localisation: String
    public var denomination: String
    public var contactNom: String
    public var contactPrenom: String
    public var contactCourriel: EmailAddress
    /// Registration date, `YYYY-MM-DD`.
    public var inscriptionDate: CalendarDate
    public var status: Status

    public var id: Int64 { baseID }

    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Hosted and open to its users.
        case active
        /// Being restored by an import: not yet usable, cleaned up by `doctor` if left behind.
        case importing
        /// Confirmed as living on another server (`transfert confirm`): access stays closed, the portal
        /// redirects its old address, and it can be removed without a bundle.
        case moved
    }

    public init(
        baseID: Int64, guid: UUID = UUID(), zoneID: Int64, uai: UAI?, localisation: String,
        denomination: String, contactNom: String, contactPrenom: String, contactCourriel: EmailAddress,
        inscriptionDate: CalendarDate, status: Status = .active
    ) {
        self.baseID = baseID
        self.guid = guid
        self.zoneID = zoneID
        self.uai = uai
        self.localisation = localisation
        self.denomination = denomination
        self.contactNom = contactNom
        self.contactPrenom = contactPrenom
        self.contactCourriel = contactCourriel
        self.inscriptionDate = inscriptionDate
        self.status = status
    }

    /// The registry's field names, also used as JSON keys.
    public enum CodingKeys: String, CodingKey {
        case baseID = "base_id"
        case guid
        case zoneID = "zone_id"
        case uai, localisation, denomination
        case contactNom = "contact_nom"
        case contactPrenom = "contact_prenom"
        case contactCourriel = "contact_courriel"
        case inscriptionDate = "inscription_date"
        case status
    }

    /// Encodes the GUID in lower case, as the registry stores it and as RFC 4122 recommends.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(baseID, forKey: .baseID)
        try container.encode(guid.uuidString.lowercased(), forKey: .guid)
        try container.encode(zoneID, forKey: .zoneID)
        try container.encode(uai, forKey: .uai)
        try container.encode(localisation, forKey: .localisation)
        try container.encode(denomination, forKey: .denomination)
        try container.encode(contactNom, forKey: .contactNom)
        try container.encode(contactPrenom, forKey: .contactPrenom)
        try container.encode(contactCourriel, forKey: .contactCourriel)
        try container.encode(inscriptionDate, forKey: .inscriptionDate)
        try container.encode(status, forKey: .status)
    }

    /// "Localisation | Dénomination [UAI]", the way SACoche's result tables name an establishment.
    public var displayName: String {
        "\(localisation) | \(denomination)" + (uai.map { " [\($0)]" } ?? "")
    }
}
