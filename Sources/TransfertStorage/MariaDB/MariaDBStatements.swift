import CMariaDB
import TransfertFormats
import TransfertModel

/// The statements of a ``MariaDBConnection`` as the registry runs them: prepared, values bound in the
/// binary protocol; without values, in the text protocol (DDL that cannot be prepared).
struct MariaDBStatements: SQLStatements {
    let connection: MariaDBConnection

    func execute(_ sql: String, _ values: [SQLValue]) throws -> Int64 {
        guard values.isEmpty else { return try connection.run(sql, values) }
        try connection.execute(sql)
        return Int64(bitPattern: UInt64(mysql_affected_rows(connection.handle)))
    }

    func rows(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]] { try connection.rows(sql, values) }

    var lastInsertID: Int64 { connection.lastInsertID }
}
