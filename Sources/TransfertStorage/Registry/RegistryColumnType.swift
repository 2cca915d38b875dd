import TransfertFormats
import TransfertModel

/// The kinds of column the registry's tables use; each ``SQLDialect`` names its type for them.
package enum RegistryColumnType: Sendable, Equatable {
    /// A 64-bit integer (ids).
    case integer
    /// A 32-bit integer (a process id, a count of attempts).
    case int32
    /// 0 or 1.
    case flag
    /// Text of at most `maxCharacters` characters (a key, a name, a time): engines that index text in
    /// full only up to a length need it.
    case text(maxCharacters: Int)
    /// Text of any length (messages, reasons, JSON).
    case longText
}
