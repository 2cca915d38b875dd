import Foundation
import GRDB

/// Establishment databases as SQLite files named `base_<id>.sqlite` in one directory.
public struct SQLiteEstablishmentStore: EstablishmentStore {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func databasePath(baseID: Int64) -> String {
        directory.appendingPathComponent("base_\(baseID).sqlite").path
    }

    public func create(baseID: Int64, schema: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let path = databasePath(baseID: baseID)
        guard !FileManager.default.fileExists(atPath: path) else {
            throw EstablishmentStoreError.alreadyExists(baseID: baseID, path: path)
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: Self.configuration())
            try queue.write { db in try db.execute(sql: schema) }
            try queue.close()
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            try? remove(baseID: baseID)
            throw error
        }
    }

    public func exists(baseID: Int64) -> Bool {
        FileManager.default.fileExists(atPath: databasePath(baseID: baseID))
    }

    public func remove(baseID: Int64) throws {
        let path = databasePath(baseID: baseID)
        for suffix in ["", "-journal", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    public func storageSize(baseID: Int64) throws -> Int64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: databasePath(baseID: baseID))
        return (attributes[.size] as? NSNumber)?.int64Value ?? 0
    }

    public func read<T>(baseID: Int64, _ body: (any EstablishmentReader) throws -> T) throws -> T {
        let queue = try open(baseID: baseID, readOnly: true)
        defer { try? queue.close() }
        return try queue.read { db in try body(SQLiteEstablishmentReader(db: db)) }
    }

    public func write(baseID: Int64, _ body: (any EstablishmentWriter) throws -> Void) throws {
        let queue = try open(baseID: baseID, readOnly: false)
        defer { try? queue.close() }
        try queue.write { db in try body(SQLiteEstablishmentWriter(db: db)) }
    }

    private func open(baseID: Int64, readOnly: Bool) throws -> DatabaseQueue {
        let path = databasePath(baseID: baseID)
        guard FileManager.default.fileExists(atPath: path) else {
            throw EstablishmentStoreError.missing(baseID: baseID, path: path)
        }
        var configuration = Self.configuration()
        configuration.readonly = readOnly
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        return configuration
    }
}

public enum EstablishmentStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case alreadyExists(baseID: Int64, path: String)
    case missing(baseID: Int64, path: String)

    public var description: String {
        switch self {
        case .alreadyExists(let id, let path):
            return "a database for establishment \(id) already exists at \(path): remove it or choose another id"
        case .missing(let id, let path):
            return "the database of establishment \(id) is missing (expected at \(path))"
        }
    }
}

struct SQLiteEstablishmentReader: EstablishmentReader {
    let db: Database

    func scalar(_ sql: String) throws -> SQLValue {
        guard let row = try Row.fetchOne(db, sql: sql), row.count > 0 else { return .null }
        return SQLValue(row[0] as DatabaseValue)
    }

    func tableNames() throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master
            WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
            """)
    }

    func columnNames(of table: String) throws -> [String] {
        try db.columns(in: table).map(\.name)
    }

    func forEachRow(of table: String, columns: [String], _ body: ([SQLValue]) throws -> Void) throws {
        let order = try orderingTerms(of: table)
        let sql = "SELECT \(columns.map(quoteIdentifier).joined(separator: ", ")) FROM \(quoteIdentifier(table)) ORDER BY \(order)"
        let cursor = try Row.fetchCursor(db, sql: sql)
        var values: [SQLValue] = []
        values.reserveCapacity(columns.count)
        while let row = try cursor.next() {
            values.removeAll(keepingCapacity: true)
            for index in 0..<row.count { values.append(SQLValue(row[index] as DatabaseValue)) }
            try body(values)
        }
    }

    /// Primary-key order; GRDB reports `rowid` for tables without a declared key.
    private func orderingTerms(of table: String) throws -> String {
        try db.primaryKey(table).columns.map(quoteIdentifier).joined(separator: ", ")
    }
}

struct SQLiteEstablishmentWriter: EstablishmentWriter {
    let db: Database

    func execute(_ sql: String) throws {
        try db.execute(sql: sql)
    }

    func makeInserter(table: String, columns: [String]) throws -> any RowInserter {
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let statement = try db.makeStatement(sql: """
            INSERT INTO \(quoteIdentifier(table)) (\(columns.map(quoteIdentifier).joined(separator: ", "))) VALUES (\(placeholders))
            """)
        return SQLiteRowInserter(statement: statement)
    }
}

struct SQLiteRowInserter: RowInserter {
    let statement: Statement

    func insert(_ values: [SQLValue]) throws {
        statement.setUncheckedArguments(StatementArguments(values.map(\.databaseValue)))
        try statement.execute()
    }
}
