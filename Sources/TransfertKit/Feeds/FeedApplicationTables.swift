import Foundation
import TransfertFormats

/// The application's own tables as a feed reads and writes them, through the profile's mapping: courses
/// and persons found by their SIS key, and the membership rows the feed keeps equal to its enabled,
/// available records. Names come from the profile, checked as plain names when it was loaded.
struct FeedApplicationTables {
    let mapping: FeedMapping.Membership
    let writer: any EstablishmentWriter

    /// A course or person found by key: its id, and the role column's value when roles are checked there.
    struct Found {
        var id: SQLValue
        var role: String?
    }

    enum Lookup {
        case found(Found)
        case missing
        case ambiguous(Int)
    }

    func course(_ key: String) throws -> Lookup {
        try find(mapping.course, key, roleColumn: nil)
    }

    func person(_ key: String) throws -> Lookup {
        let roles = mapping.roles
        return try find(mapping.person, key, roleColumn: roles?.where == .person ? roles?.column : nil)
    }

    private func find(_ entity: FeedMapping.Entity, _ key: String, roleColumn: String?) throws -> Lookup {
        let columns = [entity.id] + (roleColumn.map { [$0] } ?? [])
        let rows = try writer.rows(
            "SELECT \(columns.joined(separator: ", ")) FROM \(entity.table) WHERE \(entity.key) = ? LIMIT 2",
            [.text(key)])
        switch rows.count {
        case 0: return .missing
        case 1: return .found(Found(id: rows[0][0], role: roleColumn == nil ? nil : rows[0][1].textValue))
        default: return .ambiguous(rows.count)
        }
    }

    /// Makes the membership row exist (with `role` written when roles live in the membership table);
    /// returns how many rows that changed (0 when it already was so).
    @discardableResult
    func ensureMembership(course: SQLValue, person: SQLValue, role: String?) throws -> Int64 {
        let link = mapping.membership
        let exists = try !writer.rows(
            "SELECT 1 FROM \(link.table) WHERE \(link.courseColumn) = ? AND \(link.personColumn) = ?",
            [course, person]
        ).isEmpty
        let roleColumn = mapping.roles?.where == .membership ? mapping.roles?.column : nil
        if exists {
            if let roleColumn, let role {
                return try writer.run(
                    "UPDATE \(link.table) SET \(roleColumn) = ? WHERE \(link.courseColumn) = ? AND \(link.personColumn) = ?",
                    [.text(role), course, person])
            }
            return 0
        }
        if let roleColumn, let role {
            return try writer.run(
                "INSERT INTO \(link.table) (\(link.courseColumn), \(link.personColumn), \(roleColumn)) VALUES (?, ?, ?)",
                [course, person, .text(role)])
        } else {
            return try writer.run(
                "INSERT INTO \(link.table) (\(link.courseColumn), \(link.personColumn)) VALUES (?, ?)",
                [course, person])
        }
    }

    /// Removes the membership row, if there is one; returns how many rows that removed.
    @discardableResult
    func removeMembership(course: SQLValue, person: SQLValue) throws -> Int64 {
        let link = mapping.membership
        return try writer.run(
            "DELETE FROM \(link.table) WHERE \(link.courseColumn) = ? AND \(link.personColumn) = ?", [course, person])
    }
}
