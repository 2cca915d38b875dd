import ArgumentParser

extension CommandConfiguration {
    /// The options of the root command, named in a subcommand's `--help`.
    ///
    /// argument-parser leaves a `@ParentCommand`'s options out of a subcommand's help; an operator who reads
    /// `transfert export --help` must still learn that `--hosting`, `--json` and `--quiet` apply.
    static let rootOptionsNote = """
        Options of every command, before or after its name: --hosting <dir> (default: $TRANSFERT_HOSTING, \
        else ./hosting), --json, -q/--quiet. `transfert --help` describes them.
        """

    /// This configuration, its discussion ending with ``rootOptionsNote``.
    func namingRootOptions() -> CommandConfiguration {
        var configuration = self
        configuration.discussion =
            discussion.isEmpty ? Self.rootOptionsNote : discussion + "\n\n" + Self.rootOptionsNote
        return configuration
    }
}
