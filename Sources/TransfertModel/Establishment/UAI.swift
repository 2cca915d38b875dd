import Foundation

/// A French establishment code (*Unité Administrative Immatriculée*), validated by its check letter.
///
/// Two forms are accepted:
/// - seven digits and a check letter: the letter is `ABCDEFGHJKLMNPRSTUVWXYZ[n mod 23]`
///   where `n` is the seven-digit number (`0750001` → `0750001A`…);
/// - the *RHODES* form, six digits, an `X` and a check letter at index `(n × 8 + 1) mod 23`
///   where `n` is the six-digit number.
///
/// ```swift
/// let uai = try UAI(validating: "0330001a")   // normalised to "0330001A"… if the letter matches
/// ```
public struct UAI: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The 23 letters SACoche and the Ministry use as check letters (no I, O or Q).
    public static let checkAlphabet: [Character] = Array("ABCDEFGHJKLMNPRSTUVWXYZ")

    /// The normalised (upper-case) code.
    public let rawValue: String

    public var description: String { rawValue }

    /// Validates `text` (case-insensitive, surrounding spaces ignored) and normalises it.
    public init(validating text: String) throws(UAIError) {
        let code = text.trimmingWhitespace.uppercased()
        guard code.count == 8, code.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) }) else {
            throw .malformed(text)
        }
        let characters = Array(code)
        let letter = characters[7]
        let expected: Character
        if characters[6] == "X" {
            guard let number = Int(String(characters[0..<6])) else { throw .malformed(text) }
            expected = Self.checkAlphabet[(number * 8 + 1) % 23]
        } else {
            guard let number = Int(String(characters[0..<7])) else { throw .malformed(text) }
            expected = Self.checkAlphabet[number % 23]
        }
        guard letter == expected else { throw .wrongCheckLetter(code, expected: expected) }
        rawValue = code
    }

    /// The check letter a seven-digit number must carry (useful to build valid sample codes).
    public static func checkLetter(forSevenDigits number: Int) -> Character {
        checkAlphabet[number % 23]
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(validating: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Why a text is not a valid UAI.
public enum UAIError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case wrongCheckLetter(String, expected: Character)

    public var description: String {
        switch self {
        case .malformed(let text):
            return
                "'\(text)' is not a UAI: expected 7 digits and a check letter (e.g. 0750001A), or 6 digits, X and a check letter"
        case .wrongCheckLetter(let code, let expected):
            return "'\(code)' has the wrong check letter: a UAI with these digits ends with '\(expected)'"
        }
    }
}

extension UAIError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .malformed: return .uaiMalformed
        case .wrongCheckLetter: return .uaiWrongCheckLetter
        }
    }
}
