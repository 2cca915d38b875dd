import ArgumentParser
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// `--verbose`, on every command that changes something.
struct AuditOptions: ParsableArguments {
    @Flag(name: .long, help: "Also print the operations log's line (log/transfert.log) on standard error.")
    var verbose = false
}
