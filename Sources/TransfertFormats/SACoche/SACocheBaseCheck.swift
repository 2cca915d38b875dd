import Foundation
import TransfertModel

/// What checking a SACoche base (``SACocheBase/check()``) found in it: every statement and value was
/// read and accepted.
public struct SACocheBaseCheck: Equatable, Sendable {
    /// Tables in the order they were created.
    public var tables: [TableSchema]
    /// Rows read per table.
    public var rowCounts: [String: Int64]
    /// `version_base`, as `sacoche_parametre` holds it, when it does.
    public var versionBase: String?
}
