import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// The question a destructive command asks on a terminal before it destroys anything.
///
/// On a terminal (standard input is one) the command says exactly what it will destroy and waits for
/// the expected answer; anything else — an empty line, "y", end of input — changes nothing. `--yes`
/// answers in advance, for scripts. Without a terminal and without `--yes` nobody can answer, and the
/// command refuses, as `apt-get` does: a destructive command that a cron job or a pipe runs goes on only
/// when the script says so.
struct Confirmation {
    /// What will be destroyed, one line each, printed before the question.
    var consequences: [String]
    /// The exact answer that goes on ("yes", or the ids for `--force`).
    var expectedAnswer: String = "yes"
    /// Said when the answer is not the expected one.
    var refusal = "Not confirmed: nothing was changed."

    /// Goes on with `yes`; else asks on a terminal and throws ``CommandFailure`` unless the expected answer
    /// is typed; without a terminal, refuses (naming `--yes`).
    func ask(yes: Bool, command: String) throws {
        guard !yes else { return }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CommandFailure(
                "`transfert \(command)` asks for confirmation, and standard input is not a terminal: nothing was changed. Run it interactively, or add --yes if this script means it."
            )
        }
        for line in consequences { print(line) }
        print(
            expectedAnswer == "yes" ? "Type yes to continue: " : "Type \(expectedAnswer) to continue: ", terminator: "")
        fflush(nil)
        guard readLine()?.trimmingCharacters(in: .whitespaces) == expectedAnswer else { throw CommandFailure(refusal) }
    }
}
