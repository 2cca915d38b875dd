import Foundation
import TransfertFormats
import TransfertModel

/// The registry on SQLite: in `registry.sqlite`, or in memory for unit tests.
extension SQLRegistry {
    /// Opens (creating when `create` is true) the registry at `path` and brings its schema up to date.
    static func sqlite(path: String, create: Bool) throws -> SQLRegistry {
        try SQLRegistry(executor: try SQLiteExecutor(path: path, create: create), dialect: SQLiteDialect())
    }

    /// A fresh registry in memory (SQLite `:memory:` through GRDB), with every migration applied: the same
    /// SQL as on disk, nothing on disk.
    package static func inMemory() throws -> SQLRegistry {
        try SQLRegistry(executor: try SQLiteExecutor.inMemory(), dialect: SQLiteDialect())
    }
}
