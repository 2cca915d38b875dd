import Foundation
import Synchronization
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Deep verification: each dump restored into a scratch database of the backend, checked, dropped.
final class DeepRestore: @unchecked Sendable {
    let databases: ScratchDatabases
    private var store: any EstablishmentStore { databases.store }
    /// Two establishments are restored at once: each takes its own scratch id.
    private let lastID = Mutex<Int64>(0)

    init(databases: ScratchDatabases) {
        self.databases = databases
    }

    /// Restores the dump into a fresh scratch database, compares it with the manifest, removes it.
    /// Returns the problems, and the digests of the restored copy.
    func restoreAndCompare(
        _ establishment: BundleManifest.Establishment, source: any BundleSource,
        progress: ProgressItem? = nil
    ) -> (problems: [Problem], digests: [TableDigest]) {
        let baseID = lastID.withLock { last in
            last += 1
            return last
        }
        defer { try? store.remove(baseID: baseID) }
        let place = ProblemLocation(establishment: establishment.nomFichier, baseID: establishment.baseID)
        do {
            try store.create(baseID: baseID, schema: DatabaseSchema())
            let restored = try source.restore(establishment, into: store, baseID: baseID, progress: progress)
            // Two read-only connections on two cores: reading every row back to digest it, and the
            // engine's own integrity check, are independent.
            // The second also checks every value of a MySQL table against MySQL's column rules: the
            // scratch engine (SQLite) accepts what a MySQL server in strict mode would refuse, and
            // VERIFIED means restorable on the engine the tables are declared for.
            // When the engine's conversions were predicted value by value while parsing (``StoredValueRules``),
            // every value is stored as it was parsed and digested: the parsed digests stand for the tables'
            // (each row count is still counted, and a table whose parsed digest differs is read back to be
            // named). A SACoche bundle has no digests of its own: its tables are read back to compute them.
            let parsedDigestsProve = store.storedValueRules != nil && source.kind != .sacoche
            let ((digestProblems, digests), (integrity, mysql)) = try Concurrently.both(
                {
                    try store.read(baseID: baseID) { reader -> ([Problem], [TableDigest]) in
                        if parsedDigestsProve {
                            return (
                                try restored.differences(
                                    from: establishment.tables, in: reader, actualLabel: "the restored copy"), []
                            )
                        }
                        let digests = try reader.tableDigests()
                        return (
                            DigestComparison.differences(
                                expected: establishment.tables, actual: digests, actualLabel: "the restored copy"),
                            digests
                        )
                    }
                },
                { [store] in
                    try store.read(baseID: baseID) { reader in
                        (
                            try reader.integrityProblems(),
                            try MySQLRowAudit.problems(in: establishment.schema, reader: reader)
                        )
                    }
                })
            // The published code; the table stays its field.
            var problems = digestProblems.map { $0.restated(code: .restoreDigestMismatch, place: place) }
            if !integrity.isEmpty {
                problems.append(
                    Problem(
                        code: .restoreIntegrity,
                        message:
                            "the restored copy fails the database's integrity check: \(integrity.map(\.message).joined(separator: "; "))",
                        location: place))
            }
            problems += mysql.problems.map { problem in
                var location = place
                location.field = "\(problem.table).\(problem.column)"
                location.value = problem.value
                return Problem(
                    code: .restoreMySQLValue,
                    message:
                        "\(problem): a MySQL server in strict mode refuses or changes this value, so the bundle cannot be restored on the MySQL tables it declares",
                    location: location)
            }
            if mysql.refused > mysql.problems.count {
                problems.append(
                    Problem(
                        code: .restoreMySQLValue,
                        message:
                            "… and \(mysql.refused - mysql.problems.count) more values MySQL would refuse or change",
                        location: place))
            }
            problems += restored.foreignKeys.descriptions.map {
                Problem(
                    code: .restoreForeignKey, message: "foreign key violation in the source data: \($0)",
                    location: place)
            }
            return (problems, digests)
        } catch let error as DumpLoadError {
            return ([Problem(error, code: .restoreFailed, establishment: place)], [])
        } catch {
            return ([Problem(code: .restoreFailed, message: "cannot be restored: \(error)", location: place)], [])
        }
    }

}
