import Foundation
import TransfertModel

/// A OneRoster 1.1 CSV package that cannot be used at all: nothing of the run is applied and nothing is
/// disabled. Each names the file, its line and field, and what to do. (Faults of the lines themselves —
/// invalid UTF-8, a UTF-16 file, a line too long — are ``FeedFileError``s, as for snapshot files.)
public enum OneRosterFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input is neither a directory nor a ZIP, or a file the manifest needs is not in it.
    case missingFile(file: String, reason: String)
    /// A file of the package has no header line.
    case empty(file: String)
    /// A line is not comma-separated values (an unterminated quote, text after a closing quote).
    case malformedLine(file: String, line: Int, reason: String)
    case missingColumn(file: String, column: String)
    case unknownColumn(file: String, column: String, known: [String])
    case duplicateColumn(file: String, column: String)
    /// A `manifest.csv` property that is missing, unknown, repeated or has a value Transfert cannot use.
    case manifest(file: String, line: Int?, property: String, reason: String)
    /// Two rows of one file with the same `sourcedId`: which one is true is ambiguous.
    case duplicateSourcedId(file: String, line: Int, earlierLine: Int, sourcedId: String)
    /// A classes/users row that cannot name anything (an empty `sourcedId`).
    case badRow(file: String, line: Int, column: String, reason: String)

    public var description: String {
        let nothing = "nothing was applied"
        switch self {
        case .missingFile(let file, let reason): return "\(file): \(reason); \(nothing)"
        case .empty(let file): return "\(file): the file is empty (no header line); \(nothing) and nothing was disabled"
        case .malformedLine(let file, let line, let reason):
            return "\(file), line \(line): \(reason); OneRoster files are comma-separated values (RFC 4180); \(nothing)"
        case .missingColumn(let file, let column):
            return "\(file), line 1: the header has no \(column) column, which Transfert needs; \(nothing)"
        case .unknownColumn(let file, let column, let known):
            return
                "\(file), line 1: unknown column \(column) (OneRoster 1.1 knows \(known.joined(separator: ", ")), and extension columns start with metadata.); \(nothing)"
        case .duplicateColumn(let file, let column):
            return "\(file), line 1: the column \(column) appears twice in the header; \(nothing)"
        case .manifest(let file, let line, let property, let reason):
            return "\(file)\(line.map { ", line \($0)" } ?? ""), property \(property): \(reason); \(nothing)"
        case .duplicateSourcedId(let file, let line, let earlierLine, let sourcedId):
            return
                "\(file), line \(line): sourcedId \(sourcedId) is already on line \(earlierLine); which row is true is ambiguous: keep one row per sourcedId; \(nothing)"
        case .badRow(let file, let line, let column, let reason):
            return "\(file), line \(line), column \(column): \(reason); \(nothing)"
        }
    }
}

extension OneRosterFileError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .missingFile: return .feedUnreadable
        case .empty: return .feedEmpty
        case .missingColumn, .unknownColumn, .duplicateColumn, .manifest: return .feedHeader
        case .malformedLine, .badRow: return .feedMalformed
        case .duplicateSourcedId: return .feedDuplicateRecord
        }
    }

    public var location: ProblemLocation? {
        switch self {
        case .missingFile(let file, _), .empty(let file): return ProblemLocation(file: file)
        case .malformedLine(let file, let line, _), .duplicateSourcedId(let file, let line, _, _):
            return ProblemLocation(file: file, line: line)
        case .missingColumn(let file, let column), .unknownColumn(let file, let column, _),
            .duplicateColumn(let file, let column):
            return ProblemLocation(file: file, line: 1, field: column)
        case .manifest(let file, let line, let property, _):
            return ProblemLocation(file: file, line: line, field: property)
        case .badRow(let file, let line, let column, _): return ProblemLocation(file: file, line: line, field: column)
        }
    }
}
