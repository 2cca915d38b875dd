import Foundation

/// What a command the console ran said: its exit status, its `--json` output and its sentences.
public struct CommandResult: Sendable {
    public var exitCode: Int32
    /// The command's `--json` output (at most ``CommandRunner/outputLimit`` of it: see ``outputTruncated``).
    public var output: Data
    /// The output was longer than the console reads into memory; what is in ``output`` is its beginning.
    public var outputTruncated = false
    public var messages: String

    public var succeeded: Bool { exitCode == 0 }

    /// The `{"error": {…}}` object a failed command prints with `--json`.
    public var error: CommandError? {
        guard exitCode != 0 else { return nil }
        if let report = try? JSONDecoder().decode(CommandErrorReport.self, from: output) { return report.error }
        // A result rather than an error object: the command did its work and says what failed in it (a feed
        // whose bad rows failed while the others were applied, exit 3). Its presenter shows that result.
        if output.contains(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") }) { return nil }
        let sentence = messages.split(separator: "\n").last.map(String.init) ?? "exit status \(exitCode)"
        return CommandError(code: "failed", message: sentence, exitCode: exitCode, location: nil, problems: nil)
    }

    /// The output decoded as `T` (a command's JSON result).
    public func decoded<T: Decodable>(as type: T.Type) -> T? {
        try? JSONDecoder().decode(type, from: output)
    }
}

struct CommandErrorReport: Decodable {
    var error: CommandError
}

/// A command's failure as `--json` reports it (``JSONErrorReport`` of the command line): code, sentence,
/// where, and the problems it is made of.
public struct CommandError: Sendable, Decodable, Equatable {
    public var code: String
    public var message: String
    public var exitCode: Int32
    public var location: Location?
    public var problems: [Problem]?

    public struct Location: Sendable, Decodable, Equatable {
        public var file: String?
        public var line: Int?
        public var column: Int?
        public var field: String?
        public var value: String?
        public var establishment: String?
        public var baseID: Int64?

        enum CodingKeys: String, CodingKey {
            case file, line, column, field, value, establishment
            case baseID = "base_id"
        }
    }

    public struct Problem: Sendable, Decodable, Equatable {
        public var code: String?
        public var message: String
        public var location: Location?
    }

    enum CodingKeys: String, CodingKey {
        case code, message, location, problems
        case exitCode = "exit_code"
    }
}
