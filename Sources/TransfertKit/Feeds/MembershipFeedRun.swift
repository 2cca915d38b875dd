import Foundation
import TransfertFormats
import TransfertModel

/// One feed run inside its transaction: applies each row to the state table, then (for a refresh) disables
/// the owned records the run did not stamp, and last, once the run is known to commit, brings the
/// application's membership table in step with what the state table now says (``applyToApplication()``).
/// The application's table is written only in that last step because it may not roll back (SACoche's
/// MyISAM tables on MariaDB): a dry run, the mass-disable guard or a file-level error found late must leave
/// it untouched. Holds no key of the file: each record seen is stamped with the run's id in the state table
/// instead, and the last step is driven from those stamps.
final class MembershipFeedRun {
    private let writer: any EstablishmentWriter
    private let tables: FeedApplicationTables
    private let mapping: FeedMapping.Membership
    private let options: FeedRunOptions
    private let settings: FeedSettings
    private let file: String
    private let spool: FeedOutcomeSpool
    private let now: String
    let runID: Int64
    /// The integration's enabled records before the run: what the mass-disable guard compares with.
    private let enabledBefore: Int64
    /// Whether any cross-listed set is declared: when none is, no row asks.
    private let hasCourseSets: Bool
    private(set) var totals = FeedTotals()
    private(set) var notes: [String] = []
    /// Data rows read (failed ones included): a refresh of a file with none disables nothing.
    private var dataRows = 0
    private let table = FeedStateTables.membership

    init(
        writer: any EstablishmentWriter, mapping: FeedMapping.Membership, options: FeedRunOptions,
        settings: FeedSettings, file: String, spool: FeedOutcomeSpool
    ) throws {
        self.writer = writer
        self.tables = FeedApplicationTables(mapping: mapping, writer: writer)
        self.mapping = mapping
        self.options = options
        self.settings = settings
        self.file = file
        self.spool = spool
        let formatter = ISO8601DateFormatter()
        now = formatter.string(from: options.now)
        let last = try writer.rows("SELECT MAX(seen_run) FROM \(FeedStateTables.membership)", []).first?.first
        let (next, overflow) = (last?.integerValue ?? 0).addingReportingOverflow(1)
        guard !overflow else { throw FeedError.corruptState("seen_run has reached the largest integer") }
        runID = next
        hasCourseSets = !(try writer.rows("SELECT 1 FROM \(FeedStateTables.courseSet) LIMIT 1", []).isEmpty)
        enabledBefore =
            try writer.rows(
                "SELECT COUNT(*) FROM \(FeedStateTables.membership) WHERE integration = ? AND row_status = 'enabled'",
                [.text(options.integration)]
            ).first?.first?.integerValue ?? 0
    }

    // MARK: Rows

    func apply(_ row: MembershipRow) throws {
        dataRows += 1
        switch row {
        case .failed(let failure):
            if let course = failure.courseKey, let person = failure.personKey {
                try stampIfOwned(course: course, person: person, line: failure.line)
            }
            try record(FeedOutcome(failure))
        case .record(let membership):
            try apply(membership)
        }
    }

    private func state(course: String, person: String) throws -> FeedStateRecord? {
        try writer.rows(
            "SELECT \(FeedStateRecord.columns) FROM \(table) WHERE course_key = ? AND person_key = ?",
            [.text(course), .text(person)]
        ).first.map(FeedStateRecord.init(row:))
    }

