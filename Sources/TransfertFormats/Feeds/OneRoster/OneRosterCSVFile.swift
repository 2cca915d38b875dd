import Foundation

/// One CSV file of a OneRoster package, read line by line and never held: its header (names compared
/// without regard to case) and each data row with its line number. Blank lines are skipped; BOM, CRLF,
/// invalid UTF-8 and over-long lines are handled by ``FeedLineReader``.
public struct OneRosterCSVFile {
    public let url: URL
    /// The file's name in messages (`package.zip:enrollments.csv`).
    public let file: String

    public init(url: URL, file: String) {
        self.url = url
        self.file = file
    }

    /// The header: column name (lowercased) to position.
    public struct Header {
        public let positions: [String: Int]
        public let count: Int

        public func position(of column: String) -> Int? { positions[column.lowercased()] }
    }

    /// A data line: its fields, or why it is not CSV (the caller decides whether that fails the row or
    /// the file).
    public enum Line {
        case fields([String])
        case malformed(reason: String)
    }

    /// Reads the header, checks it with `checkHeader` (which throws to refuse it), then hands on each
    /// data line. An empty file throws ``OneRosterFileError/empty(file:)``.
    public func forEachLine(
        checkHeader: (Header) throws -> Void, _ body: (_ line: Line, _ number: Int, _ header: Header) throws -> Void
    ) throws {
        var header: Header?
        try FeedLineReader(url: url, file: file).forEachLine { text, number in
            guard let columns = header else {
                let names: [String]
                switch OneRosterCSVLine.fields(text) {
                case .success(let fields): names = fields
                case .failure(let malformed):
                    throw OneRosterFileError.malformedLine(file: file, line: number, reason: malformed.reason)
                }
                var positions: [String: Int] = [:]
                for (position, name) in names.enumerated() {
                    let key = name.trimmingCharacters(in: .whitespaces).lowercased()
                    guard positions[key] == nil else {
                        throw OneRosterFileError.duplicateColumn(file: file, column: name)
                    }
                    positions[key] = position
                }
                let made = Header(positions: positions, count: names.count)
                try checkHeader(made)
                header = made
                return
            }
            if text.allSatisfy({ $0 == " " || $0 == "\t" }) { return }
            switch OneRosterCSVLine.fields(text) {
            case .success(let fields): try body(.fields(fields), number, columns)
            case .failure(let malformed): try body(.malformed(reason: malformed.reason), number, columns)
            }
        }
        if header == nil { throw OneRosterFileError.empty(file: file) }
    }

    /// Refuses a header without each of `required` (named as the specification spells them).
    public static func require(_ required: [String], in header: Header, file: String) throws(OneRosterFileError) {
        for column in required where header.position(of: column) == nil {
            throw .missingColumn(file: file, column: column)
        }
    }
}
