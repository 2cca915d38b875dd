import CMariaDB
import Foundation
import TransfertFormats
import TransfertModel

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

    /// Rows a `LOAD DATA LOCAL INFILE` reads, when the connection was opened for bulk loads.
    private let localSource: LocalInfileSource?

    /// `bulkLoad`: the connection may run ``loadData(into:columns:rows:)``. Its local-infile handler only
    /// ever serves the bytes Transfert hands it — never a file, whatever a statement names.
    init(_ settings: MariaDBSettings, connectTimeout: UInt32 = 10, bulkLoad: Bool = false) throws {
        self.settings = settings
        localSource = bulkLoad ? LocalInfileSource() : nil
        guard Self.libraryReady, let handle = mysql_init(nil) else {
            throw MariaDBError(
                server: settings.server, code: 2008, sqlState: "HY000",
                message: "the MariaDB client library could not start (out of memory?)")
        }
        self.handle = handle
        var timeout = connectTimeout
        mysql_options(handle, MYSQL_OPT_CONNECT_TIMEOUT, &timeout)
        mysql_options(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        // LOCAL INFILE is off unless the connection bulk-loads, and then our handler answers it (below).
        var localInfile: my_bool = bulkLoad ? 1 : 0
        mysql_options(handle, MYSQL_OPT_LOCAL_INFILE, &localInfile)
        let connected = mysql_real_connect(
            handle, settings.socket == nil ? settings.host : nil, settings.user, settings.password,
            settings.database, UInt32(settings.port), settings.socket, UInt(CLIENT_MULTI_RESULTS))
        // On failure `deinit` closes the handle: every stored property is set, so it runs.
        guard connected != nil else { throw Self.error(of: handle, server: settings.server) }
        if let localSource {
            mysql_set_local_infile_handler(
                handle, localInfileInit, localInfileRead, localInfileEnd, localInfileError,
                Unmanaged.passUnretained(localSource).toOpaque())
        }
    }

    deinit { mysql_close(handle) }

    static func error(of handle: UnsafeMutablePointer<MYSQL>, server: String, statement: String? = nil) -> MariaDBError
    {
        MariaDBError(
            server: server, code: mysql_errno(handle), sqlState: String(cString: mysql_sqlstate(handle)),
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
        defer {
            mysql_free_result(result)
            _ = try? drainResults(sql)
        }
        let columns = Int(mysql_num_fields(result))
        var rows: [[String?]] = []
        while let row = mysql_fetch_row(result) {
            let lengths = mysql_fetch_lengths(result)!
            rows.append(
                (0..<columns).map { index in
                    row[index].map {
                        String(decoding: UnsafeRawBufferPointer(start: $0, count: Int(lengths[index])), as: UTF8.self)
                    }
                })
        }
        return rows
    }

    /// The first column of the first row, or nil.
    func scalar(_ sql: String) throws -> String? {
        try query(sql).first?.first ?? nil
    }

    var canBulkLoad: Bool { localSource != nil }

    /// Loads `bytes` — rows in the tab-separated form of ``LoadDataEncoder`` — into `table` with
    /// `LOAD DATA LOCAL INFILE`: one statement, parsed once, for thousands of rows. Any warning (a value the
    /// server would have truncated or converted) is an error: nothing is stored other than it was given.
    func loadData(into table: String, columns: [String], bytes: [UInt8]) throws {
        var served = false
        try loadData(into: table, columns: columns) {
            defer { served = true }
            return served ? .end : .bytes(bytes)
        }
    }

    /// The same, the rows read from `next` as the server asks for them, until it says ``LocalInfileChunk/end``
    /// (``MariaDBStreamedLoad``: one statement for all of a table's rows, however many batches they come in).
    /// ``LocalInfileChunk/abort`` makes the statement fail.
    func loadData(into table: String, columns: [String], next: @escaping () -> LocalInfileChunk) throws {
        guard let localSource else {
            throw MariaDBError(
                server: settings.server, code: 2068, sqlState: "HY000", message: "this connection does not bulk-load")
        }
        localSource.start(next)
        defer { localSource.start(nil) }
        try execute(
            """
            LOAD DATA LOCAL INFILE 'transfert-rows' INTO TABLE \(MySQLQuoting.identifier(table)) CHARACTER SET binary
            FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (\(columns.map(MySQLQuoting.identifier).joined(separator: ", ")))
            """)
        if mysql_warning_count(handle) > 0 {
            let warnings = try query("SHOW WARNINGS LIMIT 3").map { $0.compactMap { $0 }.joined(separator: " ") }
                .joined(separator: "; ")
            throw MariaDBError(
                server: settings.server, code: 1265, sqlState: "01000",
                message: "loading \(table) would have changed values: \(warnings)")
        }
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
            source.withMemoryRebound(to: CChar.self) {
                mysql_real_escape_string(handle, &escaped, $0.baseAddress, UInt(bytes.count))
            }
        }
        return "'" + String(decoding: escaped.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self) + "'"
    }
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

/// What a bulk load's source gives the client library next.
enum LocalInfileChunk {
    /// More rows (possibly none).
    case bytes([UInt8])
    /// The last row was given.
    case end
    /// The load is given up: the statement fails, nothing of it stays.
    case abort
}

/// The bytes a bulk load serves to the client library's local-infile callbacks: chunks asked for one
/// after the other, each served until its last byte.
final class LocalInfileSource {
    private var next: (() -> LocalInfileChunk)?
    private var bytes: [UInt8] = []
    private var offset = 0

    func start(_ next: (() -> LocalInfileChunk)?) {
        self.next = next
        bytes = []
        offset = 0
    }

    /// Copies up to `length` bytes to `buffer`: how many, 0 at the end, -1 when the load is given up.
    func read(into buffer: UnsafeMutableRawPointer, length: Int) -> Int32 {
        while offset == bytes.count {
            switch next?() ?? .end {
            case .bytes(let chunk):
                bytes = chunk
                offset = 0
            case .end: return 0
            case .abort: return -1
            }
        }
        let count = min(length, bytes.count - offset)
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return Int32(count)
    }
}

// The client library calls these for `LOAD DATA LOCAL INFILE`; `userdata` is the connection's
// ``LocalInfileSource``. The file name the statement gives is ignored: only those bytes are served.
private func localInfileInit(
    _ state: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ name: UnsafePointer<CChar>?,
    _ userdata: UnsafeMutableRawPointer?
) -> Int32 {
    state?.pointee = userdata
    return userdata == nil ? 1 : 0
}

private func localInfileRead(
    _ state: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ length: UInt32
) -> Int32 {
    guard let state, let buffer else { return -1 }
    let source = Unmanaged<LocalInfileSource>.fromOpaque(state).takeUnretainedValue()
    return source.read(into: UnsafeMutableRawPointer(buffer), length: Int(length))
}

private func localInfileEnd(_ state: UnsafeMutableRawPointer?) {}

private func localInfileError(
    _ state: UnsafeMutableRawPointer?, _ message: UnsafeMutablePointer<CChar>?, _ length: UInt32
) -> Int32 {
    // Only a given-up load returns -1 (``LocalInfileChunk/abort``): its error is never the one reported.
    if let message, length > 0 {
        let text = Array("the load was given up".utf8.prefix(Int(length) - 1)).map { CChar(bitPattern: $0) } + [0]
        message.update(from: text, count: text.count)
    }
    return 2027
}
