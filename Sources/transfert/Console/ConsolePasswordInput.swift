import ArgumentParser
import Foundation

/// A console password, from a file's first line (`-`: standard input), or typed on the terminal without
/// echo, twice. Never from the command line, where `ps` and the shell's history would keep it.
struct ConsolePasswordInput {
    let file: String?

    func read(confirm: Bool) throws -> String {
        if let file {
            let text: String
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                    throw CommandFailure("cannot read the password file \(file): \(error.localizedDescription)")
                }
            }
            guard let line = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init),
                !line.isEmpty
            else { throw CommandFailure("the password file \(file) is empty: write the password on its first line") }
            return line.hasSuffix("\r") ? String(line.dropLast()) : line
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CommandFailure(
                "no terminal to type the password on: give --password-file FILE (or - for standard input)")
        }
        let first = try typed(prompt: "Password: ")
        if confirm {
            guard try typed(prompt: "Password again: ") == first else {
                throw CommandFailure("the two passwords differ: nothing was changed, try again")
            }
        }
        return first
    }

    private func typed(prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw CommandFailure("no password was typed") }
        return line
    }
}