    private func apply(_ r: MembershipRecord) throws {
        let existing = try state(course: r.courseKey, person: r.personKey)
        if let existing, existing.seenRun == runID {
            throw FeedFileError.duplicateRecord(
                file: file, line: r.line, earlierLine: Int(existing.seenLine), courseKey: r.courseKey,
                personKey: r.personKey)
        }
        func fail(_ field: String, _ value: String?, _ reason: String) throws {
            if existing?.integration == options.integration {
                try stampIfOwned(course: r.courseKey, person: r.personKey, line: r.line)
            }
            try record(
                FeedOutcome(
                    kind: .failed, line: r.line, course: r.courseKey, person: r.personKey, field: field, value: value,
                    reason: reason))
        }
        if let existing, existing.integration != options.integration {
            return try fail(
                "EXTERNAL_PERSON_KEY", r.personKey,
                "this membership belongs to integration \(existing.integration): another integration's records are never touched"
            )
        }
        if let dataSource = r.dataSource, !FeedRunOptions.isName(dataSource) {
            return try fail(
                "DATA_SOURCE_KEY", dataSource, "a data source key is letters, digits, '-', '_' and '.' (at most 64)")
        }
        if options.operation == .delete && existing == nil {
            return try fail("EXTERNAL_PERSON_KEY", r.personKey, "the feed has no such membership: nothing to disable")
        }
        // Prerequisites: the course and the person exist, each named by one row.
        switch try tables.course(r.courseKey) {
        case .found: break
        case .missing:
            return try fail(
                "EXTERNAL_COURSE_KEY", r.courseKey,
                "no course has \(mapping.course.table).\(mapping.course.key) = '\(r.courseKey)': create the course first"
            )
        case .ambiguous:
            return try fail(
                "EXTERNAL_COURSE_KEY", r.courseKey,
                "several courses have \(mapping.course.table).\(mapping.course.key) = '\(r.courseKey)': the key must name one"
            )
        }
        let person: FeedApplicationTables.Found
        switch try tables.person(r.personKey) {
        case .found(let found): person = found
        case .missing:
            return try fail(
                "EXTERNAL_PERSON_KEY", r.personKey,
                "no person has \(mapping.person.table).\(mapping.person.key) = '\(r.personKey)': create the person first"
            )
        case .ambiguous:
            return try fail(
                "EXTERNAL_PERSON_KEY", r.personKey,
                "several persons have \(mapping.person.table).\(mapping.person.key) = '\(r.personKey)': the key must name one"
            )
        }
        // ROLE: mapped onto the application's value, checked on the person or written on the membership.
        let role = r.role ?? existing?.role
        if let role, let roles = mapping.roles {
            guard let value = roles.value(of: role) else {
                return try fail(
                    "ROLE", role,
                    "unknown ROLE: the profile maps \(roles.values.keys.sorted().joined(separator: ", "))")
            }
            if roles.where == .person, person.role != value {
                return try fail(
                    "ROLE", role,
                    "\(r.personKey) is '\(person.role ?? "")' in \(mapping.person.table).\(roles.column), not '\(value)' as ROLE \(role) says"
                )
            }
        }
        let status: RowStatus = options.operation == .delete ? .disabled : (r.rowStatus ?? .enabled)
        var desired = FeedStateRecord(
            integration: options.integration, dataSource: r.dataSource ?? options.effectiveDataSource,
            rowStatus: status, available: r.available ?? true, role: role,
            disabledAt: status == .disabled
                ? (existing?.rowStatus == .disabled ? existing?.disabledAt : nil) ?? now : nil,
            seenRun: runID, seenLine: Int64(r.line))
        if status == .enabled && hasCourseSets {
            guard try moveCrossListed(r, fail: fail) else { return }
        }
        if desired.rowStatus == .disabled { desired.available = existing?.available ?? desired.available }
        // The application's row follows in ``applyToApplication()``, from this record (stamped and seen now).
        try write(desired, course: r.courseKey, person: r.personKey, isNew: existing == nil)
        let kind: FeedOutcome.Kind
        if let existing {
            kind =
                existing.sameState(as: desired)
                ? .unchanged : existing.rowStatus == .enabled && status == .disabled ? .disabled : .updated
        } else {
            kind = .created
        }
        try record(FeedOutcome(kind: kind, line: r.line, course: r.courseKey, person: r.personKey))
    }

