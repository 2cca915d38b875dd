import Foundation
import TransfertFormats

/// One record of a feed's state, as `feed show` lists it.
public struct FeedMembershipState: Codable, Equatable, Sendable {
    public var course: String
    public var person: String
    public var integration: String
    public var dataSource: String
    public var status: String
    public var available: Bool
    public var role: String?
    public var firstSeen: String
    public var lastSeen: String
    public var disabledAt: String?

    enum CodingKeys: String, CodingKey {
        case course, person, integration, status, available, role
        case dataSource = "data_source"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case disabledAt = "disabled_at"
    }

    static let columns =
        "course_key, person_key, integration, data_source, row_status, available, role, first_seen, last_seen, disabled_at"

    init(row: [SQLValue]) {
        course = row[0].textValue ?? ""
        person = row[1].textValue ?? ""
        integration = row[2].textValue ?? ""
        dataSource = row[3].textValue ?? ""
        status = row[4].textValue ?? ""
        available = row[5].integerValue == 1
        role = row[6].textValue
        firstSeen = row[7].textValue ?? ""
        lastSeen = row[8].textValue ?? ""
        disabledAt = row[9].textValue
    }
}
