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

/// The set of establishment databases of a hosting.
public protocol EstablishmentStore: Sendable {
    /// Creates an empty database for `baseID` and runs `schema` (SQL statements) in it.
    func create(baseID: Int64, schema: String) throws
    func exists(baseID: Int64) -> Bool
    /// Deletes the database; does nothing if there is none.
    func remove(baseID: Int64) throws
    /// Bytes used on disk by the database.
    func storageSize(baseID: Int64) throws -> Int64
    /// Runs `body` in one read transaction: everything it reads comes from the same snapshot.
    func read<T>(baseID: Int64, _ body: (any EstablishmentReader) throws -> T) throws -> T
    /// Runs `body` in one write transaction, rolled back if it throws.
    func write(baseID: Int64, _ body: (any EstablishmentWriter) throws -> Void) throws
    /// Fills a database that nobody uses yet (a restore): the backend may skip its journal and
    /// intermediate syncs, because the caller deletes the database if anything fails. Everything is
    /// on disk when it returns.
    func load(baseID: Int64, _ body: (any EstablishmentWriter) throws -> Void) throws
}

/// Read access to one establishment database, inside a snapshot.
public protocol EstablishmentReader {
    /// The first column of the first row of `sql`, or `.null` when there is no row.
    func scalar(_ sql: String) throws -> SQLValue
    /// User tables, in a stable order (by name).
    func tableNames() throws -> [String]
    /// The columns of `table`, in declaration order.
    func columnNames(of table: String) throws -> [String]
    /// User tables in the portable subset, by name, with notes on what could not be carried.
    func portableSchema() throws -> (tables: [TableSchema], notes: [SchemaNote])
    /// Calls `row` for each row of `table` in digest order (primary key, else every column), with
    /// values in `columns` order. The row is only valid during the call: it reads the backend's own
    /// buffers, which is what lets a dump stream a table without copying its values.
    func forEachRawRow(of table: String, columns: [String], _ row: (any RawRow) throws -> Void) throws
}

/// The storage class of a value, as a backend reports it before the value is read.
public enum SQLValueKind: Sendable {
    case null, integer, real, text, blob
}

/// One row as the backend holds it, read value by value without building ``SQLValue``s.
public protocol RawRow {
    var count: Int { get }
    func kind(at index: Int) -> SQLValueKind
    func integer(at index: Int) -> Int64
    func real(at index: Int) -> Double
    /// The UTF-8 bytes of a text value or the bytes of a blob, valid during `body` only.
    func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
    /// `true` when the buffers `withBytes` hands out stay valid as long as the rows themselves (rows held in
    /// a batch), so a backend may bind them without copying. `false` by default.
    static var bytesOutliveTheCall: Bool { get }
}

extension RawRow {
    public static var bytesOutliveTheCall: Bool { false }
}

extension RawRow {
    /// The value at `index` as a neutral value (copies text and blobs).
    public func value(at index: Int) -> SQLValue {
        switch kind(at: index) {
        case .null: return .null
        case .integer: return .integer(integer(at: index))
        case .real: return .real(real(at: index))
        case .text: return .text(withBytes(at: index) { String(decoding: $0, as: UTF8.self) })
        case .blob: return .blob(withBytes(at: index) { Data($0) })
        }
    }
}

extension EstablishmentReader {
    /// Calls `row` for each row of `table` in digest order, with values copied into ``SQLValue``s.
    /// The array passed is reused between calls: copy what you keep.
    public func forEachRow(of table: String, columns: [String], _ row: ([SQLValue]) throws -> Void) throws {
        var values: [SQLValue] = []
        values.reserveCapacity(columns.count)
        try forEachRawRow(of: table, columns: columns) { raw in
            values.removeAll(keepingCapacity: true)
            for index in 0..<raw.count { values.append(raw.value(at: index)) }
            try row(values)
        }
    }
}

/// Write access to one establishment database, inside a transaction.
public protocol EstablishmentWriter {
    /// Runs one or more SQL statements that come from a trusted source (the application profile).
    func execute(_ sql: String) throws
    /// Prepares an insertion of `columns` into `table`; the returned inserter is valid inside this
    /// transaction only.
    func makeInserter(table: String, columns: [String]) throws -> any RowInserter
}

/// Inserts rows into one table with a statement prepared once.
public protocol RowInserter {
    func insert(_ values: [SQLValue]) throws
    /// Inserts a row read in place (from a dump being parsed), binding its values as parameters.
    func insert(row: some RawRow) throws
    /// Inserts consecutive rows of the same columns; a backend may bind several per statement.
    func insert<Rows: RandomAccessCollection>(rows: Rows) throws where Rows.Element: RawRow
}

extension RowInserter {
    public func insert(row: some RawRow) throws {
        try insert((0..<row.count).map { row.value(at: $0) })
    }

    public func insert<Rows: RandomAccessCollection>(rows: Rows) throws where Rows.Element: RawRow {
        for row in rows { try insert(row: row) }
    }
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