    /// Cross-listed sets: a person has one enabled membership among a set's child courses. Moves (disables)
    /// the others, or fails the row under `cross_listing: refuse`; `false` when the row failed.
    private func moveCrossListed(
        _ r: MembershipRecord, fail: (String, String?, String) throws -> Void
    ) throws -> Bool {
        let others = try writer.rows(
            """
            SELECT m.course_key, m.integration, s.set_key FROM \(table) m
            JOIN \(FeedStateTables.courseSet) s ON s.course_key = m.course_key
            JOIN \(FeedStateTables.courseSet) t ON t.set_key = s.set_key
            WHERE t.course_key = ? AND m.person_key = ? AND m.course_key <> ? AND m.row_status = 'enabled'
            """, [.text(r.courseKey), .text(r.personKey), .text(r.courseKey)])
        guard !others.isEmpty else { return true }
        for other in others {
            let otherCourse = other[0].textValue ?? ""
            let set = other[2].textValue ?? ""
            if settings.crossListingRule == .refuse {
                try fail(
                    "EXTERNAL_COURSE_KEY", r.courseKey,
                    "\(r.personKey) is enabled in \(otherCourse), another child course of cross-listed set \(set) (feeds.cross_listing: refuse): disable that membership first"
                )
                return false
            }
            if other[1].textValue != options.integration {
                try fail(
                    "EXTERNAL_COURSE_KEY", r.courseKey,
                    "\(r.personKey) is enabled in \(otherCourse) (cross-listed set \(set)) by integration \(other[1].textValue ?? ""), whose records this run cannot move"
                )
                return false
            }
        }
        for other in others {
            let otherCourse = other[0].textValue ?? ""
            try writer.run(
                "UPDATE \(table) SET row_status = 'disabled', disabled_at = ? WHERE course_key = ? AND person_key = ?",
                [.text(now), .text(otherCourse), .text(r.personKey)])
            try record(
                FeedOutcome(
                    kind: .moved, line: r.line, course: otherCourse, person: r.personKey, field: "EXTERNAL_COURSE_KEY",
                    value: r.courseKey,
                    reason: "moved to \(r.courseKey) (cross-listed set \(other[2].textValue ?? ""))"))
        }
        return true
    }

