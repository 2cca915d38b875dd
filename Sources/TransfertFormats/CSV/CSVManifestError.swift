import Foundation
import TransfertModel

/// A CSV manifest that cannot be read, with the place and what to do.
public struct CSVManifestError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// A column name, or "character N" for a syntax error.
    public var column: String?
    public var message: String

    public var description: String {
        var place = file
        if let line { place += ", line \(line)" }
        if let column { place += ", \(column)" }
        return "\(place): \(message)"
    }
}

extension CSVManifestError: LocatedError {
    public var problemCode: ProblemCode { .csvUnreadable }
    public var location: ProblemLocation? {
        // `column` is a column name, or "character N" for a syntax error.
        if let column, column.hasPrefix("character "), let number = Int(column.dropFirst("character ".count)) {
            return ProblemLocation(file: file, line: line, column: number)
        }
        return ProblemLocation(file: file, line: line, field: column)
    }
}
