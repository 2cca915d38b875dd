import Foundation
import GRDB
import GRDBSQLite
import TransfertFormats
import TransfertModel

/// Establishment databases as SQLite files named `base_<id>.sqlite` in one directory.
package struct SQLiteEstablishmentStore: EstablishmentStore {
    package let directory: URL
    /// Whether ``load(baseID:_:)`` makes the file and its directory entry durable before it returns. A
    /// scratch store (verify's copies, a merge's bundle copy) is deleted when the work ends, so flushing
    /// it to disk would only wait on the disk for nothing.
    package let durable: Bool

    package init(directory: URL, durable: Bool = true) {
        self.directory = directory
        self.durable = durable
    }

    /// SQLite converts values by column affinity, which a restore predicts from the schema it parsed.
    package var storedValueRules: StoredValueRules? { .sqliteTypeAffinity }

    package func databasePath(baseID: Int64) -> String {
        directory.appendingPathComponent("base_\(baseID).sqlite").path
    }

    package func create(baseID: Int64, schema: DatabaseSchema) throws {
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let path = databasePath(baseID: baseID)
        guard !FileManager.default.fileExists(atPath: path) else {
            throw EstablishmentStoreError.alreadyExists(baseID: baseID, path: path)
        }
        if schema.tables.isEmpty && schema.views.isEmpty && schema.triggers.isEmpty {
            // An empty file is an empty SQLite database: no connection, no journal and none of the four
            // syncs a committed transaction costs. A restore fills it next, and its `load` makes the file
            // and its directory entry durable once, at the end.
            try Self.createEmptyFile(at: path, baseID: baseID)
            return
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: Self.configuration())
            try queue.write { db in try SQLiteEstablishmentWriter(db: db).create(schema) }
            try queue.close()
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            try? remove(baseID: baseID)
            throw error
        }
    }

    /// Creates `path` empty, owner-only; refuses (as ``EstablishmentStoreError/alreadyExists``) when
    /// something is there already, even if it appeared since the check.
    private static func createEmptyFile(at path: String, baseID: Int64) throws {
        let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw EstablishmentStoreError.alreadyExists(baseID: baseID, path: path) }
            throw EstablishmentStoreError.storageFull(
                baseID: baseID, path: path, detail: String(cString: strerror(errno)))
        }
        Foundation.close(descriptor)
    }

    package func databaseIDs() throws -> [Int64] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name in
            guard name.hasPrefix("base_"), name.hasSuffix(".sqlite") else { return nil }
            return Int64(name.dropFirst("base_".count).dropLast(".sqlite".count))
        }.sorted()
    }

    package func location(baseID: Int64) -> String {
        "\(directory.lastPathComponent)/base_\(baseID).sqlite"
    }

    package func exists(baseID: Int64) -> Bool {
        FileManager.default.fileExists(atPath: databasePath(baseID: baseID))
    }

    package func remove(baseID: Int64) throws {
        let path = databasePath(baseID: baseID)
        for suffix in ["", "-journal", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    package func storageSize(baseID: Int64) throws -> Int64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: databasePath(baseID: baseID))
        return (attributes[.size] as? NSNumber)?.int64Value ?? 0
    }

    package func read<T>(baseID: Int64, _ body: (any EstablishmentReader) throws -> T) throws -> T {
        let queue = try open(baseID: baseID, readOnly: true)
        defer { try? queue.close() }
        return try queue.read { db in try body(SQLiteEstablishmentReader(db: db)) }
    }

    package func write(baseID: Int64, _ body: (any EstablishmentWriter) throws -> Void) throws {
        let queue = try open(baseID: baseID, readOnly: false)
        defer { try? queue.close() }
        try queue.write { db in try body(SQLiteEstablishmentWriter(db: db)) }
    }

    package func load(baseID: Int64, _ body: (any EstablishmentWriter) throws -> Void) throws {
        // Foreign keys are not enforced during a restore: rows come table by table, in name order, not
        // parents first. The caller checks them all once at the end (`foreignKeyViolations`).
        let queue = try open(baseID: baseID, readOnly: false, enforceForeignKeys: false)
        defer { try? queue.close() }
        try Self.namingStorageFailures(baseID: baseID, path: databasePath(baseID: baseID)) {
            try queue.writeWithoutTransaction { db in
                // No rollback journal and no fsync per transaction: a failed load deletes the file anyway.
                // A 4 MiB page cache: measured faster than 2, 8 or 16 MiB for both the appends and the index
                // sorts (it stays in the processor's caches), and it keeps peak memory flat.
                try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -4096")
                try db.inTransaction {
                    try body(SQLiteEstablishmentWriter(db: db))
                    return .commit
                }
            }
        }
        try queue.close()
        guard durable else { return }
        // Made durable once, at the end: the file, then its name in the directory (the file may have been
        // created without a journal, whose creation would have flushed the directory).
        Self.synchronize(databasePath(baseID: baseID), flags: O_RDONLY)
        Self.synchronize(directory.path, flags: O_RDONLY | O_DIRECTORY)
    }

    private static func synchronize(_ path: String, flags: Int32) {
        let descriptor = Foundation.open(path, flags | O_CLOEXEC)
        if descriptor >= 0 {
            fsync(descriptor)
            Foundation.close(descriptor)
        }
    }

    /// SQLite reports a write that the disk or a size limit refused as SQLITE_FULL or SQLITE_IOERR: said in
    /// words an operator acts on.
    static func namingStorageFailures(baseID: Int64, path: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL || error.resultCode == .SQLITE_IOERR {
            throw EstablishmentStoreError.storageFull(
                baseID: baseID, path: path, detail: error.message ?? "\(error.resultCode)")
        }
    }

    private func open(baseID: Int64, readOnly: Bool, enforceForeignKeys: Bool = true) throws -> DatabaseQueue {
        let path = databasePath(baseID: baseID)
        guard FileManager.default.fileExists(atPath: path) else {
            throw EstablishmentStoreError.missing(baseID: baseID, path: path)
        }
        var configuration = Self.configuration()
        configuration.readonly = readOnly
        configuration.foreignKeysEnabled = enforceForeignKeys
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        return configuration
    }
}

