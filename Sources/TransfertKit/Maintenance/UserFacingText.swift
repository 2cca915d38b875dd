import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The rule for words an operator writes and users read on a page (a lock's reason, a window's message):
/// trimmed, not empty, bounded, plain text. One rule, so that the command line and the library cannot
/// drift apart.
public enum UserFacingText {
    /// `text` trimmed, or why it cannot be shown: the reason completes "… `text` …" after the option's name.
    public static func checked(_ text: String, maximum: Int, allowsLineBreaks: Bool) -> Result<String, Problem> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .failure(.empty) }
        guard trimmed.count <= maximum else { return .failure(.tooLong(trimmed.count, maximum: maximum)) }
        if let control = trimmed.unicodeScalars.first(where: {
            $0.properties.generalCategory == .control && !(allowsLineBreaks && $0 == "\n")
        }) {
            return .failure(.controlCharacter(control.value))
        }
        return .success(trimmed)
    }

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case tooLong(Int, maximum: Int)
        case controlCharacter(UInt32)

        public var description: String {
            switch self {
            case .empty: return "is empty: write what users should know"
            case .tooLong(let count, let maximum):
                return "has \(count) characters: users read it on a page, keep it under \(maximum)"
            case .controlCharacter(let value):
                return "contains the control character U+\(String(format: "%04X", value)): write plain text"
            }
        }
    }
}
