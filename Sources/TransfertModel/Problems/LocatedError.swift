/// An error that knows what it is and where: `--json` failures carry its code and location
/// (`{"error": {"code", "message", "exit_code", "location"}}`), and reports turn it into a ``Problem``.
///
/// Every error that can reach a person declares its conformance in its own file, its code written out case by
/// case from ``ProblemCode``'s constants — never derived from the Swift type's or case's name, so that renaming
/// a case cannot change what scripts read.
public protocol LocatedError: Error {
    /// Stable and dotted (``ProblemCode``), like ``Problem/code``.
    var problemCode: ProblemCode { get }
    /// Where it is, when the error knows (a file, its line and column, a field, a value).
    var location: ProblemLocation? { get }
}

extension LocatedError {
    /// Most errors know what went wrong, not where.
    public var location: ProblemLocation? { nil }
}
