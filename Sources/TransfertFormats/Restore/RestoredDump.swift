import Foundation
import TransfertModel

/// What a restore created.
public struct RestoredDump: Sendable, Equatable {
    /// Tables, in the dump's order.
    public var tables: [String] = []
    /// Rows inserted per table.
    public var rowCounts: [String: Int64] = [:]
    /// Digests of the rows as they were parsed, for the tables whose dump is in canonical form (see
    /// `StreamedDigests`); the other tables must be read back to be digested.
    public var streamedDigests: [String: TableDigest] = [:]
    /// Rows whose foreign key points at no parent, found once the rows were in (the checks are deferred
    /// during a restore).
    public var foreignKeys = ForeignKeyCheck()
    public var rows: Int64 { rowCounts.values.saturatingSum() }
}

extension RestoredDump {
    /// How the restored database `reader` differs from the manifest's `expected` tables, each difference naming
    /// its table (``DigestComparison``).
    ///
    /// Row counts are always counted in the database. Content digests come from the parse
    /// (``streamedDigests``) when they match the manifest — the values that were parsed are the source's
    /// values, each one was bound as a parameter, and on an engine whose conversions are predicted
    /// (``StoredValueRules``: SQLite) the parse refused any value it would have stored converted — and are read back from the database otherwise
    /// (a dump not in canonical form, or a real difference, which the read-back then names).
    /// A table whose expected digest is empty (none is known: a SACoche bundle without `--check-digests`)
    /// is not read back: ``DigestComparison`` compares its row count only, and that count is the
    /// database's own `COUNT(*)`, so a read-back would prove nothing more and cost a pass over every row.
    /// Tables in `leftOut` were restored without their rows (`--without`): neither side is compared.
    public func differences(
        from expected: [TableDigest], in reader: any EstablishmentReader, leftOut: Set<String> = [],
        actualLabel: String = "the restored database"
    ) throws -> [Problem] {
        let expected = expected.filter { !leftOut.contains($0.table) }
        let expectedByName = Dictionary(expected.map { ($0.table, $0) }, uniquingKeysWith: { first, _ in first })
        var actual: [TableDigest] = []
        for table in try reader.tableNames() where !leftOut.contains(table) {
            let counted = try reader.rowCount(of: table)
            if let wanted = expectedByName[table], wanted.sha256.isEmpty {
                actual.append(TableDigest(table: table, rows: counted, sha256: ""))
            } else if let streamed = streamedDigests[table], streamed.rows == counted,
                let wanted = expectedByName[table], wanted.sha256 == streamed.sha256
            {
                actual.append(streamed)
            } else {
                actual.append(try reader.tableDigest(table))
            }
        }
        return DigestComparison.differences(expected: expected, actual: actual, actualLabel: actualLabel)
    }
}
