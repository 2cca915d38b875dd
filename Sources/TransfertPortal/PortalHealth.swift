import Foundation

/// `/health`'s answer.
struct PortalHealth: Encodable {
    var status: String
    var establishments: Int?
    var checkedAt: String

    enum CodingKeys: String, CodingKey {
        case status, establishments, checkedAt = "checked_at"
    }
}
