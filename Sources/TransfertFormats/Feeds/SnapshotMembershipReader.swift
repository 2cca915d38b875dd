import Foundation

/// Reads a Blackboard membership snapshot flat file: pipe-delimited, a header line naming the fields,
/// one membership per line. Streams: the file is never held, whatever its size.
///
/// A file-level fault (no header, a wrong delimiter, a missing or unknown column, invalid UTF-8, a line
/// past ``FeedLineReader/maximumLineBytes``) throws ``FeedFileError``; a row-level one (a wrong number of
/// fields, an empty key, an unknown `ROW_STATUS` or `AVAILABLE_IND`) is handed on as
/// ``MembershipRow/failed(_:)`` and the reading goes on.
public struct SnapshotMembershipReader: MembershipSource {
    public let url: URL
    public let file: String

    public init(url: URL, file: String? = nil) {
        self.url = url
        self.file = file ?? url.path
    }

    public func forEachRow(_ body: (MembershipRow) throws -> Void) throws {
        var header: SnapshotHeader?
        try FeedLineReader(url: url, file: file).forEachLine { text, line in
            guard let columns = header else {
                header = try SnapshotHeader(line: text, file: file)
                return
            }
            if text.allSatisfy({ $0 == " " || $0 == "\t" }) { return }
            try body(Self.row(text, line: line, header: columns))
        }
        if header == nil { throw FeedFileError.empty(file: file) }
    }

    /// One data line as a record, or as the failure of its first faulty field.
    static func row(_ text: String, line: Int, header: SnapshotHeader) -> MembershipRow {
        let fields = text.split(separator: "|", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard fields.count == header.count else {
            return .failed(
                FeedRowFailure(
                    line: line, field: "(line)",
                    reason:
                        "the line has \(fields.count) field(s) where the header has \(header.count); check its '|' separators"
                ))
        }
        func optional(_ index: Int?) -> String? { index.map { fields[$0] }.flatMap { $0.isEmpty ? nil : $0 } }
        let course = fields[header.course]
        let person = fields[header.person]
        func failure(_ field: String, _ value: String?, _ reason: String) -> MembershipRow {
            .failed(
                FeedRowFailure(
                    line: line, field: field, value: value, reason: reason,
                    courseKey: course.isEmpty ? nil : course, personKey: person.isEmpty ? nil : person))
        }
        if course.isEmpty { return failure(header.courseField, nil, "the course key is empty") }
        if person.isEmpty { return failure(SnapshotHeader.person, nil, "the person key is empty") }
        var record = MembershipRecord(line: line, courseKey: course, personKey: person, role: optional(header.role))
        if let value = optional(header.available) {
            switch value.uppercased() {
            case "Y": record.available = true
            case "N": record.available = false
            default: return failure(SnapshotHeader.available, value, "AVAILABLE_IND is Y or N")
            }
        }
        if let value = optional(header.rowStatus) {
            guard let status = RowStatus(field: value) else {
                return failure(SnapshotHeader.rowStatus, value, "ROW_STATUS is enabled or disabled")
            }
            record.rowStatus = status
        }
        record.dataSource = optional(header.newDataSource) ?? optional(header.dataSource)
        return .record(record)
    }
}
