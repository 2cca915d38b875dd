import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// `feed show`, `feed purge` and `feed course-set`: reading and keeping a feed's state table.
///
/// ```swift
/// let records = try FeedState(hosting: hosting).memberships(baseID: 2, person: "eleve.12")
/// let purged = try FeedState(hosting: hosting).purge(baseID: 2, olderThan: "365d", dryRun: false)
/// ```
public struct FeedState {
    public let hosting: Hosting

    public init(hosting: Hosting) {
        self.hosting = hosting
    }

    /// The records of the establishment's feeds, by course then person; `course`/`person` keep only
    /// those keys. Empty when no feed ever ran there.
    public func memberships(baseID: Int64, course: String? = nil, person: String? = nil) throws
        -> [FeedMembershipState]
    {
        guard try hosting.registry.structure(baseID: baseID) != nil else {
            throw FeedError.unknownEstablishment(baseID: baseID)
        }
        return try hosting.establishments.read(baseID: baseID) { reader in
            guard try reader.tableNames().contains(FeedStateTables.membership) else { return [] }
            var filter: [String] = []
            var values: [SQLValue] = []
            if let course {
                filter.append("course_key = ?")
                values.append(.text(course))
            }
            if let person {
                filter.append("person_key = ?")
                values.append(.text(person))
            }
            let condition = filter.isEmpty ? "" : " WHERE " + filter.joined(separator: " AND ")
            return try reader.rows(
                "SELECT \(FeedMembershipState.columns) FROM \(FeedStateTables.membership)\(condition) ORDER BY course_key, person_key",
                values
            ).map(FeedMembershipState.init(row:))
        }
    }

    /// The days of a retention period written `365d`.
    public static func retentionDays(_ text: String) throws(FeedError) -> Int {
        guard text.hasSuffix("d"), let days = Int(text.dropLast()), days >= 0 else {
            throw .invalidRetention(text)
        }
        return days
    }

    /// Removes the disabled records whose `disabled_at` is older than `olderThan` (`365d`) from the state
    /// table; returns how many (counted, not removed, with `dryRun`). Enabled records are never purged.
    public func purge(baseID: Int64, olderThan: String, dryRun: Bool, now: Date = Date()) throws -> Int64 {
        let days = try Self.retentionDays(olderThan)
        let (seconds, overflow) = days.multipliedReportingOverflow(by: 86_400)
        // A period longer than any date can be apart purges nothing.
        let cutoff = overflow || seconds > 400 * 365 * 86_400 ? nil : now.addingTimeInterval(-Double(seconds))
        try hosting.requireActive(baseID: baseID)
        try hosting.registry.acquire(.automatic(baseID: baseID))
        defer { try? hosting.registry.releaseLock(baseID: baseID) }
        guard let cutoff,
            try hosting.establishments.read(baseID: baseID, { try $0.tableNames() }).contains(
                FeedStateTables.membership)
        else { return 0 }
        let limit = ISO8601DateFormatter().string(from: cutoff)
        var count: Int64 = 0
        let condition = "row_status = 'disabled' AND disabled_at IS NOT NULL AND disabled_at < ?"
        try hosting.establishments.write(baseID: baseID) { writer in
            count =
                try writer.rows("SELECT COUNT(*) FROM \(FeedStateTables.membership) WHERE \(condition)", [.text(limit)])
                .first?.first?.integerValue ?? 0
            if !dryRun {
                try writer.run("DELETE FROM \(FeedStateTables.membership) WHERE \(condition)", [.text(limit)])
            }
        }
        return count
    }

    /// Declares the cross-listed set `set` as exactly `courses` (none: the set is removed). A course is in
    /// one set at most: a course of another set is refused by name.
    public func setCourseSet(baseID: Int64, set: String, courses: [String]) throws {
        guard FeedRunOptions.isName(set) else { throw FeedError.invalidName(option: "--set", value: set) }
        try hosting.requireActive(baseID: baseID)
        try hosting.registry.acquire(.automatic(baseID: baseID))
        defer { try? hosting.registry.releaseLock(baseID: baseID) }
        let existing = Set(try hosting.establishments.read(baseID: baseID) { try $0.tableNames() })
        try hosting.establishments.write(baseID: baseID) { writer in
            try FeedStateTables.create(missingFrom: existing, with: writer)
            try writer.run("DELETE FROM \(FeedStateTables.courseSet) WHERE set_key = ?", [.text(set)])
            for course in courses {
                if let other = try writer.rows(
                    "SELECT set_key FROM \(FeedStateTables.courseSet) WHERE course_key = ?", [.text(course)]
                ).first?.first?.textValue {
                    throw FeedError.courseInAnotherSet(course: course, set: other)
                }
                try writer.run(
                    "INSERT INTO \(FeedStateTables.courseSet) (course_key, set_key) VALUES (?, ?)",
                    [.text(course), .text(set)])
            }
        }
    }

    /// The cross-listed sets: set key → its courses.
    public func courseSets(baseID: Int64) throws -> [String: [String]] {
        try hosting.establishments.read(baseID: baseID) { reader in
            guard try reader.tableNames().contains(FeedStateTables.courseSet) else { return [:] }
            var sets: [String: [String]] = [:]
            for row in try reader.rows(
                "SELECT set_key, course_key FROM \(FeedStateTables.courseSet) ORDER BY set_key, course_key", [])
            {
                sets[row[0].textValue ?? "", default: []].append(row[1].textValue ?? "")
            }
            return sets
        }
    }
}
