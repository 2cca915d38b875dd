/// An error that knows where it is: `--json` failures carry its code and location
/// (`{"error": {"code", "message", "exit_code", "location"}}`), and reports turn it into a ``Problem``.
public protocol LocatedError: Error {
    /// Stable and dotted, like ``Problem/code``.
    var problemCode: String { get }
    var location: ProblemLocation? { get }
}

extension DumpParseError: LocatedError {
    public var problemCode: String { "dump.refused" }
    public var location: ProblemLocation? {
        ProblemLocation(file: position.entry, line: position.line, column: position.column,
                        establishment: position.entry.split(separator: "/").first.map(String.init))
    }
}

extension DumpLoadError: LocatedError {
    public var problemCode: String {
        switch self {
        case .damaged: return "archive.damaged"
        case .refused(let error): return error.problemCode
        }
    }
    public var location: ProblemLocation? {
        switch self {
        case .damaged: return nil
        case .refused(let error): return error.location
        }
    }
}

extension CSVManifestError: LocatedError {
    public var problemCode: String { "csv.unreadable" }
    public var location: ProblemLocation? {
        // `column` is a column name, or "character N" for a syntax error.
        if let column, column.hasPrefix("character "), let number = Int(column.dropFirst("character ".count)) {
            return ProblemLocation(file: file, line: line, column: number)
        }
        return ProblemLocation(file: file, line: line, field: column)
    }
}

extension ConfigurationError: LocatedError {
    public var problemCode: String {
        switch self {
        case .unreadable: return "configuration.unreadable"
        case .invalid: return "configuration.invalid"
        case .invalidValue: return "configuration.invalid_value"
        case .syntax: return "configuration.syntax"
        }
    }
    public var location: ProblemLocation? {
        switch self {
        case .unreadable(let file, _), .invalid(let file, _): return ProblemLocation(file: file)
        case .invalidValue(let file, let key, let value, _): return ProblemLocation(file: file, field: key, value: value)
        case .syntax(let file, let line, let column, _): return ProblemLocation(file: file, line: line, column: column)
        }
    }
}

extension LetterTemplateError: LocatedError {
    public var problemCode: String { "template.invalid" }
    public var location: ProblemLocation? { ProblemLocation(file: file, line: line) }
}
