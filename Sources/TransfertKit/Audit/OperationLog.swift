import Foundation
import Logging
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The record of operations on a hosting (`log/transfert.log`): every command that changes something
/// appends who ran it (user, host), what (the command and its arguments, secrets redacted), on which
/// establishments, the outcome and how long it took — JSON lines through swift-log. The transfer
/// journal stays the record of transfers; this is the record of operations.
///
/// ```swift
/// let file = RotatingLogFile(url: hostingDirectory.appendingPathComponent(OperationLog.relativePath))
/// let log = OperationLog(logger: Logger(label: "transfert.operations") { _ in JSONLinesLogHandler(file: file, echo: verbose) })
/// log.record(command: "export", arguments: ["--ids", "1,2"], establishments: [1, 2], outcome: .succeeded,
///            duration: 1.2, error: nil)
/// ```
public struct OperationLog: Sendable {
    public static let relativePath = "log/transfert.log"
    let logger: Logger

    public enum Outcome: String, Sendable {
        case succeeded
        case failed
    }

    /// `logger` is where the entries go: the command line gives one writing JSON lines to the hosting's
    /// ``relativePath`` (``JSONLinesLogHandler``); a test or a server gives its own.
    public init(logger: Logger) {
        self.logger = logger
    }

    public func record(
        command: String, arguments: [String], establishments: [Int64], outcome: Outcome, duration: TimeInterval,
        error: String?
    ) {
        var metadata: Logger.Metadata = [
            "user": .string(Self.user), "host": .string(ProcessInfo.processInfo.hostName),
            "via": .string(Self.consoleUser == nil ? "cli" : "console"),
            "pid": .stringConvertible(getpid()),
            "command": .string(command), "arguments": .array(Self.redacted(arguments).map { .string($0) }),
            "establishments": .array(establishments.map { .stringConvertible($0) }),
            "outcome": .string(outcome.rawValue), "duration_seconds": .string(String(format: "%.3f", duration)),
        ]
        if let error { metadata["error"] = .string(Self.redacted([error])[0]) }
        let message: Logger.Message = "\(command) \(outcome.rawValue)"
        if outcome == .succeeded {
            logger.info(message, metadata: metadata)
        } else {
            logger.error(message, metadata: metadata)
        }
    }

    /// The environment variable through which the console names its signed-in user to the commands it
    /// runs for them, so that the log says who clicked, not which system account serves the console.
    public static let consoleUserVariable = AccessLock.consoleUserVariable

    /// The console's user a command runs for, when the console started it.
    static var consoleUser: String? {
        guard let name = ProcessInfo.processInfo.environment[consoleUserVariable], !name.isEmpty else { return nil }
        return name
    }

    /// Who: the console's signed-in user when the console ran the command, else the person behind sudo,
    /// else the account running the command.
    static var user: String {
        if let consoleUser { return consoleUser }
        if let sudo = ProcessInfo.processInfo.environment["SUDO_USER"], !sudo.isEmpty { return sudo }
        return getpwuid(getuid()).flatMap { String(validatingCString: $0.pointee.pw_name) } ?? "uid \(getuid())"
    }

    /// Values that must never reach the log: the value after an option naming a password or secret, and
    /// the password part of any `scheme://user:password@host` address.
    static func redacted(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var hideNext = false
        for argument in arguments {
            if hideNext {
                result.append("<redacted>")
                hideNext = false
                continue
            }
            let lower = argument.lowercased()
            let secretOption =
                lower.hasPrefix("--") && ["password", "secret", "token"].contains { lower.contains($0) }
                && !lower.hasSuffix("-file") && !lower.hasSuffix("-env")
            if secretOption, let equals = argument.firstIndex(of: "=") {
                result.append(String(argument[..<equals]) + "=<redacted>")
                continue
            }
            hideNext = secretOption
            result.append(hidePasswordInURLs(argument))
        }
        return result
    }

    static func hidePasswordInURLs(_ text: String) -> String {
        // A scheme is only looked for where a run of scheme characters starts (the lookbehind), and read
        // from there: otherwise each letter of a long word (a CSV value in an error message) starts a scan
        // to the word's end, and a megabyte of them takes hours.
        guard
            let pattern = try? NSRegularExpression(
                pattern: "(?<![a-zA-Z0-9+.-])([a-zA-Z][a-zA-Z0-9+.-]*://[^/@:\\s]+):[^@/\\s]+@")
        else { return text }
        return pattern.stringByReplacingMatches(
            in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1:<redacted>@")
    }
}
