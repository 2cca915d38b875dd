import Foundation
import TransfertFormats
import TransfertModel

extension MariaDBBackend {
    package func makeStagedEstablishment(baseID: Int64) throws -> any StagedEstablishment {
        try MariaDBStagedEstablishment(server: server, prefix: prefix, baseID: baseID)
    }
}

/// The staging database of a MariaDB establishment, `<prefix>restore_<random>_base_<id>` (no account),
/// and the database the live tables are kept in after the swap, `<prefix>restore_<random>_kept_<id>`.
///
/// The swap is one `RENAME TABLE` naming every table of both sides — live → kept, staging → live — which
/// MariaDB applies all or nothing. What RENAME TABLE cannot move is handled around it: views (they stay
/// in their database and would point at the moved tables) are dropped and created again from their
/// definitions; triggers (MariaDB refuses to move a table that has one to another database) are dropped
/// and created again — the establishment's own on the restored tables of the same names (a trigger whose
/// table the bundle lacks fails the swap, which is then undone), and on the old tables by an undo. The establishment's account keeps its grant: it is on
/// the live database, whose name does not change.
final class MariaDBStagedEstablishment: StagedEstablishment {
    let server: MariaDBSettings
    let baseID: Int64
    let live: MariaDBEstablishmentStore
    let staging: MariaDBEstablishmentStore
    let keptDatabase: String

    init(server: MariaDBSettings, prefix: String, baseID: Int64) throws {
        self.server = server
        self.baseID = baseID
        live = MariaDBEstablishmentStore(settings: server, prefix: prefix, credentialsDirectory: nil)
        let stagingPrefix = "\(prefix)restore_\(UUID().uuidString.prefix(8).lowercased())_"
        staging = MariaDBEstablishmentStore(settings: server, prefix: stagingPrefix, credentialsDirectory: nil)
        keptDatabase = "\(stagingPrefix)kept_\(baseID)"
    }

    var store: any EstablishmentStore { staging }
    var location: String { staging.location(baseID: baseID) }

    private var liveDatabase: String { live.databaseName(baseID: baseID) }
    private var stagingDatabase: String { staging.databaseName(baseID: baseID) }

    /// What a database holds besides its tables' rows, read before a swap so it can be made again.
    private struct Surroundings {
        var tables: [String]
        var views: [ViewSchema]
        /// `SHOW CREATE TRIGGER` statements, run again on the database the tables end in.
        var triggers: [(name: String, statement: String)]
    }

    private func surroundings(of database: String, admin: MariaDBConnection, views: [ViewSchema]) throws
        -> Surroundings
    {
        let tables = try admin.query(
            """
            SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(admin.literal(database))
            AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME
            """
        ).compactMap { $0[0] }
        var triggers: [(String, String)] = []
        for name in try admin.query(
            "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = \(admin.literal(database))"
        ).compactMap({ $0[0] }) {
            let rows = try admin.query(
                "SHOW CREATE TRIGGER \(MySQLQuoting.identifier(database)).\(MySQLQuoting.identifier(name))")
            if let statement = rows.first.flatMap({ $0.count > 2 ? $0[2] : nil }) { triggers.append((name, statement)) }
        }
        return Surroundings(tables: tables, views: views, triggers: triggers)
    }

    /// The views `database` declares (as the schema reader gives them back: the archive's SELECT text).
    private func views(of store: MariaDBEstablishmentStore) throws -> [ViewSchema] {
        try store.read(baseID: baseID) { try $0.schema().views }
    }

    private func dropViewsAndTriggers(in database: String, _ surroundings: Surroundings, admin: MariaDBConnection)
        throws
    {
        for view in surroundings.views {
            try admin.execute(
                "DROP VIEW IF EXISTS \(MySQLQuoting.identifier(database)).\(MySQLQuoting.identifier(view.name))")
        }
        for trigger in surroundings.triggers {
            try admin.execute(
                "DROP TRIGGER IF EXISTS \(MySQLQuoting.identifier(database)).\(MySQLQuoting.identifier(trigger.name))")
        }
    }

