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
    func removeStructure(baseID: Int64) throws

    /// A stable, random identifier of this hosting, created once by `init`.
    func fingerprint() throws -> String
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
}

/// Read access to one establishment database, inside a snapshot.
public protocol EstablishmentReader {
    /// The first column of the first row of `sql`, or `.null` when there is no row.
    func scalar(_ sql: String) throws -> SQLValue
    /// User tables, in a stable order (by name).
    func tableNames() throws -> [String]
    /// Calls `row` for each row of `table`, in primary-key (or rowid) order, with values in `columns` order.
    func forEachRow(of table: String, columns: [String], _ row: ([SQLValue]) throws -> Void) throws
    /// The columns of `table`, in declaration order.
    func columnNames(of table: String) throws -> [String]
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
