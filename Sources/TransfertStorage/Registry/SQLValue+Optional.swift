import TransfertFormats
import TransfertModel

extension SQLValue {
    /// An optional text as a neutral value.
    static func optional(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }
    /// An optional integer as a neutral value.
    static func optional(_ integer: Int64?) -> SQLValue { integer.map(SQLValue.integer) ?? .null }
}
