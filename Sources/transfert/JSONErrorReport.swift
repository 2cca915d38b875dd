import ArgumentParser
import Foundation
import TransfertKit

/// With `--json`, a failure is one object on standard output — `{"error": {"code", "message", "exit_code"}}` —
/// whatever the command, so that scripts read failures as they read results. The human sentence still goes
/// to standard error.
///
/// Codes are stable: named ones for maintenance windows and moves (`window_already_planned`,
/// `bad_signature`…), else `<domain>.<case>` from the error's type and case (`registry.duplicate_uai`,
/// `safe_deletion.not_verified`), `usage` for a command line that does not parse, `failed` otherwise.
enum JSONErrorReport {
    static func code(for error: Error) -> String {
        if let error = error as? any LocatedError { return error.problemCode }
        if let error = error as? MaintenanceError { return error.code }
        if let error = error as? MoveError { return error.code }
        if error is ValidationError || Transfert.exitCode(for: error) == .validationFailure { return "usage" }
        if error is CommandFailure { return "failed" }
        let type = String(describing: Swift.type(of: error))
        guard type.hasSuffix("Error"), type != "Error" else {
            return Transfert.exitCode(for: error) == .validationFailure ? "usage" : "failed"
        }
        let domain = snake(String(type.dropLast("Error".count)))
        // An enum's case names what went wrong; a struct's fields do not.
        let mirror = Mirror(reflecting: error)
        guard mirror.displayStyle == .enum, let label = mirror.children.first?.label else { return domain }
        return domain + "." + snake(label)
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
    /// its place, `problems` only when the failure is made of several (letters the relay refused).
    struct ErrorObject: Encodable {
        var code: String
        var message: String
        var exitCode: Int32
        var location: ProblemLocation?
        var problems: [Problem]?

        init(_ error: any Error, exitCode: Int32) {
            code = JSONErrorReport.code(for: error)
            message = String(describing: error)
            self.exitCode = exitCode
            location = (error as? any LocatedError)?.location
        }

        init(code: String, message: String, exitCode: Int32, problems: [Problem]? = nil) {
            self.code = code
            self.message = message
            self.exitCode = exitCode
            self.problems = problems
        }

        enum CodingKeys: String, CodingKey {
            case code, message, exitCode = "exit_code", location, problems
        }
    }

    static func snake(_ camel: String) -> String {
        var result = ""
        for (index, character) in camel.enumerated() {
            if character.isUppercase {
                if index > 0 { result.append("_") }
                result.append(Character(character.lowercased()))
            } else {
                result.append(character)
            }
        }
        return result
    }
}
