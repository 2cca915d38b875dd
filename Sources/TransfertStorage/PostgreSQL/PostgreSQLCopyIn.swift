import Foundation
import NIOCore
import PostgresNIO
import TransfertFormats
import TransfertModel

/// A `COPY table (columns) FROM STDIN` under way (text format: tab-separated, `\N` for NULL, backslash
/// escapes; ``PostgreSQLCopyText`` writes it). The caller's thread hands bytes over with ``send(_:)``; a
/// task of the client writes them to the server. At most a few chunks wait between the two, so a load of any
/// size holds a bounded amount of memory, and a server that reads slowly slows the caller down.
///
/// End with ``finish()`` (the server checks and keeps the rows) or ``abandon()`` (nothing is kept); the
/// connection serves nothing else meanwhile.
package final class PostgreSQLCopyIn {
    /// Bytes gathered before a chunk is handed over: large enough that the handoff costs nothing per row.
    static let chunkSize = 256 * 1024
    /// Chunks that may wait for the server.
    static let queuedChunks = 4

    private let handoff = PostgreSQLHandoff<ByteBuffer>(capacity: PostgreSQLCopyIn.queuedChunks)
    private let writer: PostgreSQLBlockingTask<Void>
    private let server: String
    private let statement: String
    private var pending = ByteBuffer()
    private var rows: Int64 = 0
    private var ended = false

    init(connection: PostgresConnection, table: String, columns: [String], server: String) throws {
        self.server = server
        statement = "COPY \(table) FROM STDIN"
        // PostgresNIO writes the names between double quotes as they are: a quote or a NUL in a name would
        // end the identifier early. Transfert's names never hold one; a name that does is refused here.
        for name in [table] + columns where name.contains("\"") || name.utf8.contains(0) || name.isEmpty {
            throw PostgreSQLError(
                server: server, sqlState: "42602",
                message: "COPY refused: the name \(name.debugDescription) is empty or holds a double quote or NUL")
        }
        let handoff = self.handoff
        let started = DispatchSemaphore(value: 0)
        writer = PostgreSQLBlockingTask<Void>(on: connection.eventLoop) {
            defer { started.signal() }
            do {
                try await connection.copyFrom(
                    table: table, columns: columns, format: .text(.init()), logger: PostgreSQLConnection.logger
                ) { writer in
                    started.signal()
                    while let chunk = try await handoff.take() { try await writer.write(chunk) }
                }
            } catch {
                handoff.fail(error)
                throw error
            }
        }
        // The COPY is started (or refused: unknown table or column, missing privilege) before this returns.
        started.wait()
        if let failure = handoff.failure { throw converted(failure) }
        pending.reserveCapacity(Self.chunkSize)
    }

    /// Hands `bytes` over (whole rows or any piece of them); blocks while the server is behind. Throws the
    /// server's error as soon as it is known (a row it refused, the connection lost).
    package func send(_ bytes: some Collection<UInt8>) throws {
        precondition(!ended, "send after finish or abandon")
        rows += Int64(bytes.reduce(into: 0) { count, byte in if byte == 0x0A { count += 1 } })
        pending.writeBytes(bytes)
        if pending.readableBytes >= Self.chunkSize { try flush() }
    }

    private func flush() throws {
        guard pending.readableBytes > 0 else { return }
        let chunk = pending
        pending = ByteBuffer()
        pending.reserveCapacity(Self.chunkSize)
        do { try handoff.put(chunk) } catch { throw converted(error) }
    }

    /// Ends the data; the server checks it and keeps the rows. Returns how many rows were sent (each row of
    /// the text format ends with a newline, which no value holds unescaped).
    @discardableResult
    package func finish() throws -> Int64 {
        precondition(!ended, "finish twice")
        do {
            try flush()
            ended = true
            handoff.finish()
            try writer.wait()
        } catch {
            ended = true
            handoff.fail(Abandoned())
            _ = try? writer.wait()
            throw converted(error)
        }
        return rows
    }

    /// Gives up: the server is told to fail the COPY and keeps none of its rows; the connection stays usable
    /// (inside a transaction, the transaction is failed and must be rolled back).
    package func abandon() {
        guard !ended else { return }
        ended = true
        handoff.fail(Abandoned())
        _ = try? writer.wait()
    }

    private struct Abandoned: Error {}

    private func converted(_ error: any Error) -> any Error {
        error is PostgreSQLError ? error : PostgreSQLError(error, server: server, statement: statement)
    }
}
