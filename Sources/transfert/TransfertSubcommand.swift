import ArgumentParser
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// A command under `transfert` that reads the options every command shares — `--hosting`, `--json`,
/// `--quiet` — from the root command (``Transfert``), which parses them wherever they stand on the line:
/// `transfert --hosting DIR export --json …` and `transfert export --hosting DIR --json …` are the same.
protocol TransfertSubcommand: ParsableCommand {
    /// The parsed root command (declared `@ParentCommand var transfert: Transfert`).
    var transfert: Transfert { get }
}

extension TransfertSubcommand {
    var hostingOptions: HostingOptions { transfert.hostingOptions }
    var output: OutputOptions { transfert.output }
}
