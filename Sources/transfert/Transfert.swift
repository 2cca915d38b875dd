import ArgumentParser
import CSQLiteTuning
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

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
        groupedSubcommands: [
            CommandGroup(
                name: "Hosting",
                subcommands: [
                    InitCommand.self, InfoCommand.self, DoctorCommand.self, ServeCommand.self, ConsoleCommand.self,
                ]),
            CommandGroup(
                name: "Establishments",
                subcommands: [
                    StructureCommand.self, ZoneCommand.self, StatsCommand.self, SampleCommand.self,
                    FeedCommand.self,
                ]),
            CommandGroup(
                name: "Transfer",
                subcommands: [
                    ExportCommand.self, VerifyCommand.self, InspectCommand.self, ImportCommand.self,
                    RestoreCommand.self,
                ]),
            CommandGroup(
                name: "Moves and maintenance",
                subcommands: [
                    ConfirmCommand.self, HistoryCommand.self, JournalCommand.self, LockCommand.self,
                    MaintenanceCommand.self,
                ]),
            CommandGroup(name: "Mail", subcommands: [LettersCommand.self, NewsletterCommand.self, OutboxCommand.self]),
            CommandGroup(name: "Backups", subcommands: [BackupCommand.self]),
        ]
    )

    // Options of the root: argument-parser reads a root's options anywhere on the line, before or after
    // the subcommand's name; subcommands read them through `@ParentCommand` (``TransfertSubcommand``).
    @OptionGroup(title: "Options of every command (before or after its name)") var hostingOptions: HostingOptions
    @OptionGroup(title: "Options of every command (before or after its name)") var output: OutputOptions
}

@main
enum Main {
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
                let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
                _ = unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, 128 * 1024)
            }
        #endif
        // SQLite's allocator statistics take a global mutex on every allocation, on every thread, for
        // counts nothing reads: off, before any connection opens.
        _ = transfert_sqlite_turn_off_memory_statistics()
        ConsoleJobWatch.startIfAsked()
        await run(Array(CommandLine.arguments.dropFirst()))
    }

    /// Parses and runs the command as `Transfert.main` does, recording the runs of commands that change
    /// something in the hosting's operations log, success or failure. With `--json`, a failure — in
    /// parsing too — is one JSON object on standard output (``JSONErrorReport``).
    static func run(_ arguments: [String]) async {
        let command: any ParsableCommand
        do { command = try Transfert.parseAsRoot(arguments) } catch {
            if JSONRequest.isMade(in: arguments) { JSONErrorReport.print(usageError(error)) }
            Transfert.exit(withError: error)
        }
        let json = (command as? any TransfertSubcommand)?.output.json ?? false
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

    /// A command line that does not parse, as the JSON report shows it: argument-parser's own sentence
    /// ("Unknown option '--bogus'", a validation's message) rather than the debug text of its internal
    /// error type. Help and version requests, which are not failures, stay as they are.
    static func usageError(_ error: Error) -> Error {
        guard Transfert.exitCode(for: error) == .validationFailure else { return error }
        return ValidationError(Transfert.message(for: error))
    }
}
