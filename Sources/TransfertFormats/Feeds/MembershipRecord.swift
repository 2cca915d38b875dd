import Foundation

/// One membership a SIS file states: the record a feed operation applies, whatever file format it came
/// from (a Blackboard snapshot flat file, or a OneRoster enrollment mapped onto the same fields).
public struct MembershipRecord: Equatable, Sendable {
    /// The line of the file the record was read from (1 is the header), for messages.
    public var line: Int
    /// `EXTERNAL_COURSE_KEY` (or `EXTERNAL_ORGANIZATION_KEY`): the course, by the profile's course key.
    public var courseKey: String
    /// `EXTERNAL_PERSON_KEY`: the person, by the profile's person key.
    public var personKey: String
    /// `ROLE`, as the file spells it; `nil` when the file has no such column or leaves it empty.
    public var role: String?
    /// `AVAILABLE_IND`; `nil` when absent, which means available on create and update.
    public var available: Bool?
    /// `ROW_STATUS`; `nil` when absent (enabled).
    public var rowStatus: RowStatus?
    /// `DATA_SOURCE_KEY`/`NEW_DATA_SOURCE_KEY`; `nil`: the run's data source.
    public var dataSource: String?

    public init(
        line: Int, courseKey: String, personKey: String, role: String? = nil, available: Bool? = nil,
        rowStatus: RowStatus? = nil, dataSource: String? = nil
    ) {
        self.line = line
        self.courseKey = courseKey
        self.personKey = personKey
        self.role = role
        self.available = available
        self.rowStatus = rowStatus
        self.dataSource = dataSource
    }
}
