import Foundation
import TransfertFormats
import TransfertModel

/// How a SIS feed maps onto the establishment's own tables (the profile's `feeds:` key): which rows are
/// courses and persons, by which key the SIS names them, which table holds memberships, and what `ROLE`
/// means to the application.
///
/// ```yaml
/// feeds:
///   membership:
///     course: {table: user_groups, key: name, id: id}
///     person: {table: users, key: login, id: id}
///     membership: {table: memberships, course_column: group_id, person_column: user_id}
///     roles: {where: person, column: profile, values: {Student: student, Instructor: staff}}
/// ```
public struct FeedMapping: Codable, Sendable, Equatable {
    public var membership: Membership

    public struct Membership: Codable, Sendable, Equatable {
        public var course: Entity
        public var person: Entity
        public var membership: Link
        public var roles: Roles?
    }

    /// A table whose rows the SIS names by `key`; `id` is the column the membership table points at.
    public struct Entity: Codable, Sendable, Equatable {
        public var table: String
        public var key: String
        public var id: String
    }

    /// The application's membership table: one row per (course, person).
    public struct Link: Codable, Sendable, Equatable {
        public var table: String
        public var courseColumn: String
        public var personColumn: String

        enum CodingKeys: String, CodingKey {
            case table
            case courseColumn = "course_column"
            case personColumn = "person_column"
        }
    }

    /// What `ROLE` values mean: each maps onto an application value, which is either checked against the
    /// person's column (`where: person`: a row whose role does not match the person fails) or written
    /// into the membership table's column (`where: membership`).
    public struct Roles: Codable, Sendable, Equatable {
        public var `where`: Place
        public var column: String
        public var values: [String: String]

        public enum Place: String, Codable, Sendable { case person, membership }

        /// The application value of a file's `ROLE`, compared without regard to case.
        public func value(of role: String) -> String? {
            values.first { $0.key.caseInsensitiveCompare(role) == .orderedSame }?.value
        }
    }

    /// Why this mapping does not fit `schema`, one sentence per problem.
    func problems(against schema: DatabaseSchema) -> [String] {
        var problems: [String] = []
        let m = membership
        func check(_ table: String, _ column: String, _ key: String) {
            guard Self.isPlainName(table), Self.isPlainName(column) else {
                problems.append("feeds.membership.\(key) must name tables and columns with letters, digits and _")
                return
            }
            guard let columns = schema.table(named: table)?.columnNames else {
                problems.append("feeds.membership.\(key) names table \(table), which the schema does not declare")
                return
            }
            if !columns.contains(column) {
                problems.append("feeds.membership.\(key) names \(table).\(column), which the schema does not declare")
            }
        }
        check(m.course.table, m.course.key, "course.key")
        check(m.course.table, m.course.id, "course.id")
        check(m.person.table, m.person.key, "person.key")
        check(m.person.table, m.person.id, "person.id")
        check(m.membership.table, m.membership.courseColumn, "membership.course_column")
        check(m.membership.table, m.membership.personColumn, "membership.person_column")
        if let roles = m.roles {
            check(roles.where == .person ? m.person.table : m.membership.table, roles.column, "roles.column")
            if roles.values.isEmpty { problems.append("feeds.membership.roles.values maps no ROLE value") }
        }
        return problems
    }

    /// A name Transfert writes into its SQL unquoted, the same on every engine.
    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !name.isEmpty, name.count <= 64 else { return false }
        return (first == "_" || (first.isASCII && CharacterSet.letters.contains(first)))
            && name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
    }
}
