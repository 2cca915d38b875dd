import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// The width of the terminal on standard error, in columns.
enum TerminalWidth {
    static func current() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 {
            return columns
        }
        return 80
    }
}
