/// One thing wrong, as a value a program can read: a stable `code` to branch on, the sentence a person
/// reads, and where it is.
///
/// `verify` and `import` report their findings as problems; with `--json` they are objects:
///
/// ```json
/// {"code": "dump.refused", "message": "base_2/000001.sql line 14, column 1: …",
///  "location": {"file": "base_2/000001.sql", "line": 14, "column": 1, "establishment": "base_2", "base_id": 2}}
/// ```
public struct Problem: Codable, Equatable, Sendable, CustomStringConvertible {
    /// Stable and dotted: `<area>.<what>` (``ProblemCode/csvMismatch``, ``ProblemCode/dumpRefused``…).
    public var code: ProblemCode
    /// The sentence, complete on its own (it already names the place).
    public var message: String
    public var location: ProblemLocation?

    public init(code: ProblemCode, message: String, location: ProblemLocation? = nil) {
        self.code = code
        self.message = message
        self.location = location.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An error as a problem: under its own code and place when it declares them (``LocatedError``), else
    /// under `code`.
    public init(_ error: any Error, code: ProblemCode, establishment: ProblemLocation? = nil) {
        let located = error as? any LocatedError
        var location = located?.location ?? ProblemLocation()
        if let establishment { location.adopt(establishment) }
        self.init(code: located?.problemCode ?? code, message: String(describing: error), location: location)
    }

    /// The same problem said inside a larger sentence: `prefix` before its message, under `code` when given
    /// (a caller whose own code is published, like `source.changed`), its place completed from `place`.
    public func restated(prefix: String = "", code: ProblemCode? = nil, place: ProblemLocation? = nil) -> Problem {
        var location = self.location ?? ProblemLocation()
        if let place { location.adopt(place) }
        return Problem(code: code ?? self.code, message: prefix + message, location: location)
    }

    public var description: String { message }
}
