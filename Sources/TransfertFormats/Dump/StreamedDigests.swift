import Foundation
import TransfertModel

/// Content digests computed from the parsed rows, on the parsing thread, in the canonical encoding of
/// ``ContentDigest``.
///
/// They equal the digests of the restored tables when every INSERT of a table names all its columns in
/// table order and the rows come in primary-key order — which is how the exporter writes dumps. A table
/// filled any other way has no streamed digest (``digest(of:)`` is `nil`) and must be read back.
struct StreamedDigests {
    private var digests: [String: ContentDigest] = [:]
    private var columns: [String: [String]] = [:]
    private var unusable: Set<String> = []
    /// The digest rows go to, taken out of `digests` while its table is being filled so that it is
    /// updated in place (no dictionary lookup, no copy, per row).
    private var current: (table: String, digest: ContentDigest)?

    mutating func start(_ table: TableSchema) {
        let names = table.columns.map(\.name)
        columns[table.name] = names
        digests[table.name] = ContentDigest(columns: names)
    }

    mutating func insert(into table: TableSchema, columns names: [String]) {
        park()
        if columns[table.name] != names { unusable.insert(table.name) }
        if !unusable.contains(table.name), let digest = digests.removeValue(forKey: table.name) {
            current = (table.name, digest)
        }
    }

    mutating func add(_ row: some RawRow) {
        current?.digest.add(row: row)
    }

    /// The finished digests of the tables that can be trusted, by table name.
    mutating func finished() -> [String: TableDigest] {
        park()
        var result: [String: TableDigest] = [:]
        for (table, digest) in digests where !unusable.contains(table) {
            var digest = digest
            result[table] = TableDigest(table: table, rows: digest.rowCount, sha256: digest.finalize())
        }
        return result
    }

    private mutating func park() {
        if let (table, digest) = current { digests[table] = digest }
        current = nil
    }
}
