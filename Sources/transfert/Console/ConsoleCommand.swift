import ArgumentParser
import Foundation

/// `transfert console`: the webmaster's console (serving it is the default), and its accounts.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Serve the webmaster's console, and manage its accounts.",
        discussion: """
            The console runs every workflow in a browser: establishments, export, import, verify, moves, \
            maintenance, backups, feeds, the operations log. Create an account first (`console user add`), \
            then `transfert console --port 8443`, behind your HTTPS reverse proxy or with tls_certificate and \
            tls_key under console: in transfert.yaml. Docs/user-guide.md, "The webmaster's console".
            """,
        subcommands: [ConsoleServeCommand.self, ConsoleUserCommand.self],
        defaultSubcommand: ConsoleServeCommand.self
    ).namingRootOptions()
}