package enum EstablishmentStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case alreadyExists(baseID: Int64, path: String)
    case missing(baseID: Int64, path: String)
    /// The database could not grow: the disk is full, or a file-size limit or quota was reached.
    case storageFull(baseID: Int64, path: String, detail: String)

    package var description: String {
        switch self {
        case .alreadyExists(let id, let path):
            return "a database for establishment \(id) already exists at \(path): remove it or choose another id"
        case .missing(let id, let path):
            return "the database of establishment \(id) is missing (expected at \(path))"
        case .storageFull(let id, let path, let detail):
            return
                "the database of establishment \(id) (\(path)) could not be written (\(detail)): the disk is probably full, or a file-size limit or quota was reached. Free some space and run the same command again"
        }
    }
}

struct SQLiteEstablishmentReader: EstablishmentReader {
    let db: Database

    func scalar(_ sql: String) throws -> SQLValue {
        guard let row = try Row.fetchOne(db, sql: sql), row.count > 0 else { return .null }
        return SQLValue(row[0] as DatabaseValue)
    }

    func rows(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]] {
        try sqliteRows(db: db, sql, values)
    }

    func tableNames() throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                SELECT name FROM sqlite_master
                WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
                """)
    }

    func columnNames(of table: String) throws -> [String] {
        try db.columns(in: table).map(\.name)
    }

    func forEachRawRow(of table: String, columns: [String], _ body: (any RawRow) throws -> Void) throws {
        let order = try orderingTerms(of: table)
        let sql =
            "SELECT \(columns.map(quoteIdentifier).joined(separator: ", ")) FROM \(quoteIdentifier(table)) ORDER BY \(order)"
        let statement = try db.makeStatement(sql: sql)
        let row = SQLiteRawRow(statement: statement.sqliteStatement, count: columns.count)
        while true {
            switch sqlite3_step(statement.sqliteStatement) {
            case SQLITE_ROW: try body(row)
            case SQLITE_DONE: return
            case let code:
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
            }
        }
    }

    /// Primary-key order; tables without a declared key are ordered by every column, which is what
    /// any backend can reproduce (a rowid order would not survive a restore elsewhere).
    private func orderingTerms(of table: String) throws -> String {
        let primaryKey = try declaredPrimaryKey(of: table)
        let columns = primaryKey.isEmpty ? try columnNames(of: table) : primaryKey
        return columns.map(quoteIdentifier).joined(separator: ", ")
    }

    private func declaredPrimaryKey(of table: String) throws -> [String] {
        try Row.fetchAll(
            db, sql: "SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", arguments: [table]
        )
        .map { $0["name"] }
    }

    func schema() throws -> DatabaseSchema {
        try SQLiteSchemaReader(db: db).schema()
    }

    func rowCount(of table: String) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM \(quoteIdentifier(table))") ?? 0
    }

    func value(in table: String, column: String, where keyColumn: String, is key: String) throws -> SQLValue {
        try sqliteScalar(
            db: db,
            sql:
                "SELECT \(quoteIdentifier(column)) FROM \(quoteIdentifier(table)) WHERE \(quoteIdentifier(keyColumn)) = ?",
            arguments: [key])
    }

    func integrityProblems() throws -> [Problem] {
        // SQLite's lines name pages and indexes in its own words; the sentence is kept whole.
        let lines = try String.fetchAll(db, sql: "PRAGMA integrity_check")
        return lines == ["ok"] ? [] : lines.map { Problem(code: .restoreIntegrity, message: $0) }
    }

    func foreignKeyViolations(limit: Int) throws -> ForeignKeyCheck {
        try SQLiteForeignKeyChecker(db: db).check(limit: limit)
    }
}

/// The first column of the first row, as a neutral value.
/// The rows of a query with `values` bound, as neutral values.
func sqliteRows(db: Database, _ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]] {
    try Row.fetchAll(
        db.cachedStatement(sql: sql), arguments: StatementArguments(values.map(\.databaseValue))
    ).map { row in
        (0..<row.count).map { SQLValue(row[$0] as DatabaseValue) }
    }
}

func sqliteScalar(db: Database, sql: String, arguments: StatementArguments = []) throws -> SQLValue {
    guard let row = try Row.fetchOne(db, sql: sql, arguments: arguments), row.count > 0 else { return .null }
    return SQLValue(row[0] as DatabaseValue)
}

/// The current row of a stepped SQLite statement, read with the C API (no copies, no allocations).
struct SQLiteRawRow: RawRow {
    let statement: OpaquePointer
    let count: Int

    func kind(at index: Int) -> SQLValueKind {
        switch sqlite3_column_type(statement, Int32(index)) {
        case SQLITE_INTEGER: return .integer
        case SQLITE_FLOAT: return .real
        case SQLITE_TEXT: return .text
        case SQLITE_BLOB: return .blob
        default: return .null
        }
    }

    func integer(at index: Int) -> Int64 { sqlite3_column_int64(statement, Int32(index)) }

    func real(at index: Int) -> Double { sqlite3_column_double(statement, Int32(index)) }

    func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        // Ask for the pointer first, then the length, as SQLite's documentation requires.
        let pointer: UnsafeRawPointer? =
            sqlite3_column_type(statement, Int32(index)) == SQLITE_TEXT
            ? UnsafeRawPointer(sqlite3_column_text(statement, Int32(index)))
            : sqlite3_column_blob(statement, Int32(index))
        let length = Int(sqlite3_column_bytes(statement, Int32(index)))
        return try body(UnsafeRawBufferPointer(start: length == 0 ? nil : pointer, count: length))
    }
}

struct SQLiteEstablishmentWriter: EstablishmentWriter {
    let db: Database

    // Statements are cached by the connection: a feed runs the same few statements once per row.
    func run(_ sql: String, _ values: [SQLValue]) throws -> Int64 {
        let statement = try db.cachedStatement(sql: sql)
        try statement.execute(arguments: StatementArguments(values.map(\.databaseValue)))
        return Int64(db.changesCount)
    }

    func rows(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]] {
        try sqliteRows(db: db, sql, values)
    }

    func execute(_ sql: String) throws {
        try db.execute(sql: sql)
    }

    // The archive's DDL dialect is a subset SQLite runs as it is.
    func createTable(_ table: TableSchema) throws { try db.execute(sql: PortableDDL.createTable(table)) }
    func createIndex(_ index: IndexSchema, on table: String) throws {
        if TestCrashPoint.indexBuild.isArmed {
            // Killed from inside the statement, after SQLite has started sorting the keys.
            sqlite3_progress_handler(db.sqliteConnection, 1_000, { _ in TestCrashPoint.die() }, nil)
        }
        try db.execute(sql: PortableDDL.createIndex(index, on: table))
    }
    func createView(_ view: ViewSchema) throws { try db.execute(sql: PortableDDL.createView(view)) }
    func createTrigger(_ trigger: TriggerSchema) throws { try db.execute(sql: PortableDDL.createTrigger(trigger)) }

    func setValue(_ value: SQLValue, in table: String, column: String, where keyColumn: String, is key: String) throws {
        try db.execute(
            sql:
                "UPDATE \(quoteIdentifier(table)) SET \(quoteIdentifier(column)) = ? WHERE \(quoteIdentifier(keyColumn)) = ?",
            arguments: [value.databaseValue, key])
    }

    func foreignKeyViolations(limit: Int) throws -> ForeignKeyCheck {
        try SQLiteForeignKeyChecker(db: db).check(limit: limit)
    }

    func makeInserter(table: String, columns: [String]) throws -> any RowInserter {
        SQLiteRowInserter(
            db: db, table: table, columns: columns,
            single: try db.makeStatement(sql: insertSQL(table, columns, rows: 1)))
    }

    func deleteRows(of table: String, keeping: (column: String, value: String)?) throws {
        if let keeping {
            try db.execute(
                sql: "DELETE FROM \(quoteIdentifier(table)) WHERE \(quoteIdentifier(keeping.column)) IS NOT ?",
                arguments: [keeping.value])
        } else {
            try db.execute(sql: "DELETE FROM \(quoteIdentifier(table))")
        }
    }

    func insertNow(into table: String, columns: [String], values: [SQLValue]) throws {
        // Prepared once per table and column list for the transaction (a merge inserts row by row).
        try db.cachedStatement(sql: insertSQL(table, columns, rows: 1)).execute(
            arguments: StatementArguments(values.map(\.databaseValue)))
    }

    func insertSQL(_ table: String, _ columns: [String], rows: Int) -> String {
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT INTO \(quoteIdentifier(table)) (\(columns.map(quoteIdentifier).joined(separator: ", "))) VALUES "
            + Array(repeating: tuple, count: rows).joined(separator: ", ")
    }
}

/// Binds with the C API straight from the rows' bytes, steps, resets.
///
/// Runs of rows go through a statement of ``groupSize`` rows: one step per group instead of one per
/// row saves SQLite's per-statement work (cursor opening, transaction checks) on every row but one in
/// `groupSize`. Rows whose bytes outlive the call (``RawRow/bytesOutliveTheCall``, the rows of a restore
/// batch) are bound without SQLite copying them; other rows' bytes are copied.
final class SQLiteRowInserter: RowInserter {
    let db: Database
    let table: String
    let columns: [String]
    let single: Statement
    private var group: Statement?
    /// Rows per grouped statement: at most 256, within the connection's limit on parameters.
    let groupSize: Int

    init(db: Database, table: String, columns: [String], single: Statement) {
        self.db = db
        self.table = table
        self.columns = columns
        self.single = single
        let parameters = Int(sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_VARIABLE_NUMBER, -1))
        groupSize = max(1, min(256, (parameters > 0 ? parameters : 999) / max(1, columns.count)))
    }

    func insert(_ values: [SQLValue]) throws {
        try insert(row: SQLValueRow(values: values))
    }

    func insert(row: some RawRow) throws {
        try bind(row, at: 0, in: single.sqliteStatement, destructor: SQLITE_TRANSIENT)
        try step(single)
    }

    func insert<Rows: RandomAccessCollection>(rows: Rows) throws where Rows.Element: RawRow {
        var index = rows.startIndex
        var remaining = rows.count
        // Bytes that outlive the step need no copy (SQLITE_STATIC); every parameter is bound again before
        // the next step, so no binding ever points at memory that was released.
        let destructor: sqlite3_destructor_type? = Rows.Element.bytesOutliveTheCall ? nil : SQLITE_TRANSIENT
        if remaining >= groupSize {
            if group == nil {
                group = try db.makeStatement(
                    sql: SQLiteEstablishmentWriter(db: db).insertSQL(table, columns, rows: groupSize))
            }
            let statement = group!
            while remaining >= groupSize {
                for slot in 0..<groupSize {
                    try bind(
                        rows[index], at: slot * columns.count, in: statement.sqliteStatement, destructor: destructor)
                    index = rows.index(after: index)
                }
                try step(statement)
                remaining -= groupSize
            }
        }
        while index != rows.endIndex {
            try insert(row: rows[index])
            index = rows.index(after: index)
        }
    }

    /// Binds the values of `row` to parameters `offset + 1`…; `destructor` is SQLite's: copy, or not.
    private func bind(
        _ row: some RawRow, at offset: Int, in handle: OpaquePointer, destructor: sqlite3_destructor_type?
    ) throws {
        guard row.count == columns.count else {
            throw DatabaseError(
                resultCode: .SQLITE_RANGE,
                message: "a row of \(table) has \(row.count) values for \(columns.count) columns")
        }
        for index in 0..<row.count {
            let parameter = Int32(offset + index + 1)
            let code: Int32
            switch row.kind(at: index) {
            case .null: code = sqlite3_bind_null(handle, parameter)
            case .integer: code = sqlite3_bind_int64(handle, parameter, row.integer(at: index))
            case .real: code = sqlite3_bind_double(handle, parameter, row.real(at: index))
            case .text:
                code = row.withBytes(at: index) { bytes in
                    // A nil pointer would bind NULL: an empty text needs a real (empty) C string.
                    guard let pointer = bytes.baseAddress, !bytes.isEmpty else {
                        return sqlite3_bind_text(handle, parameter, "", 0, SQLITE_TRANSIENT)
                    }
                    return sqlite3_bind_text(
                        handle, parameter, pointer.assumingMemoryBound(to: CChar.self), Int32(bytes.count), destructor)
                }
            case .blob:
                code = row.withBytes(at: index) { bytes in
                    bytes.isEmpty
                        ? sqlite3_bind_zeroblob(handle, parameter, 0)
                        : sqlite3_bind_blob(handle, parameter, bytes.baseAddress, Int32(bytes.count), destructor)
                }
            }
            if code != SQLITE_OK { throw failure(code, single) }
        }
    }

    private func step(_ statement: Statement) throws {
        let code = sqlite3_step(statement.sqliteStatement)
        sqlite3_reset(statement.sqliteStatement)
        if code != SQLITE_DONE { throw failure(code, statement) }
    }

    private func failure(_ code: Int32, _ statement: Statement) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
            sql: statement.sql)
    }
}

/// SQLite copies the bound bytes before the call returns.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension EstablishmentStoreError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    package var problemCode: ProblemCode {
        switch self {
        case .alreadyExists: return .establishmentStoreAlreadyExists
        case .missing: return .establishmentStoreMissing
        case .storageFull: return .establishmentStoreStorageFull
        }
    }
}

extension SQLiteEstablishmentStore {
    /// The database file's stamp (``SQLiteFileStamp``): a stat and 100 header bytes, no SQLite connection.
    package func changeStamp(baseID: Int64) throws -> DatabaseChangeStamp {
        try SQLiteFileStamp.read(path: databasePath(baseID: baseID), baseID: baseID)
    }
}
