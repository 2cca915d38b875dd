import Crypto
import Foundation
import TransfertModel

/// Replaces personal data by pseudonyms of the same shape, with a key drawn for one bundle.
///
/// A pseudonym is derived from HMAC-SHA256(key, kind group ‖ value): within one bundle the same name,
/// login or e-mail gives the same pseudonym in every table and every establishment, so joins on those
/// values survive; without the key (never written, never logged) nothing links a pseudonym back to its
/// value, and the next bundle's key gives other pseudonyms.
///
/// Shapes: names are capitalised syllables (``PseudonymSyllables``, which can reproduce no real name),
/// e-mails `<local>@anonyme.invalid` (a reserved domain, RFC 2606), logins two syllable words joined by a
/// dot, secrets `!` and random hexadecimal (no hash or token has that form: it matches no password), dates
/// another day of the same year in the same text shape, identifiers as many digits (an integer stays an
/// integer, never above the original, so it fits its column), free text one neutral sentence, blobs
/// empty. NULL stays NULL, and an empty text stays empty (it names no one).
///
/// ```swift
/// let pseudonyms = Pseudonymiser()
/// pseudonyms.replacement(for: .text("Martin"), kind: .lastName, maxLength: 25)  // .text("Kabodu")
/// ```
public struct Pseudonymiser: Sendable {
    /// The key's bytes (`SymmetricKey` is not `Sendable`; one is made per pseudonym from these).
    private let key: [UInt8]

    /// What free text becomes.
    public static let neutralText = "Texte remplacé : copie anonymisée."
    /// The domain of every e-mail pseudonym: `.invalid` is reserved and never resolves (RFC 2606).
    public static let emailDomain = "anonyme.invalid"

