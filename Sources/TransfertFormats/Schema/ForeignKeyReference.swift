import Foundation
import TransfertModel

/// What a foreign key points at and what happens when the parent row changes.
public struct ForeignKeyReference: Codable, Equatable, Hashable, Sendable {
    /// The parent table.
    public var table: String
    /// The parent columns; empty means the parent's primary key.
    public var columns: [String]
    public var onDelete: ForeignKeyAction
    public var onUpdate: ForeignKeyAction
    /// `DEFERRABLE INITIALLY DEFERRED`, `NOT DEFERRABLE`… as declared (canonical spacing), or nil.
    public var deferrable: String?

    public init(
        table: String, columns: [String], onDelete: ForeignKeyAction = .noAction,
        onUpdate: ForeignKeyAction = .noAction, deferrable: String? = nil
    ) {
        self.table = table
        self.columns = columns
        self.onDelete = onDelete
        self.onUpdate = onUpdate
        self.deferrable = deferrable
    }

    enum CodingKeys: String, CodingKey {
        case table, columns, deferrable
        case onDelete = "on_delete"
        case onUpdate = "on_update"
    }
}

/// `ON DELETE` / `ON UPDATE` actions, spelled as SQL spells them.
public enum ForeignKeyAction: String, Codable, Hashable, Sendable, CaseIterable {
    case noAction = "NO ACTION"
    case restrict = "RESTRICT"
    case setNull = "SET NULL"
    case setDefault = "SET DEFAULT"
    case cascade = "CASCADE"
}
