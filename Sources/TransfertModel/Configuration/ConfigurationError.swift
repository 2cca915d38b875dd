import Foundation

/// A configuration or profile file that cannot be used, with the file and key to fix.
public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case invalid(file: String, reason: String)
    case invalidValue(file: String, key: String, value: String, expected: String)
    /// Not YAML at all, at this line and column.
    case syntax(file: String, line: Int, column: Int, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot be read (\(reason))"
        case .invalid(let file, let reason): return "\(file): \(reason)"
        case .invalidValue(let file, let key, let value, let expected):
            return "\(file): key `\(key)` is '\(value)', expected \(expected)"
        case .syntax(let file, let line, let column, let reason):
            return "\(file), line \(line), column \(column): this is not valid YAML (\(reason))"
        }
    }
}

extension ConfigurationError: LocatedError {
    public var problemCode: ProblemCode {
        switch self {
        case .unreadable: return .configurationUnreadable
        case .invalid: return .configurationInvalid
        case .invalidValue: return .configurationInvalidValue
        case .syntax: return .configurationSyntax
        }
    }
    public var location: ProblemLocation? {
        switch self {
        case .unreadable(let file, _), .invalid(let file, _): return ProblemLocation(file: file)
        case .invalidValue(let file, let key, let value, _):
            return ProblemLocation(file: file, field: key, value: value)
        case .syntax(let file, let line, let column, _): return ProblemLocation(file: file, line: line, column: column)
        }
    }
}
