import Foundation

/// A row that cannot be applied (an unknown `ROW_STATUS`, a missing key, a course that does not exist):
/// that row fails with its line, field and reason, and the others go on.
public struct FeedRowFailure: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    /// The header's name of the field at fault (`ROW_STATUS`, `EXTERNAL_COURSE_KEY`).
    public var field: String
    public var value: String?
    public var reason: String
    /// The keys the row names, when it names them: a refresh must not take a failed row's record for absent.
    public var courseKey: String?
    public var personKey: String?

    public init(
        line: Int, field: String, value: String? = nil, reason: String, courseKey: String? = nil,
        personKey: String? = nil
    ) {
        self.line = line
        self.field = field
        self.value = value
        self.reason = reason
        self.courseKey = courseKey
        self.personKey = personKey
    }

    public var description: String {
        "line \(line), field \(field)\(value.map { " ('\($0)')" } ?? ""): \(reason)"
    }
}
