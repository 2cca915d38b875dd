import TransfertFormats

extension SQLValue {
    /// `NULL` for an absent text.
    static func orNull(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }
}
