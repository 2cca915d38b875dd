import Foundation
import TransfertModel

/// What a personal-data column holds, so that an anonymised copy replaces it with a value of the same
/// shape (a name by a name, an e-mail by an e-mail under a reserved domain, a login by a unique login).
public enum PersonalDataKind: String, Codable, Equatable, Hashable, Sendable, CaseIterable {
    case firstName = "first_name"
    case lastName = "last_name"
    /// "First Last" in one column.
    case fullName = "full_name"
    /// A sign-in name: unique, ASCII.
    case login
    case email
    /// A password hash or a token: replaced by a value that matches no password.
    case secret
    /// A date (`YYYY-MM-DD`, optionally followed by a time): replaced by another date of the same year.
    case date
    /// An identifier given by another system (national student number…): replaced by digits, integers
    /// by integers.
    case identifier
    /// Free text that may name people: replaced by a neutral sentence.
    case text
    /// Binary content (a photo…): replaced by an empty value.
    case blob
}
