import Foundation
import Logging
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// The loggers the command line hands to TransfertKit and the portal. Built here, where the process
/// decides where its logs go, rather than inside the library types that write to them.
enum Loggers {
    /// The operations log of the hosting in `hostingDirectory` (`log/transfert.log`, JSON lines); with
    /// `echo` (`--verbose`) each line also goes to standard error.
    static func operations(hostingDirectory: URL, echo: Bool) -> Logger {
        let file = RotatingLogFile(url: hostingDirectory.appendingPathComponent(OperationLog.relativePath))
        return Logger(label: "transfert.operations") { _ in JSONLinesLogHandler(file: file, echo: echo) }
    }

    /// The portal's server log: warnings and errors only (swift-log's default handler, standard output);
    /// a request is not an event worth a line.
    static func portal() -> Logger {
        var logger = Logger(label: "transfert.portal")
        logger.logLevel = .warning
        return logger
    }
}
