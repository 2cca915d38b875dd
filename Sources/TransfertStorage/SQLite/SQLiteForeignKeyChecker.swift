import Foundation
import GRDB
import TransfertFormats
import TransfertModel

/// Runs SQLite's `foreign_key_check` once over the whole database and describes each violation with the
/// row's id, its key values and the parent it misses.
struct SQLiteForeignKeyChecker {
    let db: Database

    func check(limit: Int) throws -> ForeignKeyCheck {
        var result = ForeignKeyCheck()
        var keyLists: [String: [Row]] = [:]
        // `PRAGMA foreign_key_check` as a cursor: a database full of orphans is counted, not held in memory.
        let cursor = try Row.fetchCursor(db, sql: "PRAGMA foreign_key_check")
        while let violation = try cursor.next() {
            result.total += 1
            guard result.violations.count < limit else { continue }
            let table: String = violation[0]
            let rowID: Int64? = violation[1]
            let parent: String = violation[2]
            let keyID: Int64 = violation[3]
            if keyLists[table] == nil {
                keyLists[table] = try Row.fetchAll(
                    db, sql: "SELECT id, seq, \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq",
                    arguments: [table])
            }
            let key = keyLists[table]!.filter { ($0["id"] as Int64) == keyID }
            let columns: [String] = key.map { $0["from"] }
            let parentColumns: [String] = key.compactMap { $0["to"] }
            var values: [String] = []
            if let rowID, !columns.isEmpty {
                let sql =
                    "SELECT \(columns.map(quoteIdentifier).joined(separator: ", ")) FROM \(quoteIdentifier(table)) WHERE rowid = ?"
                if let row = try Row.fetchOne(db, sql: sql, arguments: [rowID]) {
                    values = (0..<row.count).map { SQLValue(row[$0] as DatabaseValue).sqlLiteral }
                }
            }
            result.violations.append(
                ForeignKeyViolation(
                    table: table, rowID: rowID, columns: columns, values: values,
                    parentTable: parent, parentColumns: parentColumns))
        }
        return result
    }
}
