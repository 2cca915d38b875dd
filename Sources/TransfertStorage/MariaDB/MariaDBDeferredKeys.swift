import Foundation
import TransfertFormats
import TransfertModel

/// The keys and indexes a bulk load holds back until every row is in: for each table the load created,
/// its unique keys, foreign keys and indexes as `ALTER TABLE` clauses, in the order they were declared.
///
/// Why: with its secondary indexes declared, InnoDB inserts every loaded row into each of them too —
/// one random B-tree insert per row and index, the pages of a large table's indexes going in and out of
/// the buffer pool. Created without them, the table takes its rows in primary-key order (an append), and
/// one `ALTER TABLE … ADD …, ADD …` per table then builds all of its indexes at once, each by one scan
/// and a sort, as MariaDB's own restore tools do.
///
/// Nothing goes unproved: adding a unique key refuses duplicates (MariaDB's error 1062 names the key and the value), and
/// the foreign keys, added while `foreign_key_checks` is off, are proved by the anti-joins that follow
/// every restore (``MariaDBForeignKeyChecker``).
final class MariaDBDeferredKeys {
    private var tables: [(name: String, clauses: [String])] = []

    /// Tables created by this load (whose keys are held back), by name.
    func holds(_ table: String) -> Bool { tables.contains { $0.name == table } }

    /// A table the load created, with the clauses its CREATE TABLE left out.
    func created(_ table: String, clauses: [String]) { tables.append((table, clauses)) }

    /// A clause for `table`, added after the ones before it (an index after the table's own keys).
    func add(_ clause: String, to table: String) {
        guard let index = tables.firstIndex(where: { $0.name == table }) else { return }
        tables[index].clauses.append(clause)
    }

    /// One `ALTER TABLE` per table that has something to add, in the order the tables were created;
    /// taken once (what is taken is no longer held).
    func take() -> [(table: String, statement: String)] {
        defer { tables = [] }
        return tables.filter { !$0.clauses.isEmpty }.map {
            ($0.name, "ALTER TABLE \(MySQLQuoting.identifier($0.name)) " + $0.clauses.joined(separator: ", "))
        }
    }
}
