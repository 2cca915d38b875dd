import CMariaDB
import Foundation
import TransfertFormats
import TransfertModel

/// A prepared statement on a ``MariaDBConnection``: parameters bound from neutral values or raw rows in
/// the binary protocol (exact 64-bit integers and doubles, bytes as they are), and rows read back the same
/// way, one at a time.
final class MariaDBStatement {
    let connection: MariaDBConnection
    let sql: String
    let handle: UnsafeMutablePointer<MYSQL_STMT>
    let parameterCount: Int

    // Parameter storage, allocated once: bindings point into it.
    private let parameters: UnsafeMutablePointer<MYSQL_BIND>
    private let integers: UnsafeMutablePointer<Int64>
    private let reals: UnsafeMutablePointer<Double>
    private let lengths: UnsafeMutablePointer<UInt>
    /// Text and blob bytes of the values being bound, one after the other.
    private var bytes: [UInt8] = []
    private var offsets: [Int]

    init(connection: MariaDBConnection, sql: String) throws {
        self.connection = connection
        self.sql = sql
        guard let handle = mysql_stmt_init(connection.handle) else { throw connection.error(sql) }
        self.handle = handle
        let utf8 = Array(sql.utf8)
        guard mysql_stmt_prepare(handle, utf8, UInt(utf8.count)) == 0 else {
            let error = MariaDBStatement.error(of: handle, connection: connection, sql: sql)
            mysql_stmt_close(handle)  // before the other properties are set: `deinit` does not run
            throw error
        }
        parameterCount = Int(mysql_stmt_param_count(handle))
        let count = max(1, parameterCount)
        parameters = .allocate(capacity: count)
        parameters.initialize(repeating: MYSQL_BIND(), count: count)
        integers = .allocate(capacity: count)
        reals = .allocate(capacity: count)
        lengths = .allocate(capacity: count)
        offsets = Array(repeating: 0, count: count)
    }

    deinit {
        mysql_stmt_close(handle)
        parameters.deallocate()
        integers.deallocate()
        reals.deallocate()
        lengths.deallocate()
    }

    static func error(of handle: UnsafeMutablePointer<MYSQL_STMT>, connection: MariaDBConnection, sql: String)
        -> MariaDBError
    {
        MariaDBError(
            server: connection.settings.server, code: mysql_stmt_errno(handle),
            sqlState: String(cString: mysql_stmt_sqlstate(handle)), message: String(cString: mysql_stmt_error(handle)),
            statement: sql)
    }

    private func error() -> MariaDBError { Self.error(of: handle, connection: connection, sql: sql) }

    // MARK: Parameters

    /// Executes with `values` bound to the parameters, in order.
    func execute(_ values: [SQLValue]) throws {
        try execute(rows: [SQLValueRow(values: values)])
    }

    /// Executes with the values of `rows`, one after the other, bound to the parameters: a multi-row
    /// INSERT of `rows.count` rows.
    func execute<Rows: Collection>(rows: Rows) throws where Rows.Element: RawRow {
        try stage(rows)
        try withParameters {
            if mysql_stmt_execute(handle) != 0 { throw error() }
        }
        _ = mysql_stmt_free_result(handle)
    }

    /// Rows changed by the last execution.
    var affectedRows: Int64 { Int64(bitPattern: UInt64(mysql_stmt_affected_rows(handle))) }

    /// Copies the values of `rows` into the parameter storage (numbers in place, bytes one after the other).
    private func stage<Rows: Collection>(_ rows: Rows) throws where Rows.Element: RawRow {
        var parameter = 0
        bytes.removeAll(keepingCapacity: true)
        for row in rows {
            guard parameter + row.count <= parameterCount else { break }
            for index in 0..<row.count {
                var bind = MYSQL_BIND()
                switch row.kind(at: index) {
                case .null:
                    bind.buffer_type = MYSQL_TYPE_NULL
                case .integer:
                    integers[parameter] = row.integer(at: index)
                    bind.buffer_type = MYSQL_TYPE_LONGLONG
                    bind.buffer = UnsafeMutableRawPointer(integers + parameter)
                case .real:
                    reals[parameter] = row.real(at: index)
                    bind.buffer_type = MYSQL_TYPE_DOUBLE
                    bind.buffer = UnsafeMutableRawPointer(reals + parameter)
                case let kind:
                    offsets[parameter] = bytes.count
                    row.withBytes(at: index) { bytes.append(contentsOf: $0) }
                    lengths[parameter] = UInt(bytes.count - offsets[parameter])
                    bind.buffer_type = kind == .text ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB
                    bind.length = lengths + parameter
                }
                parameters[parameter] = bind
                parameter += 1
            }
        }
        let given = rows.reduce(0) { $0 + $1.count }
        guard given == parameterCount else {
            throw MariaDBError(
                server: connection.settings.server, code: 2031, sqlState: "HY000",
                message: "\(given) values for \(parameterCount) parameters", statement: sql)
        }
    }

    /// Points the text and blob parameters at their bytes and binds, for the duration of `body` (which
    /// executes): the bytes stay put while it runs.
    private func withParameters<R>(_ body: () throws -> R) throws -> R {
        try bytes.withUnsafeMutableBytes { buffer in
            for index in 0..<parameterCount where parameters[index].length != nil {
                // An empty value still needs a pointer, or the client sends NULL.
                parameters[index].buffer =
                    buffer.baseAddress.map { $0 + offsets[index] } ?? UnsafeMutableRawPointer(integers)
                parameters[index].buffer_length = lengths[index]
            }
            if parameterCount > 0, mysql_stmt_bind_param(handle, parameters) != 0 { throw error() }
            return try body()
        }
    }

    // MARK: Results

    /// Executes (with `values` bound) and calls `body` for each row as it arrives from the server. The
    /// row is valid during the call only; nothing else may run on the connection meanwhile.
    func forEachRow(_ values: [SQLValue] = [], _ body: (MariaDBRow) throws -> Void) throws {
        try stage([SQLValueRow(values: values)].filter { !$0.values.isEmpty })
        guard let metadata = mysql_stmt_result_metadata(handle) else { throw error() }
        defer { mysql_free_result(metadata) }
        let row = MariaDBRow(fields: mysql_fetch_fields(metadata)!, count: Int(mysql_num_fields(metadata)))
        defer { row.deallocate() }
        try withParameters {
            guard mysql_stmt_execute(handle) == 0 else { throw error() }
        }
        defer { _ = mysql_stmt_free_result(handle) }
        guard mysql_stmt_bind_result(handle, row.binds) == 0 else { throw error() }
        while true {
            let status = mysql_stmt_fetch(handle)
            if status == MYSQL_NO_DATA { return }
            if status == 1 { throw error() }
            if status == MYSQL_DATA_TRUNCATED {
                // A text or blob longer than its buffer: grow the buffer and read the value whole.
                for column in 0..<row.count where row.errors[column] != 0 {
                    row.grow(column, to: Int(row.lengths[column]))
                    guard mysql_stmt_fetch_column(handle, row.binds + column, UInt32(column), 0) == 0 else {
                        throw error()
                    }
                }
                guard mysql_stmt_bind_result(handle, row.binds) == 0 else { throw error() }
            }
            try body(row)
        }
    }
}
