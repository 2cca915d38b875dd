import Foundation
import TransfertFormats
import TransfertModel

/// The language an establishment's contact reads letters in, when it is not the hosting's.
///
/// Kept beside the `structure` table rather than in it: `structure` holds SACoche's registry columns,
/// which travel in the CSV; the letter language is Transfert's own, travels in the bundle's manifest
/// (`language`), and most establishments have none (they read the hosting's language).
public protocol LetterLanguageRegistry: Sendable {
    /// Every establishment's own language, by id (those without one are absent).
    func letterLanguages() throws -> [Int64: String]
    /// Sets (or with `nil`, clears) the language of establishment `baseID`, which must be registered.
    func setLetterLanguage(_ language: String?, baseID: Int64) throws
}

extension LetterLanguageRegistry {
    public func letterLanguage(baseID: Int64) throws -> String? { try letterLanguages()[baseID] }
}
