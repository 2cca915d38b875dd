import ArgumentParser
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// How long work shows its progress (`--progress`).
enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
    /// A line on standard error when it is a terminal, unless `--quiet` or `--json`.
    case auto
    /// One JSON object per event on standard error, for scripts (also with `--json`).
    case json
    /// Nothing.
    case off
}
