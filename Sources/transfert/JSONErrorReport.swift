import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// With `--json`, a failure is one object on standard output — `{"error": {"code", "message", "exit_code"}}` —
/// whatever the command, so that scripts read failures as they read results. The human sentence still goes
/// to standard error.
///
/// Codes are stable (``ProblemCode``, the user guide's table): each error type declares its own through
/// ``LocatedError``, case by case; `usage` for a command line that does not parse, `failed` otherwise.
/// Nothing is derived from a Swift type's or case's name.
enum JSONErrorReport {
    static func code(for error: Error) -> ProblemCode {
        if let error = error as? any LocatedError { return error.problemCode }
        if error is ValidationError || Transfert.exitCode(for: error) == .validationFailure { return .usage }
        return .failed
    }

    /// Prints the object, unless the command already printed its own (it then threw an `ExitCode`), or the
    /// "error" is help or version output.
    static func print(_ error: Error) {
        guard !(error is ExitCode) else { return }
        let exit = Transfert.exitCode(for: error)
        guard exit != .success else { return }
        try? printJSON(["error": ErrorObject(error, exitCode: exit.rawValue)])
    }

    /// `{"code", "message", "exit_code", "location", "problems"}`; `location` only for an error that knows
    /// its place, `problems` only when the failure is made of several (letters the relay refused, the fields
    /// `structure add` refused, every ``ProblemListError``: establishments `structure remove` cannot prove,
    /// a receipt's mismatches, letters that cannot be written, an unsafe bundle's entries).
    struct ErrorObject: Encodable {
        var code: ProblemCode
        var message: String
        var exitCode: Int32
        var location: ProblemLocation?
        var problems: [Problem]?

        init(_ error: any Error, exitCode: Int32) {
            code = JSONErrorReport.code(for: error)
            message = String(describing: error)
            self.exitCode = exitCode
            location = (error as? any LocatedError)?.location
            let listed = (error as? StructureValidationError)?.problems ?? (error as? any ProblemListError)?.problems
            problems = listed?.isEmpty == false ? listed : nil
        }

        init(code: ProblemCode, message: String, exitCode: Int32, problems: [Problem]? = nil) {
            self.code = code
            self.message = message
            self.exitCode = exitCode
            self.problems = problems
        }

        enum CodingKeys: String, CodingKey {
            case code, message
            case exitCode = "exit_code"
            case location, problems
        }
    }
}
