import Foundation

/// What a membership source hands on for each data line: a record to apply, or a row that failed.
public enum MembershipRow: Equatable, Sendable {
    case record(MembershipRecord)
    case failed(FeedRowFailure)
}

/// A file of membership records read once, front to back, without holding it: what a feed operation
/// consumes. The snapshot flat-file reader is one; a OneRoster reader is another.
///
/// ```swift
/// let source = try SnapshotMembershipReader(url: fileURL)
/// try source.forEachRow { row in … }
/// ```
public protocol MembershipSource {
    /// The file's name, for messages.
    var file: String { get }
    /// Calls `body` with each data row in file order. Throws a ``FeedFileError`` when the file itself
    /// cannot be used (a wrong header, a line too long, invalid UTF-8): the caller rolls back the whole run.
    func forEachRow(_ body: (MembershipRow) throws -> Void) throws
}