    private func write(_ state: FeedStateRecord, course: String, person: String, isNew: Bool) throws {
        let values: [SQLValue] = [
            .text(state.integration), .text(state.dataSource), .text(state.rowStatus.rawValue),
            .integer(state.available ? 1 : 0), .orNull(state.role), .text(now), .orNull(state.disabledAt),
            .integer(state.seenRun), .integer(state.seenLine), .text(course), .text(person),
        ]
        if isNew {
            try writer.run(
                """
                INSERT INTO \(table) (integration, data_source, row_status, available, role, last_seen, disabled_at,
                  seen_run, seen_line, course_key, person_key, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, values + [.text(now)])
        } else {
            try writer.run(
                """
                UPDATE \(table) SET integration = ?, data_source = ?, row_status = ?, available = ?, role = ?,
                  last_seen = ?, disabled_at = ?, seen_run = ?, seen_line = ? WHERE course_key = ? AND person_key = ?
                """, values)
        }
    }

    /// A failed row of a record the integration owns still counts as seen: a refresh must not disable a
    /// membership the file states, only because this row of it was faulty.
    private func stampIfOwned(course: String, person: String, line: Int) throws {
        try writer.run(
            "UPDATE \(table) SET seen_run = ?, seen_line = ? WHERE course_key = ? AND person_key = ? AND integration = ?",
            [.integer(runID), .integer(Int64(line)), .text(course), .text(person), .text(options.integration)])
    }

    private func record(_ outcome: FeedOutcome) throws {
        totals.count(outcome.kind)
        try spool.append(outcome)
    }

    // MARK: Refresh

    /// For a refresh: disables the integration's enabled records (of its data source, by source) that the
    /// run did not stamp, after checking the mass-disable guard. An empty file disables nothing.
    func disableAbsent() throws {
        guard options.operation.disablesAbsentRecords else { return }
        guard dataRows > 0 else {
            notes.append("the file has no data rows: a refresh of an empty file disables nothing")
            return
        }
        var filter = "integration = ? AND row_status = 'enabled' AND seen_run <> ?"
        var values: [SQLValue] = [.text(options.integration), .integer(runID)]
        if options.operation == .refreshBySource {
            filter += " AND data_source = ?"
            values.append(.text(options.effectiveDataSource))
        }
        let absent =
            try writer.rows("SELECT COUNT(*) FROM \(table) WHERE \(filter)", values).first?.first?
            .integerValue ?? 0
        guard absent > 0 else { return }
        let ratio = settings.disableRatio
        if !options.allowMassDisable && Double(absent) > ratio * Double(enabledBefore) {
            throw FeedError.massDisable(
                wouldDisable: absent, enabled: enabledBefore, ratio: ratio, integration: options.integration)
        }
        let reason =
            options.operation == .refreshBySource
            ? "absent from the file (complete refresh of data source \(options.effectiveDataSource))"
            : "absent from the file (complete refresh)"
        // Pages in row-id order, each starting after the last: one pass over the table, whatever its size.
        var after: Int64 = 0
        while true {
            let page = try writer.rows(
                "SELECT id, course_key, person_key FROM \(table) WHERE \(filter) AND id > ? ORDER BY id LIMIT 500",
                values + [.integer(after)])
            guard let last = page.last?.first?.integerValue else { break }
            after = last
            for keys in page {
                let course = keys[1].textValue ?? ""
                let person = keys[2].textValue ?? ""
                try writer.run(
                    "UPDATE \(table) SET row_status = 'disabled', disabled_at = ? WHERE id = ?",
                    [.text(now), keys[0]])
                try record(FeedOutcome(kind: .disabled, line: nil, course: course, person: person, reason: reason))
            }
        }
    }

    // MARK: The application's table

    /// Which state records this run changed or stated, so whose application row may have to change: those a
    /// row of the file applied (stamped with the run and seen now; a failed row's stamp leaves `last_seen`
    /// alone) and those it disabled (a refresh, a cross-listing move: disabled now). A record of an earlier
    /// run in the same second may match too; bringing it in step again changes nothing.
    private var changedFilter: String {
        "((seen_run = ? AND last_seen = ?) OR (row_status = 'disabled' AND disabled_at = ?))"
    }

    /// The last step before COMMIT, never in a dry run: makes the application's membership rows of the
    /// records this run changed match their state (a row for each enabled, available record, none for the
    /// others). Pages through the state table by row id, so memory stays flat whatever the file's size.
    /// When it fails on a table that does not roll back, the error says how many rows were already changed.
    func applyToApplication() throws {
        let values: [SQLValue] = [.integer(runID), .text(now), .text(now)]
        var changed: Int64 = 0
        var after: Int64 = 0
        do {
            while true {
                let page = try writer.rows(
                    """
                    SELECT id, course_key, person_key, \(FeedStateRecord.columns) FROM \(table)
                    WHERE \(changedFilter) AND id > ? ORDER BY id LIMIT 500
                    """, values + [.integer(after)])
                guard let last = page.last?.first?.integerValue else { break }
                after = last
                for row in page {
                    changed += try bringInStep(
                        course: row[1].textValue ?? "", person: row[2].textValue ?? "",
                        state: FeedStateRecord(row: Array(row.dropFirst(3))))
                }
            }
        } catch {
            guard changed > 0, let engine = try? nonTransactionalEngine() else { throw error }
            throw FeedError.applicationTableNotRolledBack(
                table: mapping.membership.table, engine: engine, changed: changed, reason: "\(error)")
        }
    }

    /// Makes one record's application row match its state; returns how many rows that changed. A course or
    /// person that no longer exists (or that its key no longer names alone) has no row to keep.
    private func bringInStep(course courseKey: String, person personKey: String, state: FeedStateRecord) throws
        -> Int64
    {
        guard case .found(let course) = try tables.course(courseKey),
            case .found(let person) = try tables.person(personKey)
        else { return 0 }
        if state.isActive {
            let role = mapping.roles?.where == .membership ? state.role.flatMap { mapping.roles?.value(of: $0) } : nil
            return try tables.ensureMembership(course: course.id, person: person.id, role: role)
        }
        return try tables.removeMembership(course: course.id, person: person.id)
    }

    /// The storage engine of the application's membership table when it is one that does not roll back
    /// (MariaDB's MyISAM, Aria, MEMORY…); `nil` for a transactional one, and on SQLite, which has no
    /// `information_schema` (the query fails there, and every SQLite table rolls back).
    private func nonTransactionalEngine() throws -> String? {
        let engine = try writer.rows(
            "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
            [.text(mapping.membership.table)]
        ).first?.first?.textValue
        guard let engine, engine.caseInsensitiveCompare("InnoDB") != .orderedSame else { return nil }
        return engine
    }
}
