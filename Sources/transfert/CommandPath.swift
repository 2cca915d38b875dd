import ArgumentParser
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// `maintenance plan`, `export`…: a command's place under `transfert`, from the command tree's own
/// configuration — what the operations log records as the command that ran.
///
/// Every command in the tree spells its `commandName` in its configuration, so that renaming a Swift type
/// never changes a command line nor the name the log keeps.
enum CommandPath {
    /// The names from below `root` down to `command`; `nil` when `command` is not in the tree.
    static func names(of command: any ParsableCommand.Type, under root: any ParsableCommand.Type = Transfert.self)
        -> [String]?
    {
        for subcommand in root.configuration.subcommands {
            guard let name = subcommand.configuration.commandName else { continue }
            if ObjectIdentifier(subcommand) == ObjectIdentifier(command) { return [name] }
            if let below = names(of: command, under: subcommand) { return [name] + below }
        }
        return nil
    }
}
