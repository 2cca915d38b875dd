import Foundation
import TransfertFormats
import TransfertModel

/// Establishments confirmed as moved to another server.
public protocol MoveRegistry: Sendable {
    /// In one transaction, all or nothing: records every move, marks each establishment (if still registered)
    /// `moved`, and appends `journal`. The lock kept since the export stays until the establishment is removed.
    /// Refused (nothing written) if one of the old ids already has a confirmed move.
    func confirmMoves(_ moves: [ConfirmedMove], journal: [JournalEntry]) throws
    /// Every confirmed move, oldest first.
    func moves() throws -> [ConfirmedMove]
}

extension MoveRegistry {
    /// The move of the establishment that had id `baseID` here, if it was confirmed.
    public func move(baseID: Int64) throws -> ConfirmedMove? { try moves().first { $0.baseID == baseID } }

    /// The latest confirmed move of `guid` away from this hosting, if any (an establishment that came back
    /// and left again has several).
    public func move(guid: String) throws -> ConfirmedMove? {
        let key = guid.lowercased()
        return try moves().last { $0.guid == key }
    }
}
