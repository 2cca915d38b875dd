import ArgumentParser
import Foundation

/// The question a destructive command asks on a terminal before it destroys anything.
///
/// On a terminal (standard input is one) the command says exactly what it will destroy and waits for
/// the expected answer; anything else — an empty line, "y", end of input — changes nothing. `--yes`
/// answers in advance, for scripts (a script run from a terminal would otherwise stop at the question).
/// Without a terminal there is nobody to ask: the command goes on, except where an option asks for a
/// person by design (`structure remove --force`, which then needs `--yes`).
struct Confirmation {
    /// What will be destroyed, one line each, printed before the question.
    var consequences: [String]
    /// The exact answer that goes on ("yes", or the ids for `--force`).
    var expectedAnswer: String = "yes"
    /// Said when the answer is not the expected one.
    var refusal = "Not confirmed: nothing was changed."

    /// Asks when standard input is a terminal and `yes` is false; throws ``CommandFailure`` unless the
    /// expected answer is typed.
    func ask(yes: Bool) throws {
        guard !yes, isatty(STDIN_FILENO) == 1 else { return }
        for line in consequences { print(line) }
        print(expectedAnswer == "yes" ? "Type yes to continue: " : "Type \(expectedAnswer) to continue: ", terminator: "")
        fflush(nil)
        guard readLine()?.trimmingCharacters(in: .whitespaces) == expectedAnswer else { throw CommandFailure(refusal) }
    }
}
