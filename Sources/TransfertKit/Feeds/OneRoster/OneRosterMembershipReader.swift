import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Reads a OneRoster 1.1 CSV package (a directory or a ZIP) as membership records: each enrollment of
/// `enrollments.csv`, its class resolved through `classes.csv` to the course key and its user through
/// `users.csv` to the person key (columns chosen by ``OneRosterSettings``). A bulk package is a complete
/// refresh (``operation`` is `.refresh`), a delta package a store whose `tobedeleted` rows disable.
///
/// Memory stays flat whatever the files' sizes: the three files are loaded into a scratch SQLite file
/// (classes and users by `sourcedId`, enrollments by line) and read back in pages of
/// ``pageSize`` rows — in line order for bulk, in `dateLastModified` order (then line) for delta.
/// The scratch file is as large as the three files together, in the system's temporary directory,
/// and removed at the end.
public final class OneRosterMembershipReader: MembershipSource {
    public let file: String
    public let manifest: OneRosterManifest
    public let settings: OneRosterSettings
    private let input: OneRosterInput
    static let pageSize = 1000

    /// Reads and checks `manifest.csv` (and inflates the ZIP): a package that cannot be used is refused
    /// here, before the establishment is touched.
    public init(url: URL, file: String? = nil, settings: OneRosterSettings = OneRosterSettings()) throws {
        self.file = file ?? url.path
        self.settings = settings
        input = try OneRosterInput(url: url, name: self.file)
        let manifestFile = try input.file("manifest.csv")
        manifest = try OneRosterManifest(url: manifestFile.url, file: manifestFile.file)
    }

    /// Bulk: the file is the whole truth (complete refresh); delta: a store.
    public var operation: SnapshotOperation { manifest.enrollments == .bulk ? .refresh : .store }

    public func forEachRow(_ body: (MembershipRow) throws -> Void) throws {
        let enrollments = try input.file("enrollments.csv")
        let classes = try input.file("classes.csv")
        let users = try input.file("users.csv")
        let scratch = try WorkDirectory.create(prefix: "transfert-oneroster")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let store = SQLiteEstablishmentStore(directory: scratch)
        try store.create(baseID: 1, schema: DatabaseSchema())
        try store.load(baseID: 1) { writer in
            try writer.execute(
                """
                CREATE TABLE keys (kind TEXT NOT NULL, sourced_id TEXT NOT NULL, key TEXT NOT NULL, line INTEGER NOT NULL,
                  PRIMARY KEY (kind, sourced_id));
                CREATE TABLE enrollments (line INTEGER PRIMARY KEY, sourced_id TEXT, modified INTEGER,
                  deleted INTEGER, class_id TEXT, user_id TEXT, role TEXT,
                  failure_field TEXT, failure_value TEXT, failure_reason TEXT);
                CREATE INDEX enrollments_sourced_id ON enrollments (sourced_id);
                """)
            try loadKeys(kind: "class", from: classes, column: settings.classColumn, into: writer)
            try loadKeys(kind: "user", from: users, column: settings.personColumn, into: writer)
            try loadEnrollments(from: enrollments, into: writer)
        }
        try store.read(baseID: 1) { reader in try emit(from: reader, enrollments: enrollments.file, body) }
    }

    // MARK: Loading

    /// `sourcedId` → key of one file. An empty key is kept (as '') so that an enrollment naming that row
    /// fails with the reason, not as "absent".
    private func loadKeys(
        kind: String, from csv: OneRosterCSVFile, column: String, into writer: any EstablishmentWriter
    ) throws {
        let checkHeader: (OneRosterCSVFile.Header) throws -> Void = { header in
            try OneRosterCSVFile.require(["sourcedId", column], in: header, file: csv.file)
        }
        try csv.forEachLine(checkHeader: checkHeader) { line, number, header in
            guard case .fields(let fields) = line else {
                if case .malformed(let reason) = line {
                    throw OneRosterFileError.malformedLine(file: csv.file, line: number, reason: reason)
                }
                return
            }
            guard fields.count == header.count else {
                throw OneRosterFileError.malformedLine(
                    file: csv.file, line: number,
                    reason: "the line has \(fields.count) field(s) where the header has \(header.count)")
            }
            let id = fields[header.position(of: "sourcedId") ?? 0].trimmingCharacters(in: .whitespaces)
            let key = fields[header.position(of: column) ?? 0].trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else {
                throw OneRosterFileError.badRow(
                    file: csv.file, line: number, column: "sourcedId", reason: "sourcedId is required and empty")
            }
            if let earlier = try writer.rows(
                "SELECT line FROM keys WHERE kind = ? AND sourced_id = ?", [.text(kind), .text(id)]
            ).first?.first?.integerValue {
                throw OneRosterFileError.duplicateSourcedId(
                    file: csv.file, line: number, earlierLine: Int(earlier), sourcedId: id)
            }
            try writer.run(
                "INSERT INTO keys (kind, sourced_id, key, line) VALUES (?, ?, ?, ?)",
                [.text(kind), .text(id), .text(key), .integer(Int64(number))])
        }
    }

