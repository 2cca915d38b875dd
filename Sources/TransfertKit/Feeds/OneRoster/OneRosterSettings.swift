import Foundation

/// Which columns of a OneRoster package give the keys the profile's feed mapping expects
/// (`transfert.yaml`'s `feeds.oneroster:`): a class's course key and a user's person key.
public struct OneRosterSettings: Codable, Sendable, Equatable {
    /// `classes.csv`'s column that holds the course key (`class_key`): `classCode` (default), `title` or
    /// `sourcedId`.
    public var classKey: ClassKey?
    /// `users.csv`'s column that holds the person key (`person_key`): `username` (default), `identifier`
    /// or `sourcedId`.
    public var personKey: PersonKey?

    public enum ClassKey: String, Codable, Sendable, CaseIterable { case classCode, title, sourcedId }
    public enum PersonKey: String, Codable, Sendable, CaseIterable { case username, identifier, sourcedId }

    public var classColumn: String { (classKey ?? .classCode).rawValue }
    public var personColumn: String { (personKey ?? .username).rawValue }

    public init(classKey: ClassKey? = nil, personKey: PersonKey? = nil) {
        self.classKey = classKey
        self.personKey = personKey
    }

    enum CodingKeys: String, CodingKey {
        case classKey = "class_key"
        case personKey = "person_key"
    }
}
