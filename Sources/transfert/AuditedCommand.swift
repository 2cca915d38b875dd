import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// A command that changes something: `Main` records each run in the hosting's operations log
/// (`OperationLog`) — who, what, on which establishments, the outcome, how long — whether it succeeds or
/// fails.
protocol AuditedCommand: TransfertSubcommand {
    var audit: AuditOptions { get }
    /// The establishments the command names (`--ids`), when it names some.
    var auditedEstablishments: [Int64] { get }
}

extension AuditedCommand {
    var auditedEstablishments: [Int64] { [] }

    /// Appends the run to the operations log of the hosting, if there is one (a failed `init` leaves none).
    /// The command is named from its place in the command tree (``CommandPath``), the hosting and the
    /// establishments from the parsed values; `arguments` is the command line as typed.
    func recordRun(arguments: [String], started: Date, error: Error?) {
        let directory = hostingOptions.directory
        guard
            FileManager.default.fileExists(atPath: directory.appendingPathComponent(Hosting.configurationFileName).path)
        else { return }
        var message: String?
        if let error {
            if let exit = error as? ExitCode {
                message = exit.rawValue == 0 ? nil : "exit \(exit.rawValue)"
            } else {
                message = String(describing: error)
            }
        }
        let failed = message != nil
        // Every command of the tree spells its name (CommandPath); the type's name is only a last resort.
        let command = CommandPath.names(of: Self.self)?.joined(separator: " ") ?? String(describing: Self.self)
        OperationLog(logger: Loggers.operations(hostingDirectory: directory, echo: audit.verbose))
            .record(
                command: command, arguments: arguments, establishments: auditedEstablishments,
                outcome: failed ? .failed : .succeeded, duration: Date().timeIntervalSince(started), error: message)
    }
}

extension ExportCommand { var auditedEstablishments: [Int64] { ids ?? [] } }
extension LettersCommand { var auditedEstablishments: [Int64] { ids ?? [] } }
extension NewsletterCommand { var auditedEstablishments: [Int64] { selection.ids ?? [] } }
extension StructureCommand.Remove { var auditedEstablishments: [Int64] { ids } }
extension StructureCommand.Edit { var auditedEstablishments: [Int64] { [id] } }
extension LockCommand.Add { var auditedEstablishments: [Int64] { selection.ids ?? [] } }
extension LockCommand.Release { var auditedEstablishments: [Int64] { selection.ids ?? [] } }
extension MaintenanceCommand.Plan { var auditedEstablishments: [Int64] { selection.ids ?? [] } }
extension BackupCommand.Create { var auditedEstablishments: [Int64] { ids } }
