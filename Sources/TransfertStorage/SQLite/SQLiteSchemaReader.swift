import Foundation
import GRDB
import TransfertFormats
import TransfertModel

/// Reads an SQLite database's schema from `sqlite_master`: SQLite keeps each object's DDL as it was
/// written (rewritten by `ALTER TABLE`), which ``SchemaStatementParser`` turns into neutral values.
/// Automatic indexes (of PRIMARY KEY and UNIQUE constraints) have no DDL and come back with their
/// constraints. Anything the parser refuses makes the whole read fail with the object's name.
struct SQLiteSchemaReader {
    let db: Database

    func schema() throws -> DatabaseSchema {
        let objects = try Row.fetchAll(
            db,
            sql: """
                SELECT type, name, tbl_name, sql FROM sqlite_master
                WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, name
                """)
        var schema = DatabaseSchema()
        for object in objects {
            let type: String = object["type"]
            let name: String = object["name"]
            let sql: String = object["sql"]
            do {
                let statement = try SchemaStatementParser.parse(Array(sql.utf8))
                try SchemaStatementParser.add(statement, to: &schema, at: 0)
            } catch {
                throw SchemaReadError(object: "\(type) \(name)", message: error.message)
            }
        }
        return schema
    }
}
