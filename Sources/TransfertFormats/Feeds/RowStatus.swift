import Foundation

/// Blackboard's `ROW_STATUS`: whether a record exists for the integration at all. It is not availability:
/// a disabled record is hidden from everyone and from interactive management, overrides `AVAILABLE_IND`,
/// and is the only kind `feed purge` removes later.
public enum RowStatus: String, Codable, Sendable {
    case enabled
    case disabled

    /// The value of a file's field, compared without regard to case (`Enabled`, `DISABLED`); `nil` when
    /// it is neither.
    public init?(field: String) {
        switch field.lowercased() {
        case "enabled": self = .enabled
        case "disabled": self = .disabled
        default: return nil
        }
    }
}
