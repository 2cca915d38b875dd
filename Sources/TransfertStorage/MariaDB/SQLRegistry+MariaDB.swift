import TransfertFormats
import TransfertModel

/// The registry on MariaDB, in the database `settings.database` names.
extension SQLRegistry {
    /// Opens the registry in `settings.database` (creating its tables when `create`), and migrates it.
    static func mariaDB(settings: MariaDBSettings, create: Bool) throws -> SQLRegistry {
        let executor = MariaDBExecutor(settings: settings)
        let dialect = MariaDBDialect()
        let exists = try executor.read { try $0.exists(dialect.tableExistsQuery, [.text("hosting_meta")]) }
        guard create || exists else {
            throw RegistryError.notInitialised("the MariaDB database \(settings.database ?? "?") on \(settings.server)")
        }
        return try SQLRegistry(executor: executor, dialect: dialect)
    }
}