    /// A fresh random 32-byte key: each bundle gets its own.
    public init() {
        var generator = SystemRandomNumberGenerator()
        key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// A fixed key, for tests that need the same pseudonyms twice.
    package init(key bytes: [UInt8]) {
        key = bytes
    }

    /// The shortest column each kind of pseudonym fits in (`nil`: any length, the value is shortened).
    public static func minimumLength(of kind: PersonalDataKind) -> Int {
        switch kind {
        case .email: return 4 + 1 + emailDomain.count
        case .login: return 4
        case .firstName, .lastName, .fullName, .secret: return 2
        case .date, .identifier, .text, .blob: return 0
        }
    }

    /// The pseudonym of `value`, of the shape `kind` describes, at most `maxLength` characters.
    public func replacement(for value: SQLValue, kind: PersonalDataKind, maxLength: Int?) -> SQLValue {
        switch value {
        case .null:
            return .null
        case .blob(let data):
            if kind == .blob || data.isEmpty { return .blob(Data()) }
            return .blob(
                Data(replaceText(String(decoding: data, as: UTF8.self), kind: kind, maxLength: maxLength).utf8))
        case .integer(let number):
            switch kind {
            case .identifier, .date: return .integer(replaceInteger(number, group: kind.rawValue))
            case .blob: return .blob(Data())
            default: return .text(replaceText(String(number), kind: kind, maxLength: maxLength))
            }
        case .real(let number):
            switch kind {
            case .identifier, .date:
                guard let whole = Int64(exactly: number.rounded(.towardZero)) else { return .real(0) }
                return .real(Double(replaceInteger(whole, group: kind.rawValue)))
            case .blob: return .blob(Data())
            default: return .text(replaceText(String(number), kind: kind, maxLength: maxLength))
            }
        case .text(let text):
            if kind == .blob { return .text("") }
            return .text(replaceText(text, kind: kind, maxLength: maxLength))
        }
    }

    private func replaceText(_ text: String, kind: PersonalDataKind, maxLength: Int?) -> String {
        if text.isEmpty { return "" }
        let replaced: String
        switch kind {
        case .firstName: replaced = name(text, group: "first_name")
        case .lastName: replaced = name(text, group: "last_name")
        case .fullName:
            // "First Last": each part as the same first or last name elsewhere in the bundle.
            let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
            replaced =
                parts.count == 2
                ? name(parts[0], group: "first_name") + " " + name(parts[1], group: "last_name")
                : name(text, group: "last_name")
        case .login: replaced = login(text, group: "login")
        case .email: replaced = email(text, maxLength: maxLength)
        case .secret: replaced = secret()
        case .date: replaced = date(text)
        case .identifier: replaced = identifier(text)
        case .text: replaced = Self.neutralText
        case .blob: replaced = ""
        }
        guard let maxLength, replaced.count > maxLength else { return replaced }
        return String(replaced.prefix(maxLength))
    }

    /// HMAC-SHA256 of the kind group and the value: the pseudonym's only source of letters and digits.
    private func code(_ text: String, group: String) -> [UInt8] {
        var message = Data(group.utf8)
        message.append(0)
        message.append(Data(text.utf8))
        return Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    private func name(_ text: String, group: String) -> String {
        let bytes = code(text, group: group)
        return PseudonymSyllables.name(bytes, offset: 1, syllables: 2 + Int(bytes[0] % 2))
    }

    /// Two words of four syllables: 28⁸ possible logins, so that two users practically never share one
    /// (and if they do, the unique column's check refuses the copy).
    private func login(_ text: String, group: String) -> String {
        let bytes = code(text, group: group)
        return PseudonymSyllables.word(bytes, offset: 0, syllables: 4) + "."
            + PseudonymSyllables.word(bytes, offset: 4, syllables: 4)
    }

    private func email(_ text: String, maxLength: Int?) -> String {
        let suffix = "@" + Self.emailDomain
        var local = login(text, group: "email")
        if let maxLength, local.count + suffix.count > maxLength {
            local = String(local.replacingOccurrences(of: ".", with: "").prefix(max(1, maxLength - suffix.count)))
        }
        return local + suffix
    }

    /// Random, not derived: equal password hashes would otherwise show which users share a password.
    private func secret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "!" + bytes.hexString
    }

    /// `YYYY-MM-DD` followed by anything: the same year, another month and day (1–28, always valid), and
    /// a time `HH:MM:SS` after it replaced too; the same text shape. Another shape keeps its punctuation,
    /// each digit replaced.
    private func date(_ text: String) -> String {
        let bytes = code(text, group: "date")
        let characters = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= characters.count && characters[range].allSatisfy { (0x30...0x39).contains($0) }
        }
        guard characters.count >= 10, digits(0..<4), characters[4] == 0x2D, digits(5..<7), characters[7] == 0x2D,
            digits(8..<10)
        else { return identifier(text) }
        let year = String(decoding: characters[0..<4], as: UTF8.self)
        // MariaDB's zero date says "unknown": it names no day.
        if year == "0000" { return text }
        var result = year + String(format: "-%02d-%02d", 1 + Int(bytes[0]) % 12, 1 + Int(bytes[1]) % 28)
        var rest = Array(characters[10...])
        if rest.count >= 9, rest[0] == 0x20 || rest[0] == 0x54, digits(11..<13), rest[3] == 0x3A, digits(14..<16),
            rest[6] == 0x3A, digits(17..<19)
        {
            let time = String(format: "%02d:%02d:%02d", Int(bytes[2]) % 24, Int(bytes[3]) % 60, Int(bytes[4]) % 60)
            rest.replaceSubrange(1..<9, with: Array(time.utf8))
        }
        result += String(decoding: rest, as: UTF8.self)
        return result
    }

    /// Every digit replaced by a digit, every letter by a consonant of the same case; the rest kept: the
    /// same length and shape (a national student number stays one).
    private func identifier(_ text: String) -> String {
        let bytes = code(text, group: "identifier")
        var result: [UInt8] = []
        for (index, character) in text.utf8.enumerated() {
            let byte = bytes[index % bytes.count] &+ UInt8(truncatingIfNeeded: index / bytes.count)
            switch character {
            case 0x30...0x39: result.append(0x30 + byte % 10)
            case 0x61...0x7A: result.append(PseudonymSyllables.consonants[Int(byte) % 7])
            case 0x41...0x5A: result.append(PseudonymSyllables.consonants[Int(byte) % 7] - 0x20)
            case 0x80...: result.append(PseudonymSyllables.consonants[Int(byte) % 7])  // no accent survives
            default: result.append(character)
            }
        }
        // A multi-byte character became several consonants: shorten back to the original's length.
        let replaced = String(decoding: result, as: UTF8.self)
        return String(replaced.prefix(text.count))
    }

    /// As many digits, never above the original (so it fits any column the original fitted), same sign;
    /// 0 stays 0 (SACoche's "none").
    private func replaceInteger(_ number: Int64, group: String) -> Int64 {
        // 0 is "none"; Int64.min has no positive twin to draw below.
        guard number != 0, number != .min else { return number }
        let magnitude = number.magnitude
        var low: UInt64 = 1
        while low <= magnitude / 10 { low *= 10 }
        let span = magnitude - low + 1
        let bytes = code(String(number), group: group)
        let drawn = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let value = low + drawn % span
        return number < 0 ? -Int64(value) : Int64(value)
    }
}
