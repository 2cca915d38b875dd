import Foundation
import TransfertFormats
import TransfertModel

/// A database for one establishment filled beside its live one, then swapped into place in one step
/// (`restore --replace`): the live database is never written while the bundle is restored, so any failure
/// before the swap leaves it exactly as it was, and a failure after it (the files, the registry) is undone
/// by ``undoSwap()``.
///
/// ```swift
/// let staged = try hosting.backend.makeStagedEstablishment(baseID: 7)
/// defer { staged.discard() }
/// try staged.store.create(baseID: 7, schema: DatabaseSchema())
/// // … restore and check into staged.store …
/// try staged.swapIntoPlace()
/// ```
public protocol StagedEstablishment: AnyObject, Sendable {
    /// Holds the staging database, under the establishment's own id.
    var store: any EstablishmentStore { get }
    /// Where the staging database is, for messages.
    var location: String { get }
    /// Puts the staging database in the live one's place and keeps the live one aside, in one step of the
    /// engine (SQLite: rename(2) of the file; MariaDB: one RENAME TABLE of every table). Throws with the
    /// live database unchanged.
    func swapIntoPlace() throws
    /// Puts the database kept aside back in place (after ``swapIntoPlace()``, when a later step failed).
    func undoSwap() throws
    /// Removes the staging database and the one kept aside, whatever state they are in.
    func discard()
}

/// A swap that could not be made or undone, with what the operator should do.
public struct StagedSwapError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension StagedSwapError: LocatedError {
    public var problemCode: ProblemCode { .restoreFailed }
}
