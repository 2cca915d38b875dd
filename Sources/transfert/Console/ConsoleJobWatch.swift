import Foundation
import TransfertKit

/// A command the console started (``TransfertConsole/CommandLauncher``) watches its standard input, a pipe
/// the console holds open: when it closes, the console is gone, and the command stops as it does on
/// SIGTERM — an import finishes the establishment in progress — rather than run on unreported.
enum ConsoleJobWatch {
    static func startIfAsked() {
        guard ProcessInfo.processInfo.environment["TRANSFERT_CONSOLE_JOB"] == "1" else { return }
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(STDIN_FILENO, &byte, 1)
                if count == 0 || (count < 0 && errno != EINTR) { break }
            }
            kill(getpid(), SIGTERM)
        }
        thread.start()
    }
}
