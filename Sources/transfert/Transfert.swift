import ArgumentParser
import Foundation
import TransfertKit

/// The `transfert` command: a thin layer over TransfertKit that parses arguments and prints results.
struct Transfert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfert",
        abstract: "Move establishments between multi-establishment hostings.",
        discussion: """
            A hosting is a directory (--hosting DIR, else $TRANSFERT_HOSTING, else ./hosting in the current \
            directory) holding a registry of establishments, one database per establishment and their files.
            Point at an existing one with --hosting DIR or export TRANSFERT_HOSTING=DIR; create one with \
            `transfert --hosting DIR init`. Docs/user-guide.md describes the whole workflow.
            """,
        version: TransfertKitVersion.current,
        subcommands: [
            InitCommand.self, ZoneCommand.self, StructureCommand.self, StatsCommand.self, SampleCommand.self,
            ExportCommand.self, VerifyCommand.self, InspectCommand.self, ImportCommand.self, LockCommand.self, MaintenanceCommand.self, ServeCommand.self,
            ConfirmCommand.self, HistoryCommand.self, InfoCommand.self,
            JournalCommand.self, DoctorCommand.self, LettersCommand.self, NewsletterCommand.self, OutboxCommand.self,
        ]
    )
}

@main
enum Main {
    /// `--hosting DIR` given before the command's name (it is also exported as $TRANSFERT_HOSTING): kept so
    /// that a message about the directory says it came from --hosting, not from the environment.
    nonisolated(unsafe) static var leadingHosting: String?

    static func main() async {
        // Everything Transfert writes (registries, databases, dumps, letters) holds personal data:
        // files are created readable by their owner only.
        umask(0o077)
        // A file-size limit (`ulimit -f`, a quota) must fail the write that reaches it — so the command
        // removes what it started and says why — not kill the process half-way with SIGXFSZ.
        signal(SIGXFSZ, SIG_IGN)
        #if canImport(Glibc)
        // Restores and exports pass ~0.5-2 MiB buffers between threads. glibc raises its mmap threshold
        // after the first such buffer is freed and then keeps them in the heaps of whichever thread, where
        // freed memory lingers; a fixed threshold gives them back to the system at once (about 4 MiB of
        // peak RSS on a large import).
        // <malloc.h> is not part of Swift's Glibc module: mallopt is looked up by name.
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            let mmapThreshold: Int32 = -3 // M_MMAP_THRESHOLD
            _ = unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, 128 * 1024)
        }
        #endif
        var arguments = Array(CommandLine.arguments.dropFirst())
        // `transfert --hosting DIR <command>` is how operators write it; ArgumentParser only reads options
        // after the subcommand, so a leading --hosting becomes $TRANSFERT_HOSTING, which it stands for.
        if let hosting = extractLeadingHosting(from: &arguments) {
            leadingHosting = hosting
            setenv("TRANSFERT_HOSTING", hosting, 1)
        }
        await run(arguments)
    }

    /// Parses and runs the command as `Transfert.main` does, recording the runs of commands that change
    /// something in the hosting's operations log, success or failure.
    static func run(_ arguments: [String]) async {
        let json = arguments.contains("--json")
        let command: any ParsableCommand
        do { command = try Transfert.parseAsRoot(arguments) } catch {
            if json { JSONErrorReport.print(error) }
            Transfert.exit(withError: error)
        }
        let started = Date()
        do {
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                var synchronous = command
                try synchronous.run()
            }
            (command as? any AuditedCommand)?.recordRun(arguments: arguments, started: started, error: nil)
        } catch {
            (command as? any AuditedCommand)?.recordRun(arguments: arguments, started: started, error: error)
            if json { JSONErrorReport.print(error) }
            Transfert.exit(withError: error)
        }
    }

    /// Removes `--hosting DIR` or `--hosting=DIR` given before the first subcommand and returns DIR.
    static func extractLeadingHosting(from arguments: inout [String]) -> String? {
        guard let first = arguments.first else { return nil }
        if first == "--hosting", arguments.count >= 2 {
            let value = arguments[1]
            arguments.removeFirst(2)
            return value
        }
        if first.hasPrefix("--hosting=") {
            arguments.removeFirst()
            return String(first.dropFirst("--hosting=".count))
        }
        return nil
    }
}
