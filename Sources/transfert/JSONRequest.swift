import ArgumentParser
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// Whether a command line that did NOT parse asked for `--json`, so that its usage error is printed as a
/// JSON object too.
///
/// When parsing succeeds, `--json` is read from the parsed root command (``OutputOptions``). When it fails,
/// argument-parser throws an error that carries no partially parsed command, so the root's output options
/// are parsed again on their own here — by argument-parser, leniently: every other word is captured
/// unrecognized, so the line's error (an unknown option, a bad value) does not hide a `--json` given next
/// to it.
struct JSONRequest: ParsableArguments {
    @OptionGroup var output: OutputOptions
    @Argument(parsing: .allUnrecognized) var otherArguments: [String] = []

    /// `false` also when even this lenient reading fails (a `--json=value`, `--help`): such a line gets
    /// the plain error, as before.
    static func isMade(in arguments: [String]) -> Bool {
        (try? parse(arguments))?.output.json ?? false
    }
}