    /// Creates `surroundings`' views and triggers in `database` (whose tables are now the ones they name).
    private func recreate(_ surroundings: Surroundings, in database: String) throws {
        let connection = try MariaDBConnection(server.with(database: database))
        try connection.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')")
        let writer = MariaDBEstablishmentWriter(connection: connection, database: database)
        for view in surroundings.views { try writer.createView(view) }
        for trigger in surroundings.triggers { try connection.execute(trigger.statement) }
    }

    private func renameAll(_ moves: [(from: String, to: String, tables: [String])], admin: MariaDBConnection) throws {
        let pairs = moves.flatMap { move in
            move.tables.map {
                "\(MySQLQuoting.identifier(move.from)).\(MySQLQuoting.identifier($0)) TO \(MySQLQuoting.identifier(move.to)).\(MySQLQuoting.identifier($0))"
            }
        }
        guard !pairs.isEmpty else { return }
        try admin.execute("RENAME TABLE " + pairs.joined(separator: ", "))
    }

    /// Read before the swap, kept for ``undoSwap()``.
    private let before = SwapMemory()

    func swapIntoPlace() throws {
        let admin = try MariaDBConnection(server)
        let liveSide = try surroundings(of: liveDatabase, admin: admin, views: try views(of: live))
        let stagedSide = try surroundings(of: stagingDatabase, admin: admin, views: try views(of: staging))
        before.set(live: liveSide, staged: stagedSide)
        try admin.execute(
            "CREATE DATABASE IF NOT EXISTS \(MySQLQuoting.identifier(keptDatabase)) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
        )
        try dropViewsAndTriggers(in: liveDatabase, liveSide, admin: admin)
        try dropViewsAndTriggers(in: stagingDatabase, stagedSide, admin: admin)
        do {
            try renameAll(
                [
                    (liveDatabase, keptDatabase, liveSide.tables),
                    (stagingDatabase, liveDatabase, stagedSide.tables),
                ], admin: admin)
        } catch {
            // RENAME TABLE moved nothing: give the live database its views and triggers back.
            try? recreate(liveSide, in: liveDatabase)
            throw StagedSwapError(
                "the restored tables could not be moved into \(liveDatabase) (\(error)); nothing was swapped")
        }
        do {
            // The restored tables get the views the bundle declares, and the triggers the establishment had
            // (the application's own: a bundle restored on MariaDB brings none), on the tables of the same
            // names now in place.
            var restored = stagedSide
            let names = Set(stagedSide.triggers.map(\.name))
            restored.triggers += liveSide.triggers.filter { !names.contains($0.name) }
            try recreate(restored, in: liveDatabase)
        } catch {
            try? undoSwap()
            throw StagedSwapError(
                "the restored database's views or triggers could not be created in \(liveDatabase) (\(error)); nothing was swapped"
            )
        }
    }

    func undoSwap() throws {
        guard let (liveSide, stagedSide) = before.get() else { return }
        let admin = try MariaDBConnection(server)
        var restored = stagedSide
        restored.triggers += liveSide.triggers
        try dropViewsAndTriggers(in: liveDatabase, restored, admin: admin)
        do {
            try renameAll(
                [
                    (liveDatabase, stagingDatabase, stagedSide.tables),
                    (keptDatabase, liveDatabase, liveSide.tables),
                ], admin: admin)
            try recreate(liveSide, in: liveDatabase)
        } catch {
            throw StagedSwapError(
                "the former tables of establishment \(baseID) could not be put back (\(error)): they are in database \(keptDatabase); move them to \(liveDatabase) with RENAME TABLE"
            )
        }
    }

    func discard() {
        guard let admin = try? MariaDBConnection(server) else { return }
        try? admin.execute("DROP DATABASE IF EXISTS \(MySQLQuoting.identifier(stagingDatabase))")
        try? admin.execute("DROP DATABASE IF EXISTS \(MySQLQuoting.identifier(keptDatabase))")
    }

    /// The two sides as they were before the swap (set once, by the swap).
    private final class SwapMemory: @unchecked Sendable {
        private let lock = NSLock()
        private var value: (Surroundings, Surroundings)?

        func set(live: Surroundings, staged: Surroundings) { lock.withLock { value = (live, staged) } }
        func get() -> (Surroundings, Surroundings)? { lock.withLock { value } }
    }
}
