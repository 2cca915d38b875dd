import Foundation
import TransfertModel

/// A SIS feed file that cannot be used at all: nothing of the run is applied (the whole run is one
/// transaction, rolled back), and nothing is disabled. Each names the file, the line and what to do.
public enum FeedFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    /// No header line: an empty file never disables anything.
    case empty(file: String)
    /// The header is not pipe-delimited (`found` is the delimiter it seems to use).
    case wrongDelimiter(file: String, found: String)
    case missingField(file: String, field: String)
    case unknownField(file: String, field: String, known: [String])
    case duplicateField(file: String, field: String)
    /// Both course key columns, or neither: the file must say which kind of membership it holds.
    case ambiguousCourseKey(file: String)
    case lineTooLong(file: String, line: Int, limit: Int)
    case invalidUTF8(file: String, line: Int)
    /// A file in UTF-16 (its byte-order mark says so).
    case notUTF8(file: String, encoding: String)
    /// Two rows for the same membership in one file: which one is true is ambiguous.
    case duplicateRecord(file: String, line: Int, earlierLine: Int, courseKey: String, personKey: String)

    public var description: String {
        let nothing = "nothing was applied"
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot be read (\(reason)); \(nothing)"
        case .empty(let file):
            return "\(file): the file is empty (no header line); \(nothing) and nothing was disabled"
        case .wrongDelimiter(let file, let found):
            return
                "\(file), line 1: the header is delimited by '\(found)', but snapshot flat files are pipe-delimited ('|'): export the file again with '|' between fields; \(nothing)"
        case .missingField(let file, let field):
            return "\(file), line 1: the header has no \(field) column, which membership files need; \(nothing)"
        case .unknownField(let file, let field, let known):
            return
                "\(file), line 1: unknown column \(field) (known: \(known.joined(separator: ", "))); remove it or correct its name; \(nothing)"
        case .duplicateField(let file, let field):
            return "\(file), line 1: the column \(field) appears twice in the header; \(nothing)"
        case .ambiguousCourseKey(let file):
            return
                "\(file), line 1: the header must have exactly one of EXTERNAL_COURSE_KEY and EXTERNAL_ORGANIZATION_KEY; \(nothing)"
        case .lineTooLong(let file, let line, let limit):
            return
                "\(file), line \(line): the line is longer than \(limit) bytes, which no membership record needs (is this a snapshot flat file?); \(nothing)"
        case .invalidUTF8(let file, let line):
            return "\(file), line \(line): the line is not valid UTF-8; save the file as UTF-8; \(nothing)"
        case .notUTF8(let file, let encoding):
            return "\(file): the file is in \(encoding); save it as UTF-8; \(nothing)"
        case .duplicateRecord(let file, let line, let earlierLine, let courseKey, let personKey):
            return
                "\(file), line \(line): the membership of \(personKey) in \(courseKey) is already on line \(earlierLine); which one is true is ambiguous: keep one row per membership; \(nothing)"
        }
    }
}

extension FeedFileError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .unreadable: return .feedUnreadable
        case .empty: return .feedEmpty
        case .wrongDelimiter, .missingField, .unknownField, .duplicateField, .ambiguousCourseKey:
            return .feedHeader
        case .lineTooLong, .invalidUTF8, .notUTF8: return .feedMalformed
        case .duplicateRecord: return .feedDuplicateRecord
        }
    }

    public var location: ProblemLocation? {
        switch self {
        case .unreadable(let file, _), .empty(let file), .notUTF8(let file, _), .ambiguousCourseKey(let file):
            return ProblemLocation(file: file)
        case .wrongDelimiter(let file, _): return ProblemLocation(file: file, line: 1)
        case .missingField(let file, let field), .unknownField(let file, let field, _),
            .duplicateField(let file, let field):
            return ProblemLocation(file: file, line: 1, field: field)
        case .lineTooLong(let file, let line, _), .invalidUTF8(let file, let line):
            return ProblemLocation(file: file, line: line)
        case .duplicateRecord(let file, let line, _, _, _): return ProblemLocation(file: file, line: line)
        }
    }
}
