import Foundation
import TransfertFormats
import TransfertModel

extension PostgreSQLBackend {
    package func makeStagedEstablishment(baseID: Int64) throws -> any StagedEstablishment {
        PostgreSQLStagedEstablishment(server: registrySettings, prefix: prefix, baseID: baseID)
    }
}

/// The staging database of a PostgreSQL establishment, `<prefix>restore_<random>_base_<id>`, owned by the
/// establishment's role, and the name the live database is kept under after the swap,
/// `<prefix>restore_<random>_kept_<id>`.
///
/// The swap is two `ALTER DATABASE … RENAME TO` in one transaction (live → kept, staging → live), which
/// PostgreSQL applies all or nothing. A database being renamed may have no session on it: the sessions on
/// both (the establishment's application's included) are ended first, and the swap tried again a few times
/// if one connects meanwhile. The role, its password and its settings file do not change: the restored
/// database has the same name and the same owner.
final class PostgreSQLStagedEstablishment: StagedEstablishment {
    let server: PostgreSQLSettings
    let baseID: Int64
    let live: PostgreSQLEstablishmentStore
    let staging: PostgreSQLEstablishmentStore
    let keptDatabase: String
    /// Attempts at a rename that a session connecting meanwhile made fail.
    static let attempts = 5

    init(server: PostgreSQLSettings, prefix: String, baseID: Int64) {
        self.server = server
        self.baseID = baseID
        live = PostgreSQLEstablishmentStore(
            settings: server, prefix: prefix, credentialsDirectory: nil, ownerPrefix: prefix)
        let stagingPrefix = "\(prefix)restore_\(UUID().uuidString.prefix(8).lowercased())_"
        staging = PostgreSQLEstablishmentStore(
            settings: server, prefix: stagingPrefix, credentialsDirectory: nil, ownerPrefix: prefix)
        keptDatabase = "\(stagingPrefix)kept_\(baseID)"
    }

    var store: any EstablishmentStore { staging }
    var location: String { staging.location(baseID: baseID) }

    private var liveDatabase: String { live.databaseName(baseID: baseID) }
    private var stagingDatabase: String { staging.databaseName(baseID: baseID) }

    /// Renames each pair in one transaction, after ending the sessions on the databases renamed.
    private func rename(_ pairs: [(from: String, to: String)]) throws {
        let admin = try PostgreSQLConnection(server)
        defer { admin.close() }
        var attempt = 0
        while true {
            attempt += 1
            _ = try admin.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY(string_to_array($1, '/')) AND pid <> pg_backend_pid()",
                [.text(pairs.map(\.from).joined(separator: "/"))])
            do {
                try admin.execute("BEGIN")
                for pair in pairs {
                    try admin.execute(
                        "ALTER DATABASE \(PostgreSQLQuoting.identifier(pair.from)) RENAME TO \(PostgreSQLQuoting.identifier(pair.to))"
                    )
                }
                try admin.execute("COMMIT")
                return
            } catch let error as PostgreSQLError where !error.isConnectionLost {
                _ = try? admin.execute("ROLLBACK")
                // 55006: a session connected between the termination and the rename.
                guard error.sqlState == "55006", attempt < Self.attempts else { throw error }
                Thread.sleep(forTimeInterval: 0.1 * Double(attempt))
            }
        }
    }

    private let swapped = SwapState()

    func swapIntoPlace() throws {
        do {
            try rename([(liveDatabase, keptDatabase), (stagingDatabase, liveDatabase)])
        } catch {
            throw StagedSwapError(
                "the restored database could not take the place of \(liveDatabase) (\(error)); nothing was swapped")
        }
        swapped.set(true)
    }

    func undoSwap() throws {
        guard swapped.get() else { return }
        do {
            try rename([(liveDatabase, stagingDatabase), (keptDatabase, liveDatabase)])
        } catch {
            throw StagedSwapError(
                "the former database of establishment \(baseID) could not be put back (\(error)): it is database \(keptDatabase); rename it \(liveDatabase) with ALTER DATABASE … RENAME TO once \(liveDatabase) is renamed away"
            )
        }
        swapped.set(false)
    }

    func discard() {
        guard let admin = try? PostgreSQLConnection(server) else { return }
        defer { admin.close() }
        for database in [stagingDatabase, keptDatabase] {
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(PostgreSQLQuoting.identifier(database)) WITH (FORCE)")
        }
    }

    /// Whether the swap is in place (set by the swap, cleared by its undo).
    private final class SwapState: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set(_ swapped: Bool) { lock.withLock { value = swapped } }
        func get() -> Bool { lock.withLock { value } }
    }
}
