import Foundation
import TransfertKit

/// Starts the `transfert` binary for the console: the same command, locks, checks and messages as on a
/// terminal, with `--hosting` and `--json` given, the signed-in user named for the operations log, and
/// standard input a pipe the console holds open — the command watches it and stops (as on SIGTERM) when the
/// console goes away, so no job outlives the server that could report it.
struct CommandLauncher: Sendable {
    /// The variable that tells a command the console started it and holds its standard input open.
    static let jobVariable = "TRANSFERT_CONSOLE_JOB"

    let executable: URL
    let hosting: URL

    func process(arguments: [String], user: String, output: FileHandle, errors: FileHandle, input: Pipe) -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--hosting", hosting.path, "--json"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment[OperationLog.consoleUserVariable] = user
        environment[Self.jobVariable] = "1"
        environment["TRANSFERT_HOSTING"] = hosting.path
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        return process
    }
}
