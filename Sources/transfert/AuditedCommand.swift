import ArgumentParser
import Foundation
import TransfertKit

/// A command that changes something: `Main` records each run in the hosting's operations log
/// (`OperationLog`) — who, what, on which establishments, the outcome, how long — whether it succeeds or
/// fails.
protocol AuditedCommand {
    var hostingOptions: HostingOptions { get }
    var audit: AuditOptions { get }
    /// The establishments the command names (`--ids`), when it names some.
    var auditedEstablishments: [Int64] { get }
}

extension AuditedCommand {
    var auditedEstablishments: [Int64] { [] }

    /// Appends the run to the operations log of the hosting, if there is one (a failed `init` leaves none).
    func recordRun(arguments: [String], started: Date, error: Error?) {
        let directory = hostingOptions.directory
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(Hosting.configurationFileName).path) else { return }
        var message: String?
        if let error {
            if let exit = error as? ExitCode { message = exit.rawValue == 0 ? nil : "exit \(exit.rawValue)" } else { message = String(describing: error) }
        }
        let failed = message != nil
        OperationLog(hostingDirectory: directory, echo: audit.verbose)
            .record(command: Self.commandPath(arguments), arguments: arguments, establishments: auditedEstablishments,
                    outcome: failed ? .failed : .succeeded, duration: Date().timeIntervalSince(started), error: message)
    }

    /// `maintenance plan`, `export`…: the subcommand names at the head of the arguments.
    static func commandPath(_ arguments: [String]) -> String {
        var path: [String] = []
        var commands = Transfert.configuration.subcommands
        for word in arguments {
            guard let command = commands.first(where: { $0._commandName == word }) else { break }
            path.append(word)
            commands = command.configuration.subcommands
        }
        return path.joined(separator: " ")
    }
}

extension ExportCommand { var auditedEstablishments: [Int64] { ids ?? [] } }
extension LettersCommand { var auditedEstablishments: [Int64] { ids ?? [] } }
extension NewsletterCommand { var auditedEstablishments: [Int64] { selection.ids ?? [] } }
extension StructureCommand.Remove { var auditedEstablishments: [Int64] { ids } }
extension LockCommand.Add { var auditedEstablishments: [Int64] { selection.ids ?? [] } }
extension LockCommand.Release { var auditedEstablishments: [Int64] { selection.ids ?? [] } }
extension MaintenanceCommand.Plan { var auditedEstablishments: [Int64] { selection.ids ?? [] } }
