import GRDB
import TransfertFormats
import TransfertModel

/// The statements of a GRDB connection, with neutral values bound and read back.
struct SQLiteStatements: SQLStatements {
    let db: Database

    func execute(_ sql: String, _ values: [SQLValue]) throws -> Int64 {
        try db.execute(sql: sql, arguments: StatementArguments(values.map(\.databaseValue)))
        return Int64(db.changesCount)
    }

    func rows(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]] {
        try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values.map(\.databaseValue))).map { row in
            row.databaseValues.map(SQLValue.init)
        }
    }

    var lastInsertID: Int64 { db.lastInsertedRowID }
}
