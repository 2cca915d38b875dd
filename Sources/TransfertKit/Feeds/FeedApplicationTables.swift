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

    /// Makes the membership row exist (with `role` written when roles live in the membership table).
    func ensureMembership(course: SQLValue, person: SQLValue, role: String?) throws {
        let link = mapping.membership
        let exists = try !writer.rows(
            "SELECT 1 FROM \(link.table) WHERE \(link.courseColumn) = ? AND \(link.personColumn) = ?",
            [course, person]
        ).isEmpty
        let roleColumn = mapping.roles?.where == .membership ? mapping.roles?.column : nil
        if exists {
            if let roleColumn, let role {
                try writer.run(
                    "UPDATE \(link.table) SET \(roleColumn) = ? WHERE \(link.courseColumn) = ? AND \(link.personColumn) = ?",
                    [.text(role), course, person])
            }
            return
        }
        if let roleColumn, let role {
            try writer.run(
                "INSERT INTO \(link.table) (\(link.courseColumn), \(link.personColumn), \(roleColumn)) VALUES (?, ?, ?)",
                [course, person, .text(role)])
        } else {
            try writer.run(
                "INSERT INTO \(link.table) (\(link.courseColumn), \(link.personColumn)) VALUES (?, ?)",
                [course, person])
        }
    }

    /// Removes the membership row, if there is one.
    func removeMembership(course: SQLValue, person: SQLValue) throws {
        let link = mapping.membership
        try writer.run(
            "DELETE FROM \(link.table) WHERE \(link.courseColumn) = ? AND \(link.personColumn) = ?", [course, person])
    }

    /// Removes the membership row of a record named by keys (a record a refresh disables): nothing when the
    /// course or the person no longer exists, since then neither does the row.
    func removeMembership(courseKey: String, personKey: String) throws {
        guard case .found(let course) = try self.course(courseKey),
            case .found(let person) = try find(
                mapping.person, personKey, roleColumn: nil)
        else { return }
        try removeMembership(course: course.id, person: person.id)
    }
}
