import TransfertFormats
import TransfertModel

/// The statements of a ``PostgreSQLConnection`` as the registry runs them: its `?` placeholders numbered
/// for PostgreSQL, values bound in the binary protocol.
struct PostgreSQLStatements: SQLStatements {
    let connection: PostgreSQLConnection

    func execute(_ sql: String, _ values: [SQLValue]) throws -> Int64 {
        try connection.execute(PostgreSQLPlaceholders.numbered(sql), values)
    }

    func rows(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]] {
        try connection.query(PostgreSQLPlaceholders.numbered(sql), values)
    }

    /// The value the session's last `nextval` gave: the identity of the row the last INSERT added. Read only
    /// right after an INSERT into a table with an identity key, which is when the registry asks.
    var lastInsertID: Int64 {
        (try? connection.scalar("SELECT lastval()").integerValue) ?? 0
    }
}
