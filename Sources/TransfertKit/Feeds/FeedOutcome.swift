import Foundation
import TransfertFormats

/// What a feed run did with one record: one per row of the file, and one per record a refresh disabled
/// or a cross-listing move disabled (those have the line of the row that caused them, or none).
public struct FeedOutcome: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case created, updated, unchanged, disabled, moved, failed
    }

    public var kind: Kind
    /// The file's line; `nil` for a record a refresh disabled because the file lacks it.
    public var line: Int?
    public var course: String?
    public var person: String?
    /// For `failed`: the field at fault and why; for `moved`: the course the membership moved to.
    public var field: String?
    public var value: String?
    public var reason: String?

    public init(
        kind: Kind, line: Int?, course: String?, person: String?, field: String? = nil, value: String? = nil,
        reason: String? = nil
    ) {
        self.kind = kind
        self.line = line
        self.course = course
        self.person = person
        self.field = field
        self.value = value
        self.reason = reason
    }

    init(_ failure: FeedRowFailure) {
        self.init(
            kind: .failed, line: failure.line, course: failure.courseKey, person: failure.personKey,
            field: failure.field, value: failure.value, reason: failure.reason)
    }
}

/// How many records of each kind a run produced.
public struct FeedTotals: Codable, Equatable, Sendable {
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var disabled = 0
    public var moved = 0
    public var failed = 0

    public init() {}

    mutating func count(_ kind: FeedOutcome.Kind) {
        switch kind {
        case .created: created += 1
        case .updated: updated += 1
        case .unchanged: unchanged += 1
        case .disabled: disabled += 1
        case .moved: moved += 1
        case .failed: failed += 1
        }
    }

    /// Whether the run changed nothing (a file applied a second time).
    public var changedNothing: Bool { created == 0 && updated == 0 && disabled == 0 && moved == 0 }
}
