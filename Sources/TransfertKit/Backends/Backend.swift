import Foundation

/// Where a hosting keeps its registry and its establishments' databases.
///
/// Callers (commands, export, import) only see these protocols, so a backend can be added without
/// touching them. The API is synchronous on purpose: dumps and restores stream millions of rows through
/// per-row callbacks inside one transaction, which a blocking API does without buffering.
public protocol HostingBackend: Sendable {
    /// A short name for messages ("SQLite", "PostgreSQL").
    var name: String { get }
    /// The registry of zones and structures.
    var registry: any Registry { get }
    /// The per-establishment databases.
    var establishments: any EstablishmentStore { get }
    /// Throwaway databases on the same engine, for `verify --deep` (`parent`: where files may go).
    func makeScratchDatabases(parent: URL?) throws -> ScratchDatabases
}

/// The registry database: zones, structures, and the hosting's own metadata.
public protocol Registry: Sendable {
    func zones() throws -> [Zone]
    func zone(id: Int64) throws -> Zone?
    /// Adds a zone and returns it with its new id.
    func addZone(named name: String) throws -> Zone

    func structures() throws -> [Structure]
    func structure(baseID: Int64) throws -> Structure?
    func structure(uai: UAI) throws -> Structure?
    func structure(guid: UUID) throws -> Structure?
    /// Inserts a structure, refusing (with ``RegistryError``) a duplicate id, UAI or GUID.
    func insert(_ structure: Structure) throws
    /// Inserts a structure with the smallest id above the current maximum, chosen and written in one
    /// transaction so that two concurrent callers never get the same id.
    func insertWithNewID(_ structure: Structure) throws -> Structure
    /// Removes the registry row and the lock of `baseID` and records `journal` (when given: a rollback
    /// of a registration records nothing), in one transaction.
    func removeStructure(baseID: Int64, journal: JournalEntry?) throws

    /// Appends an entry to the transfer journal.
    func record(_ entry: JournalEntry) throws
    /// The journal, oldest first; only the entries of `guid` when given.
    func journal(guid: String?) throws -> [JournalEntry]

    // MARK: Imports

    /// Registers establishments an import is about to restore, in one transaction: each gets status
    /// ``Structure/Status/importing`` and a restore lock held by this process. A structure whose
    /// `baseID` is 0 gets the smallest id above the current maximum that is not in `reserved` and for
    /// which `isFree` holds (no database file left there). Throws, claiming nothing, when one of them
    /// breaks a registry constraint.
    func claimForImport(_ structures: [Structure], reserved: Set<Int64>, isFree: (Int64) -> Bool) throws -> [Structure]
    /// Makes an imported establishment active, releases its lock and records `journal`, in one transaction.
    func completeImport(baseID: Int64, journal: JournalEntry) throws
    /// Structures left with status importing whose restore lock is gone or stale (a killed import).
    func abandonedImports() throws -> [Structure]
    /// Records the start of an import of `bundle`; returns the run's id and whether an earlier run of the
    /// same bundle was left unfinished (killed, or with failed establishments): this one resumes it.
    func startImportRun(bundle: String) throws -> (id: Int64, resumes: Bool)
    /// Whether an earlier import of `bundle` was left unfinished (killed, or with failed establishments).
    func hasUnfinishedImportRun(bundle: String) throws -> Bool
    /// Marks a run finished; `complete` when every establishment of the CSV is now hosted.
    func finishImportRun(id: Int64, complete: Bool) throws

    /// A stable, random identifier of this hosting, created once by `init`.
    func fingerprint() throws -> String

    /// Takes `lock`, refusing with ``LockError/locked(_:)`` if a live lock is already there.
    /// Stale locks (their process died) are replaced.
    func acquire(_ lock: StructureLock) throws
    /// Replaces an automatic lock by a kept one (`--keep-locked`).
    func keep(baseID: Int64, message: String) throws
    /// Removes the lock of `baseID`, if any.
    func releaseLock(baseID: Int64) throws
    /// Current locks, after removing stale ones.
    func locks() throws -> [StructureLock]

    // MARK: Outbox

    /// Records a message just written to the outbox. `replacing` names earlier messages it supersedes
    /// (unsent letters of the same establishment): their rows go in the same transaction.
    func addOutboxMessage(_ message: OutboxMessage, replacing: [String]) throws
    /// Every outbox message, oldest first (by file name).
    func outboxMessages() throws -> [OutboxMessage]
    /// Records one delivery try of `file`: its state (unchanged when `attempt.state` is pending), one
    /// more attempt, the reply and the time.
    func recordDeliveryAttempt(file: String, _ attempt: DeliveryAttempt) throws
    /// Forgets messages whose file the operator deleted.
    func removeOutboxMessages(files: [String]) throws
}

/// A registry constraint that an operation would break.
public enum RegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    case duplicateBaseID(Int64)
    case duplicateUAI(String, hostedBy: Int64)
    case duplicateGUID(UUID, hostedBy: Int64)
    case unknownZone(Int64)
    case unknownStructure(Int64)
    case notInitialised(String)

    public var description: String {
        switch self {
        case .duplicateBaseID(let id):
            return "id \(id) is already used by another establishment: choose a free id or leave it out"
        case .duplicateUAI(let uai, let id):
            return "UAI \(uai) is already hosted here (establishment \(id))"
        case .duplicateGUID(let guid, let id):
            return "GUID \(guid.uuidString.lowercased()) is already hosted here (establishment \(id)): the same establishment cannot be hosted twice"
        case .unknownZone(let id):
            return "zone \(id) does not exist: list zones with `transfert zone list`"
        case .unknownStructure(let id):
            return "no establishment has id \(id): list them with `transfert structure list`"
        case .notInitialised(let path):
            return "\(path) is not an initialised hosting: run `transfert init` first"
        }
    }
}