    private func loadEnrollments(from csv: OneRosterCSVFile, into writer: any EstablishmentWriter) throws {
        let checkHeader: (OneRosterCSVFile.Header) throws -> Void = {
            try OneRosterEnrollment.check($0, file: csv.file)
        }
        try csv.forEachLine(checkHeader: checkHeader) { line, number, header in
            let parsed: OneRosterEnrollment.Parsed
            switch line {
            case .fields(let fields):
                parsed = OneRosterEnrollment.parse(
                    fields, line: number, header: header, processing: manifest.enrollments)
            case .malformed(let reason):
                parsed = .failed(FeedRowFailure(line: number, field: "(line)", reason: reason))
            }
            // Duplicates are refused whatever else is wrong with either row: which one is true is ambiguous.
            var sourcedId: String?
            if case .fields(let fields) = line, let position = header.position(of: "sourcedId"), position < fields.count
            {
                let id = fields[position].trimmingCharacters(in: .whitespaces)
                sourcedId = id.isEmpty ? nil : id
            }
            if let sourcedId,
                let earlier = try writer.rows("SELECT line FROM enrollments WHERE sourced_id = ?", [.text(sourcedId)])
                    .first?.first?.integerValue
            {
                throw OneRosterFileError.duplicateSourcedId(
                    file: csv.file, line: number, earlierLine: Int(earlier), sourcedId: sourcedId)
            }
            switch parsed {
            case .row(let row):
                try writer.run(
                    """
                    INSERT INTO enrollments (line, sourced_id, modified, deleted, class_id, user_id, role)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .integer(Int64(number)), .text(row.sourcedId), row.modified.map { .integer($0) } ?? .null,
                        .integer(row.toBeDeleted ? 1 : 0), .text(row.classSourcedId), .text(row.userSourcedId),
                        .text(row.role),
                    ])
            case .failed(let failure):
                try writer.run(
                    """
                    INSERT INTO enrollments (line, sourced_id, failure_field, failure_value, failure_reason)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                    [
                        .integer(Int64(number)), .orNull(sourcedId), .text(failure.field), .orNull(failure.value),
                        .text(failure.reason),
                    ])
            }
        }
    }

    // MARK: Emitting

    /// Hands on each enrollment in its order, a page at a time, resolved to keys.
    private func emit(
        from reader: any EstablishmentReader, enrollments file: String, _ body: (MembershipRow) throws -> Void
    ) throws {
        // Failed rows carry no date: they come first in a delta (sorting them as the smallest date), which
        // changes nothing since a failed row applies nothing.
        let order = manifest.enrollments == .delta ? "COALESCE(e.modified, -9223372036854775808)" : "0"
        var after: (order: Int64, line: Int64) = (Int64.min, 0)
        while true {
            let page = try reader.rows(
                """
                SELECT \(order) AS o, e.line, e.sourced_id, e.deleted, e.class_id, e.user_id, e.role,
                  e.failure_field, e.failure_value, e.failure_reason, c.key, u.key
                FROM enrollments e
                LEFT JOIN keys c ON c.kind = 'class' AND c.sourced_id = e.class_id
                LEFT JOIN keys u ON u.kind = 'user' AND u.sourced_id = e.user_id
                WHERE (\(order), e.line) > (?, ?) ORDER BY 1, e.line LIMIT \(Self.pageSize)
                """, [.integer(after.order), .integer(after.line)])
            guard let last = page.last else { return }
            after = (last[0].integerValue ?? 0, last[1].integerValue ?? 0)
            for row in page { try body(membershipRow(row)) }
        }
    }

    private func membershipRow(_ row: [SQLValue]) -> MembershipRow {
        let line = Int(row[1].integerValue ?? 0)
        if let field = row[7].textValue {
            return .failed(
                FeedRowFailure(line: line, field: field, value: row[8].textValue, reason: row[9].textValue ?? ""))
        }
        let classID = row[4].textValue ?? ""
        let userID = row[5].textValue ?? ""
        let course = row[10].textValue
        let person = row[11].textValue
        func fail(_ field: String, _ value: String, _ reason: String) -> MembershipRow {
            .failed(
                FeedRowFailure(
                    line: line, field: field, value: value, reason: reason,
                    courseKey: course.flatMap { $0.isEmpty ? nil : $0 },
                    personKey: person.flatMap { $0.isEmpty ? nil : $0 }))
        }
        guard let course else {
            return fail("classSourcedId", classID, "no class has this sourcedId in classes.csv")
        }
        guard let person else {
            return fail("userSourcedId", userID, "no user has this sourcedId in users.csv")
        }
        if course.isEmpty {
            return fail(
                "classSourcedId", classID,
                "this class has an empty \(settings.classColumn) in classes.csv, the column feeds.oneroster.class_key names"
            )
        }
        if person.isEmpty {
            return fail(
                "userSourcedId", userID,
                "this user has an empty \(settings.personColumn) in users.csv, the column feeds.oneroster.person_key names"
            )
        }
        return .record(
            MembershipRecord(
                line: line, courseKey: course, personKey: person, role: row[6].textValue,
                rowStatus: row[3].integerValue == 1 ? .disabled : .enabled))
    }
}
