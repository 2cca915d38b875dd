import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Finds and cleans what interrupted operations left in a hosting.
///
/// An import killed with SIGKILL leaves registry rows with status *importing* whose restore lock is
/// stale, maybe a database and a partial files directory: nobody can use them, and they are removed.
/// Other oddities (a database or files directory with no registry row, a registry row with no
/// database) are only reported: they may be an operator's work, and deleting data is the operator's call.
///
/// ```swift
/// let findings = try Doctor(hosting: hosting).examine()
/// ```
public struct Doctor {
    public let hosting: Hosting

    public init(hosting: Hosting) {
        self.hosting = hosting
    }

    /// Removes every trace of imports whose process died; returns what was removed, in words.
    @discardableResult
    public func cleanAbandonedImports() throws -> [String] {
        try cleanAbandonedImportsKeepingTheirClaims().cleaned
    }

    /// ``cleanAbandonedImports()``, also returning the registry rows removed: an import that resumes gives
    /// each establishment the id its killed run had claimed (``ReclaimedIDs``).
    func cleanAbandonedImportsKeepingTheirClaims() throws -> (cleaned: [String], claims: [Structure]) {
        var cleaned: [String] = []
        let abandoned = try hosting.registry.abandonedImports()
        for structure in abandoned {
            rollBack(structure.baseID)
            cleaned.append(
                "establishment \(structure.baseID) (\(structure.displayName)), left half-imported by a killed import, was removed"
            )
        }
        let filesRoot = hosting.directory.appendingPathComponent("files")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: filesRoot.path)) ?? []
        where name.hasPrefix(".") && name.contains(".partial-") {
            guard let pid = name.split(separator: "-").last.flatMap({ Int32($0) }), kill(pid, 0) != 0 else { continue }
            try? FileManager.default.removeItem(at: filesRoot.appendingPathComponent(name))
            cleaned.append("partial files directory files/\(name) of a killed import was removed")
        }
        return (cleaned, abandoned)
    }

    /// What ``examine()`` would clean now, read without writing (`doctor --dry-run`).
    private func cleaningToDo() throws -> [String] {
        let now = Date()
        let stored = try hosting.registry.storedLocks()
        let live = Set(stored.filter { !$0.isStale(at: now) }.map(\.baseID))
        var lines: [String] = []
        for structure in try hosting.registry.structures()
        where structure.status == .importing && !live.contains(structure.baseID) {
            lines.append(
                "establishment \(structure.baseID) (\(structure.displayName)), left half-imported by a killed import, would be removed"
            )
        }
        let filesRoot = hosting.directory.appendingPathComponent("files")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: filesRoot.path)) ?? []
        where name.hasPrefix(".") && name.contains(".partial-") {
            guard let pid = name.split(separator: "-").last.flatMap({ Int32($0) }), kill(pid, 0) != 0 else { continue }
            lines.append("partial files directory files/\(name) of a killed import would be removed")
        }
        for lock in stored where lock.isStale(at: now) {
            lines.append(
                "stale \(lock.kind.rawValue) lock of establishment \(lock.baseID) (\(Self.holder(lock)), last heartbeat \(lock.refreshedAt ?? lock.createdAt)) would be cleared"
            )
        }
        return lines
    }

    private static func holder(_ lock: StructureLock) -> String {
        lock.ownerPID.map { "process \($0) on \(lock.ownerHost ?? "?")" } ?? "no holder"
    }

    /// Every half-created establishment, with why: registered and active, and without a database or with
    /// a database ``halfCreated(_:)`` finds unfinished.
    func halfCreatedEstablishments(_ known: [Structure]? = nil, databases known2: Set<Int64>? = nil) throws -> [(
        Structure, String
    )] {
        let structures = try known ?? hosting.registry.structures()
        let databases = try known2 ?? Set(hosting.establishments.databaseIDs())
        return structures.filter { $0.status == .active }.compactMap { structure in
            guard databases.contains(structure.baseID) else {
                return (structure, "it is registered but has no database")
            }
            return halfCreated(structure.baseID).map { (structure, "its database \($0)") }
        }
    }

    /// Why a registered establishment's database is half-created, or `nil` when it is not.
    ///
    /// Every way an establishment comes to be — `structure add`, `sample`, `import` of either bundle
    /// format — ends with a database holding the profile's schema-version row (SACoche's `version_base`
    /// in `sacoche_parametre`): creation writes it right after the tables, a restore brings it with the
    /// dump. A database without that table or that row, or with none of the profile's tables, was left
    /// by a creation that stopped. (Tables the profile has and an older imported base lacks are not
    /// counted: an older SACoche base is imported as it is.)
    func halfCreated(_ baseID: Int64) -> String? {
        let version = hosting.profile.schemaVersion
        let profileTables = Set(hosting.profile.databaseSchema.tables.map(\.name))
        do {
            return try hosting.establishments.read(baseID: baseID) { reader -> String? in
                let tables = Set(try reader.tableNames())
                if !profileTables.isEmpty && tables.isDisjoint(with: profileTables) {
                    return tables.isEmpty
                        ? "holds no table" : "holds none of the \(hosting.profile.name) profile's tables"
                }
                guard tables.contains(version.table) else {
                    return "has no \(version.table) table (where the schema version lives)"
                }
                guard try version.read(from: reader) != nil else {
                    return "has no schema version (no \(version.key) row in \(version.table))"
                }
                return nil
            }
        } catch {
            return "cannot be read (\(error))"
        }
    }

    /// Removes the database, the files and the registry row of an establishment being imported.
    public func rollBack(_ baseID: Int64) {
        try? hosting.establishments.remove(baseID: baseID)
        let files = hosting.filesDirectory(baseID: baseID)
        try? FileManager.default.removeItem(at: files)
        try? FileManager.default.removeItem(at: FileRestorer.partialDirectory(for: files))
        try? hosting.registry.removeStructure(baseID: baseID, journal: nil)
    }

    /// Cleans abandoned imports and stale locks, and reports the rest.
    /// With `dryRun`, says what it would clean (in `cleaned`, in the conditional) and changes nothing.
    /// With `removeHalfCreated` (`doctor --remove-half-created`), half-created establishments
    /// (``halfCreated(_:)``) are removed — database, files, registry row, journaled as `removed` —
    /// instead of only reported.
    public func examine(dryRun: Bool = false, removeHalfCreated: Bool = false) throws -> DoctorReport {
        var report = DoctorReport()
        report.dryRun = dryRun
        if dryRun {
            report.cleaned = try cleaningToDo()
        } else {
            // Locks whose holder died (a dead process here, or no heartbeat for a minute from any host),
            // cleared and said first: looking for abandoned imports clears them too, without a word.
            let stale = try hosting.registry.locks(at: Date()).cleared
            report.cleaned = try cleanAbandonedImports()
            for lock in stale {
                report.cleaned.append(
                    "stale \(lock.kind.rawValue) lock of establishment \(lock.baseID) (\(Self.holder(lock)), last heartbeat \(lock.refreshedAt ?? lock.createdAt)) was cleared"
                )
            }
        }
        if removeHalfCreated {
            for (structure, why) in try halfCreatedEstablishments() {
                if !dryRun {
                    let files = hosting.filesDirectory(baseID: structure.baseID)
                    try hosting.registry.removeStructure(
                        baseID: structure.baseID,
                        journal: JournalEntry(
                            event: .removed, guid: structure.guid.uuidString.lowercased(), baseID: structure.baseID,
                            denomination: structure.denomination,
                            details: "half-created (\(why)): removed by doctor --remove-half-created",
                            uai: structure.uai?.rawValue))
                    try? hosting.establishments.remove(baseID: structure.baseID)
                    try? FileManager.default.removeItem(at: files)
                }
                report.cleaned.append(
                    "establishment \(structure.baseID) (\(structure.displayName)), half-created (\(why)), "
                        + (dryRun ? "would be removed" : "was removed"))
            }
        }
        let structures = try hosting.registry.structures()
        let ids = Set(structures.map(\.baseID))
        let databases = Set(try hosting.establishments.databaseIDs())
        let removed = removeHalfCreated && !dryRun
        for (structure, why) in removed ? [] : try halfCreatedEstablishments(structures, databases: databases) {
            report.findings.append(
                Problem(
                    code: .doctorHalfCreated,
                    message: "establishment \(structure.baseID) (\(structure.displayName)) is half-created: \(why). "
                        + "Its creation stopped before the end (a killed or failed structure add, sample or import) and nothing of it can be used: "
                        + "remove it with `transfert doctor --remove-half-created` (or `transfert structure remove --ids \(structure.baseID) --force`), then add or import it again",
                    location: ProblemLocation(baseID: structure.baseID)))
        }
        // The store says what databases it holds, whatever their names or where they live.
        for id in databases.subtracting(ids).sorted() {
            report.findings.append(
                Problem(
                    code: .doctorOrphanDatabase,
                    message:
                        "the database of id \(id) (\(hosting.establishments.location(baseID: id))) belongs to no registered establishment (an orphan): move it away or delete it",
                    location: ProblemLocation(baseID: id)))
        }
        // A confirmed move leaves the old copy here until the operator removes it.
        for move in try hosting.registry.moves() where ids.contains(move.baseID) {
            report.findings.append(
                Problem(
                    code: .doctorMovedCopy,
                    message:
                        "establishment \(move.baseID) (\(move.denomination)) moved to \(move.targetServer) on \(move.confirmedAt) (confirmed): its old copy is still here; remove it with `transfert structure remove --ids \(move.baseID)`",
                    location: ProblemLocation(baseID: move.baseID)))
        }
        let files = hosting.directory.appendingPathComponent("files")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: files.path)) ?? [] {
            guard let id = Int64(name), !ids.contains(id) else { continue }
            report.findings.append(
                Problem(
                    code: .doctorOrphanFiles,
                    message:
                        "files/\(name) belongs to no registered establishment (an orphan): move it away or delete it",
                    location: ProblemLocation(file: files.appendingPathComponent(name).path, baseID: id)))
        }
        // Letters from a placeholder are never sent (``OutboxSender``): better known before a move than at its end.
        let sender = hosting.configuration.webmaster.email
        if let reason = PlaceholderSender.reason(sender) {
            let file = hosting.directory.appendingPathComponent(Hosting.configurationFileName).path
            report.findings.append(
                Problem(
                    code: .doctorPlaceholderSender,
                    message:
                        "webmaster.email in \(file) is \(sender), \(reason): letters are written from it but `transfert outbox send` will not send them. Set webmaster.email (and webmaster.name) to the address that answers the establishments",
                    location: ProblemLocation(file: file, field: "webmaster.email", value: sender)))
        }
        return report
    }
}

public struct DoctorReport: Codable, Sendable {
    /// What was removed (with `dryRun`: what would be).
    public var cleaned: [String] = []
    public var dryRun = false
    /// What needs the operator's decision, each with its code and place.
    public var findings: [Problem] = []

    public init() {}

    /// `findings` stays the list of sentences `doctor --json` always printed; `problems` adds the same
    /// findings as objects with their codes and places.
    enum CodingKeys: String, CodingKey {
        case cleaned, findings, problems
        case dryRun = "dry_run"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cleaned = try container.decode([String].self, forKey: .cleaned)
        dryRun = try container.decode(Bool.self, forKey: .dryRun)
        findings = try container.decode([Problem].self, forKey: .problems)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cleaned, forKey: .cleaned)
        try container.encode(findings.map(\.message), forKey: .findings)
        try container.encode(findings, forKey: .problems)
        try container.encode(dryRun, forKey: .dryRun)
    }
}
