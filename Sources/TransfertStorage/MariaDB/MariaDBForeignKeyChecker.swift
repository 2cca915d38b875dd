import Foundation
import TransfertFormats
import TransfertModel

/// Finds rows whose foreign key points at no parent row. MariaDB has no `foreign_key_check`: each
/// foreign key is one anti-join, which InnoDB answers from the parent's key.
struct MariaDBForeignKeyChecker {
    let connection: MariaDBConnection
    let database: String

    func check(limit: Int) throws -> ForeignKeyCheck {
        var result = ForeignKeyCheck()
        let schema = try MariaDBSchemaReader(connection: connection, database: database).schema()
        for table in schema.tables {
            let key = table.primaryKey.count == 1 ? table.primaryKey[0] : nil
            for (columns, reference) in table.foreignKeys where !reference.columns.isEmpty {
                let join = zip(columns, reference.columns).map {
                    "c.\(MySQLQuoting.identifier($0)) = p.\(MySQLQuoting.identifier($1))"
                }
                .joined(separator: " AND ")
                let orphan =
                    "p.\(MySQLQuoting.identifier(reference.columns[0])) IS NULL AND "
                    + columns.map { "c.\(MySQLQuoting.identifier($0)) IS NOT NULL" }.joined(separator: " AND ")
                let from =
                    "FROM \(MySQLQuoting.identifier(table.name)) c LEFT JOIN \(MySQLQuoting.identifier(reference.table)) p ON \(join) WHERE \(orphan)"
                let count = Int(try connection.scalar("SELECT COUNT(*) \(from)") ?? "0") ?? 0
                guard count > 0 else { continue }
                result.total += count
                let room = max(0, limit - result.violations.count)
                guard room > 0 else { continue }
                let selected = ([key].compactMap { $0 } + columns).map { "c.\(MySQLQuoting.identifier($0))" }.joined(
                    separator: ", ")
                var examples: [ForeignKeyViolation] = []
                try connection.prepare("SELECT \(selected) \(from) LIMIT \(room)").forEachRow { row in
                    let offset = key == nil ? 0 : 1
                    let rowID: Int64? = key == nil ? nil : (row.kind(at: 0) == .integer ? row.integer(at: 0) : nil)
                    examples.append(
                        ForeignKeyViolation(
                            table: table.name, rowID: rowID, columns: columns,
                            values: (offset..<row.count).map { row.value(at: $0).sqlLiteral },
                            parentTable: reference.table, parentColumns: reference.columns))
                }
                result.violations += examples
            }
        }
        return result
    }
}
