/// What a piece of work's amount counts, beside its items (establishments, letters).
public enum ProgressUnit: String, Codable, Sendable {
    /// Bytes of dumps and files read or written.
    case bytes
    /// Rows written (`sample`).
    case rows
    /// The items alone (letters, messages): no amount.
    case items
}
