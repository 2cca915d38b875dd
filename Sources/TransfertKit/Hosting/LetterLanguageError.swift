import TransfertFormats
import TransfertModel
import TransfertStorage

/// A letter language that does not exist (`structure add --language de`).
public struct LetterLanguageError: Error, Equatable, Sendable, CustomStringConvertible, LocatedError {
    /// The option or field that gave it.
    public var option: String
    public var value: String
    public var accepted: [String]

    public var description: String {
        "\(option) '\(value)' is not a letter language: give \(accepted.joined(separator: " or "))"
    }

    public var problemCode: ProblemCode { .lettersUnknownLanguage }
    public var location: ProblemLocation? { ProblemLocation(field: option, value: value) }
}
