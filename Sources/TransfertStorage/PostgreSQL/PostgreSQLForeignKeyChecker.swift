import Foundation
import TransfertFormats
import TransfertModel

/// Finds the rows whose foreign keys point at no parent row, with one anti-join per foreign key: how a
/// restore proves the keys it added `NOT VALID` (``PostgreSQLDeferredConstraint``), naming each orphan.
struct PostgreSQLForeignKeyChecker {
    let connection: PostgreSQLConnection

    func check(limit: Int) throws -> ForeignKeyCheck {
        var result = ForeignKeyCheck()
        let schema = try PostgreSQLSchemaReader(connection: connection).schema()
        for table in schema.tables {
            let key = table.primaryKey.count == 1 ? table.primaryKey[0] : nil
            for (columns, reference) in table.foreignKeys {
                // A key that names no parent column points at the parent's primary key.
                let parentColumns =
                    reference.columns.isEmpty
                    ? schema.table(named: reference.table)?.primaryKey ?? [] : reference.columns
                guard parentColumns.count == columns.count, !columns.isEmpty else { continue }
                let join = zip(columns, parentColumns).map {
                    "c.\(PostgreSQLQuoting.identifier($0)) = p.\(PostgreSQLQuoting.identifier($1))"
                }
                .joined(separator: " AND ")
                let orphan =
                    "p.\(PostgreSQLQuoting.identifier(parentColumns[0])) IS NULL AND "
                    + columns.map { "c.\(PostgreSQLQuoting.identifier($0)) IS NOT NULL" }.joined(separator: " AND ")
                let from =
                    "FROM \(PostgreSQLQuoting.identifier(table.name)) c LEFT JOIN \(PostgreSQLQuoting.identifier(reference.table)) p ON \(join) WHERE \(orphan)"
                let count = try connection.scalar("SELECT COUNT(*) \(from)").integerValue ?? 0
                guard count > 0 else { continue }
                let (total, overflow) = result.total.addingReportingOverflow(Int(clamping: count))
                result.total = overflow ? Int.max : total
                let room = max(0, limit - result.violations.count)
                guard room > 0 else { continue }
                let selected = ([key].compactMap { $0 } + columns).map { "c.\(PostgreSQLQuoting.identifier($0))" }
                    .joined(separator: ", ")
                for row in try connection.query("SELECT \(selected) \(from) LIMIT \(room)") {
                    let offset = key == nil ? 0 : 1
                    result.violations.append(
                        ForeignKeyViolation(
                            table: table.name, rowID: key == nil ? nil : row[0].integerValue, columns: columns,
                            values: row[offset...].map(\.sqlLiteral), parentTable: reference.table,
                            parentColumns: reference.columns))
                }
            }
        }
        return result
    }
}
