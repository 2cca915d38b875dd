import TransfertFormats
import TransfertModel

/// The registry on PostgreSQL, in the database `settings.database` names.
extension SQLRegistry {
    /// Opens the registry in `settings.database` (creating its tables when `create`), and migrates it.
    static func postgreSQL(settings: PostgreSQLSettings, create: Bool) throws -> SQLRegistry {
        let executor = PostgreSQLExecutor(settings: settings)
        let dialect = PostgreSQLDialect()
        let exists = try executor.read { try $0.exists(dialect.tableExistsQuery, [.text("hosting_meta")]) }
        guard create || exists else {
            throw RegistryError.notInitialised(
                "the PostgreSQL database \(settings.database ?? "?") on \(settings.server)")
        }
        return try SQLRegistry(executor: executor, dialect: dialect)
    }
}
