import Foundation
import TransfertModel

/// The letters pseudonyms are built from, chosen so that a pseudonym can never contain a real name.
///
/// Every pseudonym word alternates strictly one consonant of `bdfgkpz` and one vowel of `aiou`. A real
/// name of three letters or more almost always has two vowels or two consonants side by side (`Lou`,
/// `Martin`, `Emma`), or a letter outside these sets (`l`, `m`, `n`, `r`, `s`, `t`, `v`, `e`, `y`…):
/// none of the sample names (`FrenchNames`) can appear inside a pseudonym, even ignoring case and
/// accents, which is what the anonymisation test searches for. Identifiers' letters are consonants only,
/// which spell no name at all.
public enum PseudonymSyllables {
    public static let consonants: [UInt8] = Array("bdfgkpz".utf8)
    public static let vowels: [UInt8] = Array("aiou".utf8)

    /// `count` syllables (consonant + vowel), lower case, drawn from `bytes` starting at `offset`.
    public static func word(_ bytes: [UInt8], offset: Int, syllables count: Int) -> String {
        var letters: [UInt8] = []
        letters.reserveCapacity(count * 2)
        for index in 0..<count {
            let byte = Int(bytes[(offset + index) % bytes.count])
            letters.append(consonants[byte % consonants.count])
            letters.append(vowels[(byte / consonants.count) % vowels.count])
        }
        return String(decoding: letters, as: UTF8.self)
    }

    /// `word` with its first letter in capitals: a name.
    public static func name(_ bytes: [UInt8], offset: Int, syllables count: Int) -> String {
        let lower = word(bytes, offset: offset, syllables: count)
        return lower.prefix(1).uppercased() + lower.dropFirst()
    }
}
