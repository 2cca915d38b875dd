import Foundation

/// Establishments confirmed as moved to another server.
public protocol MoveRegistry: Sendable {
    /// In one transaction: records `move`, marks the establishment (if still registered) `moved`, drops the
    /// lock kept since its export, and appends `journal`. Refused if the move was already confirmed.
    func confirmMove(_ move: ConfirmedMove, journal: [JournalEntry]) throws
    /// Every confirmed move, oldest first.
    func moves() throws -> [ConfirmedMove]
}

extension MoveRegistry {
    /// The move of the establishment that had id `baseID` here, if it was confirmed.
    public func move(baseID: Int64) throws -> ConfirmedMove? { try moves().first { $0.baseID == baseID } }

    /// The confirmed move of `guid`, if any.
    public func move(guid: String) throws -> ConfirmedMove? {
        let key = guid.lowercased()
        return try moves().first { $0.guid == key }
    }
}
