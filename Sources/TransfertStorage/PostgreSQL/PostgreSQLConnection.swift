import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import TransfertFormats
import TransfertModel

/// One connection to a PostgreSQL server, used synchronously by one caller at a time (the seam is
/// synchronous: see ``HostingBackend``), over PostgresNIO on the process's shared event loops.
///
/// Statements take `$1…` parameters bound in the binary protocol (``PostgreSQLValues``); values are never
/// spliced into the text. The caller's thread waits for each answer; an event-loop thread never waits, so a
/// caller may use several connections at once (read from one, write to another).
package final class PostgreSQLConnection: @unchecked Sendable {
    package let settings: PostgreSQLSettings
    private let connection: PostgresConnection
    private let closeLock = NSLock()
    private var closed = false

    /// PostgresNIO logs nothing of ours: errors come back as ``PostgreSQLError``s, which the command reports.
    static let logger = Logger(label: "transfert.postgresql", factory: { _ in SwiftLogNoOpLogHandler() })
    private static let identifiers = NSLock()
    nonisolated(unsafe) private static var lastIdentifier = 0

    /// Connects and authenticates (SCRAM or MD5 as the server asks); throws a ``PostgreSQLError`` that says
    /// whether the server was unreachable, the password refused or the database missing.
    package init(_ settings: PostgreSQLSettings) throws {
        self.settings = settings
        var configuration: PostgresConnection.Configuration
        if let socket = settings.socketPath {
            configuration = .init(
                unixSocketPath: socket, username: settings.user, password: settings.password,
                database: settings.database)
        } else {
            configuration = .init(
                host: settings.host, port: settings.port, username: settings.user, password: settings.password,
                database: settings.database, tls: .disable)
        }
        configuration.options.connectTimeout = .seconds(10)
        let identifier = Self.identifiers.withLock {
            Self.lastIdentifier += 1
            return Self.lastIdentifier
        }
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: identifier,
                logger: Self.logger
            ).wait()
        } catch {
            throw PostgreSQLError(error, server: settings.server, statement: nil, connecting: true)
        }
    }

    deinit { close() }

    /// Runs one statement; returns the rows it changed (inserted, updated, deleted; 0 for DDL).
    @discardableResult
    package func execute(_ sql: String, _ values: [SQLValue] = []) throws -> Int64 {
        let result = try run(sql, values)
        return Int64(result.metadata.rows ?? 0)
    }

    /// The rows of a query, all read before it returns: for small results (see ``forEachRow(_:_:_:)``).
    package func query(_ sql: String, _ values: [SQLValue] = []) throws -> [[SQLValue]] {
        let result = try run(sql, values)
        return try result.rows.map { row in
            try row.map { try PostgreSQLValues.value(of: $0, server: settings.server) }
        }
    }

    /// The first column of the first row, or `.null` when there is none.
    package func scalar(_ sql: String, _ values: [SQLValue] = []) throws -> SQLValue {
        try query(sql, values).first?.first ?? .null
    }

    private func run(_ sql: String, _ values: [SQLValue]) throws -> PostgresQueryResult {
        let query = PostgresQuery(
            unsafeSQL: sql, binds: try PostgreSQLValues.bindings(values, server: settings.server, statement: sql))
        try requireOpen(sql)
        do {
            return try connection.query(query, logger: Self.logger).wait()
        } catch {
            throw PostgreSQLError(error, server: settings.server, statement: sql)
        }
    }

    /// How many rows may wait in the handoff to `body`. PostgresNIO's own buffer comes on top: it runs up to
    /// 16,384 rows ahead (not settable), so a large table is read through ``PostgreSQLCursor``, whose fetches
    /// bound the rows of each answer.
    static let streamedRows = 512
    /// Rows handed over together: one wake-up of the other side per batch, not per row (a thread switch
    /// per row cost more than decoding it).
    static let rowsPerBatch = 64

    /// Streams rows with backpressure (for a large table, through ``PostgreSQLCursor``: see ``streamedRows``);
    /// the row is valid during the call only. When `body` throws, the rest of the result is discarded and its error rethrown; the
    /// connection stays usable.
    package func forEachRow(_ sql: String, _ values: [SQLValue], _ body: (PostgreSQLRow) throws -> Void) throws {
        let query = PostgresQuery(
            unsafeSQL: sql, binds: try PostgreSQLValues.bindings(values, server: settings.server, statement: sql))
        try requireOpen(sql)
        let batchSize = Self.rowsPerBatch
        let handoff = PostgreSQLHandoff<[PostgresRow]>(capacity: Self.streamedRows / batchSize)
        let connection = self.connection
        let reader = PostgreSQLBlockingTask<Void>(on: connection.eventLoop) {
            do {
                let rows = try await connection.query(query, logger: Self.logger)
                var batch: [PostgresRow] = []
                batch.reserveCapacity(batchSize)
                for try await row in rows {
                    batch.append(row)
                    if batch.count == batchSize {
                        try await handoff.put(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try await handoff.put(batch) }
                handoff.finish()
            } catch {
                handoff.fail(error)
                throw error
            }
        }
        do {
            var decoded = PostgreSQLRow()
            while let batch = try handoff.take() {
                for row in batch {
                    try decoded.decode(row, server: settings.server)
                    try body(decoded)
                }
            }
            try reader.wait()
        } catch {
            // The reader stops at its next row (the handoff has failed) and the rest of the result is
            // dropped; it is waited for, so that the connection is idle again when this returns.
            handoff.fail(StreamAbandoned())
            _ = try? reader.wait()
            if error is PostgreSQLError || !(error is PSQLError) { throw error }
            throw PostgreSQLError(error, server: settings.server, statement: sql)
        }
    }

    /// The reason the reader of an abandoned stream is given.
    private struct StreamAbandoned: Error {}

    /// Runs trusted text of several statements (a profile's migrations), one statement after the other, in
    /// the order written. Not atomic by itself: run it inside `BEGIN` … `COMMIT` when it must be.
    package func simpleQuery(_ sql: String) throws {
        for statement in try PostgreSQLScript.statements(in: sql, server: settings.server) {
            try execute(statement)
        }
    }

    /// Starts `COPY table (columns) FROM STDIN` (text format); the bytes are handed over in chunks with
    /// bounded buffering (see ``PostgreSQLCopyIn``). `table` and `columns` are names, quoted here.
    package func copyIn(table: String, columns: [String]) throws -> PostgreSQLCopyIn {
        try requireOpen("COPY \(table) FROM STDIN")
        return try PostgreSQLCopyIn(connection: connection, table: table, columns: columns, server: settings.server)
    }

    /// Refuses a statement on a connection the server already closed (it was terminated, or the server
    /// restarted): PostgresNIO drops a query written to a closed channel without ever answering it, which
    /// would leave the caller waiting forever. A connection lost while a statement runs fails that statement.
    private func requireOpen(_ statement: String) throws {
        guard connection.isClosed else { return }
        throw PostgreSQLError(
            server: settings.server, sqlState: PostgreSQLError.State.connectionLost,
            message: "the server closed the connection", statement: statement)
    }

    /// Closes the connection (also done when it is released).
    package func close() {
        let wasOpen = closeLock.withLock {
            defer { closed = true }
            return !closed
        }
        if wasOpen { try? connection.close().wait() }
    }
}
