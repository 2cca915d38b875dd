import ArgumentParser
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// `--yes`, for the destructive commands.
struct ConfirmationOptions: ParsableArguments {
    @Flag(name: [.customShort("y"), .long], help: "Do not ask for confirmation on a terminal (for scripts).")
    var yes = false
}
