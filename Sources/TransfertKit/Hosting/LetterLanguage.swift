import TransfertFormats
import TransfertModel
import TransfertStorage

/// The languages letters are written in, and the check of a language given by the operator.
public enum LetterLanguage {
    /// The same as the hosting's user-facing languages: built-in letters, newsletters and maintenance
    /// sentences exist in each.
    public static var all: [String] { HostingConfiguration.userLanguages }

    /// `text` when it is a letter language; throws ``LetterLanguageError`` naming it and the accepted ones.
    public static func checked(_ text: String, option: String) throws(LetterLanguageError) -> String {
        guard all.contains(text) else { throw LetterLanguageError(option: option, value: text, accepted: all) }
        return text
    }
}
