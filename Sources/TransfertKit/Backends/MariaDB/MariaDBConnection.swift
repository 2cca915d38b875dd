import CMariaDB
import Foundation

/// One connection to a MariaDB server through MariaDB Connector/C, used by one thread at a time.
///
/// The client library's API is synchronous, like the backend protocols: a dump streams rows with
/// ``MariaDBStatement/forEachRow(_:)`` (unbuffered: rows come from the network as they are read), a
/// restore binds rows to prepared multi-row INSERTs. Text travels as `utf8mb4`.
///
/// ```swift
/// let connection = try MariaDBConnection(settings)
/// try connection.execute("CREATE DATABASE transfert_base_12")
/// let version = try connection.query("SELECT VERSION()").first?.first
/// ```
final class MariaDBConnection {
    let settings: MariaDBSettings
    let handle: UnsafeMutablePointer<MYSQL>

    /// The client library is initialised once per process, before any thread uses it.
    private static let libraryReady: Bool = mysql_server_init(0, nil, nil) == 0

    init(_ settings: MariaDBSettings, connectTimeout: UInt32 = 10) throws {
        self.settings = settings
        guard Self.libraryReady, let handle = mysql_init(nil) else {
            throw MariaDBError(server: settings.server, code: 2008, sqlState: "HY000", message: "the MariaDB client library could not start (out of memory?)")
        }
        self.handle = handle
        var timeout = connectTimeout
        mysql_options(handle, MYSQL_OPT_CONNECT_TIMEOUT, &timeout)
        mysql_options(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        var off: my_bool = 0
        // A statement that names a file on the client must never be honoured: dumps are parsed, not run.
        mysql_options(handle, MYSQL_OPT_LOCAL_INFILE, &off)
        let connected = mysql_real_connect(handle, settings.socket == nil ? settings.host : nil, settings.user, settings.password,
                                           settings.database, UInt32(settings.port), settings.socket, UInt(CLIENT_MULTI_RESULTS))
        // On failure `deinit` closes the handle: every stored property is set, so it runs.
        guard connected != nil else { throw Self.error(of: handle, server: settings.server) }
    }

    deinit { mysql_close(handle) }

    static func error(of handle: UnsafeMutablePointer<MYSQL>, server: String, statement: String? = nil) -> MariaDBError {
        MariaDBError(server: server, code: mysql_errno(handle), sqlState: String(cString: mysql_sqlstate(handle)),
                     message: String(cString: mysql_error(handle)), statement: statement)
    }

    func error(_ statement: String? = nil) -> MariaDBError {
        Self.error(of: handle, server: settings.server, statement: statement)
    }

    /// Runs one statement and discards what it returns.
    func execute(_ sql: String) throws {
        let bytes = Array(sql.utf8)
        guard mysql_real_query(handle, bytes, UInt(bytes.count)) == 0 else { throw error(sql) }
        try drainResults(sql)
    }

    /// Runs one statement and returns its rows as text (`nil` for NULL): for small results only
    /// (catalog queries, counts); rows of a table are read with ``MariaDBStatement``.
    func query(_ sql: String) throws -> [[String?]] {
        let bytes = Array(sql.utf8)
        guard mysql_real_query(handle, bytes, UInt(bytes.count)) == 0 else { throw error(sql) }
        guard let result = mysql_store_result(handle) else {
            if mysql_field_count(handle) == 0 { return [] }
            throw error(sql)
        }
        defer { mysql_free_result(result); _ = try? drainResults(sql) }
        let columns = Int(mysql_num_fields(result))
        var rows: [[String?]] = []
        while let row = mysql_fetch_row(result) {
            let lengths = mysql_fetch_lengths(result)!
            rows.append((0..<columns).map { index in
                row[index].map { String(decoding: UnsafeRawBufferPointer(start: $0, count: Int(lengths[index])), as: UTF8.self) }
            })
        }
        return rows
    }

    /// The first column of the first row, or nil.
    func scalar(_ sql: String) throws -> String? {
        try query(sql).first?.first ?? nil
    }

    func prepare(_ sql: String) throws -> MariaDBStatement {
        try MariaDBStatement(connection: self, sql: sql)
    }

    /// Reads past any further result sets (procedures, multi-results), so the connection is ready.
    private func drainResults(_ sql: String) throws {
        while true {
            let status = mysql_next_result(handle)
            if status == -1 { return }
            if status > 0 { throw error(sql) }
            if let result = mysql_store_result(handle) { mysql_free_result(result) }
        }
    }

    /// A string literal for SQL the backend writes itself (identifiers in catalog queries, passwords in
    /// `CREATE USER`): escaped by the client library for this connection's character set.
    func literal(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var escaped = [CChar](repeating: 0, count: bytes.count * 2 + 1)
        let length = bytes.withUnsafeBufferPointer { source in
            source.withMemoryRebound(to: CChar.self) { mysql_real_escape_string(handle, &escaped, $0.baseAddress, UInt(bytes.count)) }
        }
        return "'" + String(decoding: escaped.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self) + "'"
    }
}

/// A name in backticks, backticks doubled: MariaDB's quoting (ANSI double quotes are off by default).
func mariaDBQuote(_ name: String) -> String {
    "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
}

extension MariaDBConnection {
    /// Runs a prepared statement with `values` bound; returns the rows it changed.
    @discardableResult
    func run(_ sql: String, _ values: [SQLValue] = []) throws -> Int64 {
        let statement = try prepare(sql)
        try statement.execute(values)
        return statement.affectedRows
    }

    /// The rows of a prepared query with `values` bound, as neutral values (for small results).
    func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        try prepare(sql).forEachRow(values) { row in rows.append((0..<row.count).map { row.value(at: $0) }) }
        return rows
    }

    /// The id the last INSERT gave an AUTO_INCREMENT column.
    var lastInsertID: Int64 { Int64(bitPattern: UInt64(mysql_insert_id(handle))) }
}
