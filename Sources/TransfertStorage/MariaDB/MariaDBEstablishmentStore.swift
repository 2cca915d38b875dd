import Foundation
import TransfertFormats
import TransfertModel

/// Establishment databases on a MariaDB server: `<prefix>base_<id>`, each with its own account
/// `<prefix>user_<id>` allowed on that database only, whose settings are written owner-only in the
/// hosting (`credentials/base_<id>.yaml`), where the hosted application reads them.
///
/// Transfert itself works with the operator's account (it creates and drops databases and accounts).
package struct MariaDBEstablishmentStore: EstablishmentStore {
    /// The operator's account on the server (no database selected).
    package let settings: MariaDBSettings
    /// Databases are `<prefix>base_<id>`, accounts `<prefix>user_<id>`.
    package let prefix: String
    /// Where each establishment's connection settings are written; nil for scratch databases (no account).
    package let credentialsDirectory: URL?

    package init(settings: MariaDBSettings, prefix: String, credentialsDirectory: URL?) {
        self.settings = settings
        self.prefix = prefix
        self.credentialsDirectory = credentialsDirectory
    }

    /// Every value of a neutral table is checked against its column's type while parsing, so the
    /// parsed digests stand for what the load stored; MySQL tables are read back (``StoredValueRules``).
    package var storedValueRules: StoredValueRules? { .mariadbColumnTypes }

    /// A restore's session: ANSI_QUOTES for the archive's views; NO_AUTO_VALUE_ON_ZERO, or a row whose
    /// AUTO_INCREMENT key is 0 (a valid SQLite rowid) would quietly get the next number instead;
    /// STRICT_ALL_TABLES, so that whatever the server's own mode, a value it would cut or convert is an
    /// error (a warning under `LOAD DATA LOCAL`, which the load turns into one) on every engine, MyISAM
    /// included.
    static let loadSQLMode =
        "SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES,NO_AUTO_VALUE_ON_ZERO,STRICT_ALL_TABLES')"

    package func databaseName(baseID: Int64) -> String { "\(prefix)base_\(baseID)" }
    package func userName(baseID: Int64) -> String { "\(prefix)user_\(baseID)" }

    func connect(baseID: Int64? = nil) throws -> MariaDBConnection {
        try MariaDBConnection(settings.with(database: baseID.map(databaseName)))
    }

    package func create(baseID: Int64, schema: DatabaseSchema) throws {
        let admin = try connect()
        let database = databaseName(baseID: baseID)
        // Checked before anything is created: a failure below removes only what this call made.
        if try databaseExists(baseID: baseID, admin: admin) {
            throw EstablishmentStoreError.alreadyExists(
                baseID: baseID, path: "database \(database) on \(settings.server)")
        }
        if credentialsDirectory != nil, try accountExists(baseID: baseID, admin: admin) {
            throw EstablishmentStoreError.alreadyExists(
                baseID: baseID, path: "account \(userName(baseID: baseID)) on \(settings.server)")
        }
        do {
            try admin.execute(
                "CREATE DATABASE \(MySQLQuoting.identifier(database)) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
            if let credentialsDirectory {
                try createAccount(baseID: baseID, admin: admin, credentialsDirectory: credentialsDirectory)
            }
            let connection = try connect(baseID: baseID)
            try connection.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')")
            let writer = MariaDBEstablishmentWriter(connection: connection, database: database)
            try writer.create(schema)
            try writer.flush()
        } catch {
            try? remove(baseID: baseID)
            throw error
        }
    }

    /// The establishment's own account, granted on its database only, and its settings file.
    private func createAccount(baseID: Int64, admin: MariaDBConnection, credentialsDirectory: URL) throws {
        let password = EstablishmentAccount.generatePassword()
        let user = userName(baseID: baseID)
        try admin.execute("CREATE USER \(admin.literal(user))@'%' IDENTIFIED BY \(admin.literal(password))")
        try admin.execute(
            "GRANT ALL PRIVILEGES ON \(MySQLQuoting.identifier(databaseName(baseID: baseID))).* TO \(admin.literal(user))@'%'"
        )
        try EstablishmentAccount(
            host: settings.host, port: settings.port, socket: settings.socket,
            database: databaseName(baseID: baseID), user: user, password: password
        ).write(baseID: baseID, in: credentialsDirectory)
    }

    /// Whether the database — or, for a hosting's store, the account — of `baseID` is on the server: either
    /// makes the id taken (someone's work is there).
    package func exists(baseID: Int64) -> Bool {
        guard let admin = try? connect() else { return false }
        let database = (try? databaseExists(baseID: baseID, admin: admin)) ?? false
        return database
            || (credentialsDirectory != nil && ((try? accountExists(baseID: baseID, admin: admin)) ?? false))
    }

    private func databaseExists(baseID: Int64, admin: MariaDBConnection) throws -> Bool {
        try admin.scalar(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = \(admin.literal(databaseName(baseID: baseID)))"
        ) != nil
    }

    private func accountExists(baseID: Int64, admin: MariaDBConnection) throws -> Bool {
        try admin.scalar("SELECT COUNT(*) FROM mysql.user WHERE User = \(admin.literal(userName(baseID: baseID)))")
            != "0"
    }

    package func databaseIDs() throws -> [Int64] {
        let admin = try connect()
        let pattern = prefix.replacingOccurrences(of: "_", with: "\\_") + "base\\_%"
        return try admin.query(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE \(admin.literal(pattern))"
        )
        .compactMap { $0[0].flatMap { Int64($0.dropFirst(prefix.count + "base_".count)) } }.sorted()
    }

    package func location(baseID: Int64) -> String { "database \(databaseName(baseID: baseID)) on \(settings.server)" }

    package func remove(baseID: Int64) throws {
        let admin = try connect()
        try admin.execute("DROP DATABASE IF EXISTS \(MySQLQuoting.identifier(databaseName(baseID: baseID)))")
        if let credentialsDirectory {
            try admin.execute("DROP USER IF EXISTS \(admin.literal(userName(baseID: baseID)))@'%'")
            EstablishmentAccount.remove(baseID: baseID, in: credentialsDirectory)
        }
    }

    package func storageSize(baseID: Int64) throws -> Int64 {
        let admin = try connect()
        let size = try admin.scalar(
            """
            SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = \(admin.literal(databaseName(baseID: baseID)))
            """)
        return size.flatMap { Int64($0) } ?? 0
    }

    package func read<T>(baseID: Int64, _ body: (any EstablishmentReader) throws -> T) throws -> T {
        let connection = try open(baseID: baseID)
        // One consistent snapshot for everything the body reads (InnoDB MVCC): writers are not blocked.
        try connection.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        try connection.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
        defer { try? connection.execute("COMMIT") }
        return try body(MariaDBEstablishmentReader(connection: connection, database: databaseName(baseID: baseID)))
    }

    package func write(baseID: Int64, _ body: (any EstablishmentWriter) throws -> Void) throws {
        try inTransaction(try open(baseID: baseID), baseID: baseID, body)
    }

    package func load(baseID: Int64, _ body: (any EstablishmentWriter) throws -> Void) throws {
        let connection = try open(baseID: baseID, bulkLoad: true)
        // Rows come table by table, not parents first: keys are checked once at the end by the caller.
        try connection.execute("SET SESSION foreign_key_checks = 0")
        try connection.execute("SET SESSION unique_checks = 0")
        try connection.execute(Self.loadSQLMode)
        // Each CREATE TABLE commits implicitly in MariaDB; without autocommit the rows that follow still
        // go in one transaction each time, not one commit (and one log flush) per statement.
        try connection.execute("SET SESSION autocommit = 0")
        try inTransaction(connection, baseID: baseID, body)
    }

    /// Runs `body` with a writer in one transaction: rows it left waiting are sent, then COMMIT; ROLLBACK
    /// if anything failed.
    private func inTransaction(
        _ connection: MariaDBConnection, baseID: Int64, _ body: (any EstablishmentWriter) throws -> Void
    ) throws {
        try connection.execute("START TRANSACTION")
        let writer = MariaDBEstablishmentWriter(connection: connection, database: databaseName(baseID: baseID))
        defer { writer.buffer.release() }
        do {
            try body(writer)
            // Keys a load held back are never left out, whatever the caller did.
            try writer.finishLoad()
            try connection.execute("COMMIT")
        } catch {
            // A load still open holds the connection: given up first.
            writer.buffer.abandon()
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    private func open(baseID: Int64, bulkLoad: Bool = false) throws -> MariaDBConnection {
        do {
            return try MariaDBConnection(settings.with(database: databaseName(baseID: baseID)), bulkLoad: bulkLoad)
        } catch let error as MariaDBError where error.code == 1049 {
            throw EstablishmentStoreError.missing(baseID: baseID, path: location(baseID: baseID))
        }
    }
}

extension MariaDBEstablishmentStore {
    /// The database's stamp from `information_schema` (``MariaDBChangeStamp``), on the operator's account.
    package func changeStamp(baseID: Int64) throws -> DatabaseChangeStamp {
        let admin = try connect()
        guard try databaseExists(baseID: baseID, admin: admin) else {
            throw EstablishmentStoreError.missing(baseID: baseID, path: location(baseID: baseID))
        }
        return try MariaDBChangeStamp.read(admin: admin, database: databaseName(baseID: baseID))
    }

}
