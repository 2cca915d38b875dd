import Foundation

/// One row of `enrollments.csv`, checked: what a feed needs of it, before its class and user are
/// resolved to keys. A row that cannot be used is a ``FeedRowFailure`` with its line and field.
public struct OneRosterEnrollment: Equatable, Sendable {
    public var line: Int
    public var sourcedId: String
    /// `active` or `tobedeleted`; blank (only in a bulk file) counts as active.
    public var toBeDeleted: Bool
    /// `dateLastModified` in milliseconds since 1970 (delta rows are applied in this order); `nil` when
    /// blank (bulk files may leave it blank).
    public var modified: Int64?
    public var classSourcedId: String
    public var userSourcedId: String
    public var role: String

    /// A row read: usable, or failed with its line and field.
    public enum Parsed: Equatable, Sendable {
        case row(OneRosterEnrollment)
        case failed(FeedRowFailure)
    }

    /// The columns of OneRoster 1.1's `enrollments.csv`, in the specification's order.
    public static let columns = [
        "sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId", "role",
        "primary", "beginDate", "endDate",
    ]

    /// Refuses a header without every column of the specification, or with a column it does not define
    /// (extension columns start with `metadata.` and are ignored).
    public static func check(_ header: OneRosterCSVFile.Header, file: String) throws(OneRosterFileError) {
        try OneRosterCSVFile.require(columns, in: header, file: file)
        let known = Set(columns.map { $0.lowercased() })
        for name in header.positions.keys.sorted() where !known.contains(name) && !name.hasPrefix("metadata.") {
            throw .unknownColumn(file: file, column: name, known: columns)
        }
    }

    /// The row, or the failure of its first faulty field. The failure names the row's `sourcedId` in
    /// its value when it can.
    public static func parse(
        _ fields: [String], line: Int, header: OneRosterCSVFile.Header, processing: OneRosterProcessing
    ) -> Parsed {
        guard fields.count == header.count else {
            return .failed(
                FeedRowFailure(
                    line: line, field: "(line)",
                    reason:
                        "the line has \(fields.count) field(s) where the header has \(header.count); check its commas and quotes"
                ))
        }
        func value(_ column: String) -> String {
            header.position(of: column).map { fields[$0].trimmingCharacters(in: .whitespaces) } ?? ""
        }
        func fail(_ column: String, _ reason: String) -> Parsed {
            let text = value(column)
            return .failed(FeedRowFailure(line: line, field: column, value: text.isEmpty ? nil : text, reason: reason))
        }
        for column in ["sourcedId", "classSourcedId", "userSourcedId", "role"] where value(column).isEmpty {
            return fail(column, "\(column) is required and empty")
        }
        var toBeDeleted = false
        switch value("status").lowercased() {
        case "active": break
        case "tobedeleted": toBeDeleted = true
        case "":
            if processing == .delta { return fail("status", "a delta row needs a status: active or tobedeleted") }
        default: return fail("status", "status is active or tobedeleted (OneRoster 1.1)")
        }
        var modified: Int64?
        let date = value("dateLastModified")
        if date.isEmpty {
            if processing == .delta {
                return fail("dateLastModified", "a delta row needs dateLastModified: delta rows apply in its order")
            }
        } else {
            guard let milliseconds = OneRosterDate.milliseconds(ofDateTime: date) else {
                return fail("dateLastModified", "not an ISO 8601 date-time such as 2026-09-01T08:00:00Z")
            }
            modified = milliseconds
        }
        switch value("primary").lowercased() {
        case "", "true", "false": break
        default: return fail("primary", "primary is true or false")
        }
        for column in ["beginDate", "endDate"] where !value(column).isEmpty && !OneRosterDate.isDate(value(column)) {
            return fail(column, "not a date such as 2026-09-01 (YYYY-MM-DD)")
        }
        return .row(
            OneRosterEnrollment(
                line: line, sourcedId: value("sourcedId"), toBeDeleted: toBeDeleted, modified: modified,
                classSourcedId: value("classSourcedId"), userSourcedId: value("userSourcedId"), role: value("role")))
    }
}
