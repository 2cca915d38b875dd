import Foundation
import TransfertModel

/// The set of establishment databases of a hosting.
public protocol EstablishmentStore: Sendable {
    /// Creates a database for `baseID` with the objects of `schema` (the backend writes its own DDL from
    /// the neutral values); an empty schema gives an empty database, ready for a restore.
    func create(baseID: Int64, schema: DatabaseSchema) throws
    func exists(baseID: Int64) -> Bool
    /// The ids of every establishment database the store holds, registered or not (for `doctor`).
    func databaseIDs() throws -> [Int64]
    /// Where the database of `baseID` is, for messages (`bases/base_12.sqlite`, `transfert_base_12`).
    func location(baseID: Int64) -> String
    /// Deletes the database; does nothing if there is none.
    func remove(baseID: Int64) throws
    /// Bytes used on disk by the database.
    func storageSize(baseID: Int64) throws -> Int64
    /// Runs `body` in one read transaction: everything it reads comes from the same snapshot.
    func read<T>(baseID: Int64, _ body: (any EstablishmentReader) throws -> T) throws -> T
    /// Runs `body` in one write transaction, rolled back if it throws.
    func write(baseID: Int64, _ body: (any EstablishmentWriter) throws -> Void) throws
    /// Fills a database that nobody uses yet (a restore): the backend may skip its journal and
    /// intermediate syncs, because the caller deletes the database if anything fails. Foreign keys are
    /// not enforced while `body` runs (rows arrive table by table, not parents first): `body` asks
    /// ``EstablishmentWriter/foreignKeyViolations(limit:)`` once the rows are in. Everything is on disk
    /// when it returns.
    func load(baseID: Int64, _ body: (any EstablishmentWriter) throws -> Void) throws
    /// What the engine observes of the database without reading its rows, to tell a later observation
    /// whether anything was written since (``DatabaseChangeStamp``). Reading the database (a dump, a
    /// verification) must not change it.
    func changeStamp(baseID: Int64) throws -> DatabaseChangeStamp
    /// How the engine converts values bound to columns, when a restore can predict it from the schema
    /// (``StoredValueRules``); `nil` (the default) when it cannot.
    var storedValueRules: StoredValueRules? { get }
}
