import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// `/health`'s answer.
struct PortalHealth: Encodable {
    var status: String
    var establishments: Int?
    var checkedAt: String

    enum CodingKeys: String, CodingKey {
        case status, establishments
        case checkedAt = "checked_at"
    }

    /// Every key always present, `null` when there is no value: scripts need not test for a key.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(establishments, forKey: .establishments)
        try container.encode(checkedAt, forKey: .checkedAt)
    }
}
