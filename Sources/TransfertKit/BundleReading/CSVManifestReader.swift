import Foundation

/// Reads a CSV manifest back the way operators really save it after editing it in a spreadsheet.
///
/// Accepted: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), Windows-1252 (what
/// Excel and LibreOffice write in French locales); `;`, `,` or tab as separator, detected from the
/// header; CRLF or LF; RFC 4180 quoting; blank lines; trailing empty columns; unknown columns (ignored).
/// Columns are found by their header name, so a spreadsheet that moved one still reads.
///
/// ```swift
/// let manifest = try CSVManifestReader.read(contentsOf: URL(fileURLWithPath: "bundle.csv"))
/// for row in manifest.rows { print(row.line, row["Nom_fichier"]) }
/// ```
public enum CSVManifestReader {
    /// Reading more than this is not an edited manifest any more.
    public static let maximumBytes = 64 * 1024 * 1024

    public static func read(contentsOf url: URL) throws(CSVManifestError) -> ReadManifest {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            if let size = attributes[.size] as? NSNumber, size.intValue > maximumBytes {
                throw CSVManifestError(file: url.path, line: nil, column: nil, message: "the file is larger than \(maximumBytes / 1024 / 1024) MiB: it is not a Transfert CSV manifest")
            }
            data = try Data(contentsOf: url)
        } catch let error as CSVManifestError {
            throw error
        } catch {
            throw CSVManifestError(file: url.path, line: nil, column: nil, message: "cannot be read (\(FileManager.default.fileExists(atPath: url.path) ? "permission denied" : "no such file"))")
        }
        return try read(data, file: url.path)
    }

    public static func read(_ data: Data, file: String) throws(CSVManifestError) -> ReadManifest {
        let (text, encoding) = decode(data)
        let records: [CSVRecord]
        let separator: CSVSeparator
        do {
            separator = detectSeparator(text)
            records = try parseRecords(text, separator: separator.character)
        } catch let error as CSVSyntaxError {
            throw CSVManifestError(file: file, line: error.line, column: error.column, message: error.message)
        } catch {
            throw CSVManifestError(file: file, line: nil, column: nil, message: String(describing: error))
        }
        guard let headerRecord = records.first(where: { !$0.isBlank }) else {
            throw CSVManifestError(file: file, line: nil, column: nil, message: "the file is empty: expected the header line \(CSVManifest.sacocheColumns.joined(separator: ";"))")
        }
        // Columns by canonical name; a header cell is matched ignoring case, accents' composition and spaces.
        var columnIndex: [String: Int] = [:]
        var ignored: [String] = []
        for (index, rawName) in headerRecord.fields.enumerated() {
            let name = rawName.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { continue }
            guard let canonical = CSVManifest.header.first(where: { sameColumn($0, name) }) else {
                ignored.append(name)
                continue
            }
            if columnIndex[canonical] != nil {
                throw CSVManifestError(file: file, line: headerRecord.line, column: canonical, message: "the column \(canonical) appears twice in the header: keep one")
            }
            columnIndex[canonical] = index
        }
        let missing = CSVManifest.sacocheColumns.filter { columnIndex[$0] == nil }
        if !missing.isEmpty {
            throw CSVManifestError(
                file: file, line: headerRecord.line, column: nil,
                message: "the header lacks the column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) (separator detected: \(separator.label)); the first line must be \(CSVManifest.sacocheColumns.joined(separator: ";"))")
        }
        let rows = records.drop(while: { $0.line != headerRecord.line }).dropFirst().filter { !$0.isBlank }.map { record in
            ManifestRow(line: record.line, values: columnIndex.mapValues { index in
                index < record.fields.count ? record.fields[index].trimmingCharacters(in: .whitespaces) : ""
            }, fieldCount: (record.fields.lastIndex { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? -1) + 1)
        }
        return ReadManifest(file: file, encoding: encoding, separator: separator, columns: CSVManifest.header.filter { columnIndex[$0] != nil },
                            ignoredColumns: ignored, rows: rows)
    }

    static func sameColumn(_ canonical: String, _ name: String) -> Bool {
        canonical.precomposedStringWithCanonicalMapping.caseInsensitiveCompare(name.precomposedStringWithCanonicalMapping) == .orderedSame
    }

    // MARK: Encoding

    static func decode(_ data: Data) -> (String, CSVEncoding) {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return (String(decoding: bytes.dropFirst(3), as: UTF8.self), .utf8BOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]), let text = String(data: data.dropFirst(2), encoding: .utf16LittleEndian) {
            return (text, .utf16)
        }
        if bytes.starts(with: [0xFE, 0xFF]), let text = String(data: data.dropFirst(2), encoding: .utf16BigEndian) {
            return (text, .utf16)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return (text, .utf8)
        }
        return (decodeWindows1252(bytes), .windows1252)
    }

    /// Windows-1252: Latin-1 but for 0x80–0x9F, where it puts €, typographic quotes, Œ, œ, Ÿ…
    static func decodeWindows1252(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes {
            let value: UInt32 = (0x80...0x9F).contains(byte) ? windows1252High[Int(byte - 0x80)] : UInt32(byte)
            scalars.append(Unicode.Scalar(value)!)
        }
        return String(scalars)
    }

    /// 0x80…0x9F; the five unassigned bytes keep their C1 code point, as browsers do.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    // MARK: Separator

    /// The candidate that splits the header into the most known column names; `;` when none does.
    static func detectSeparator(_ text: String) -> CSVSeparator {
        let firstLine = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .first.map(String.init) ?? ""
        var best = CSVSeparator.semicolon
        var bestScore = 0
        for candidate in CSVSeparator.allCases {
            let fields = (try? parseRecords(firstLine, separator: candidate.character).first?.fields) ?? []
            let score = fields.filter { field in CSVManifest.header.contains { sameColumn($0, field.trimmingCharacters(in: .whitespaces)) } }.count
            if score > bestScore { best = candidate; bestScore = score }
        }
        return best
    }

    // MARK: RFC 4180

    /// Splits text into records, keeping each record's first line number. Quoted fields may hold the
    /// separator, doubled quotes and line breaks.
    static func parseRecords(_ text: String, separator: Unicode.Scalar) throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1, column = 1
        var recordLine = 1
        var quoted = false          // inside a quoted field
        var afterClosingQuote = false
        var quoteLine = 1, quoteColumn = 1
        var fieldStarted = false
        var previousWasCR = false

        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            afterClosingQuote = false
            fieldStarted = false
        }
        func endRecord() {
            endField()
            records.append(CSVRecord(line: recordLine, fields: fields))
            fields = []
        }

        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            defer {
                if scalar == "\n" || scalar == "\r" {
                    if !(scalar == "\n" && previousWasCR) { line += 1 }
                    column = 1
                } else {
                    column += 1
                }
                previousWasCR = scalar == "\r"
            }
            if quoted {
                if scalar == "\"" {
                    if index < scalars.count, scalars[index] == "\"" {
                        field.append("\"")
                        index += 1
                        column += 1
                    } else {
                        quoted = false
                        afterClosingQuote = true
                    }
                } else {
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case separator:
                endField()
            case "\r", "\n":
                if scalar == "\n" && previousWasCR { continue } // the LF of a CRLF
                endRecord()
                recordLine = line + 1
            case "\"" where !fieldStarted:
                quoted = true
                fieldStarted = true
                quoteLine = line
                quoteColumn = column
            default:
                if afterClosingQuote {
                    if scalar == " " || scalar == "\t" { continue } // spaces after a closing quote
                    throw CSVSyntaxError(line: line, column: "character \(column)",
                                         message: "unexpected '\(scalar)' after a closing quote: a quoted field must end at the separator")
                }
                field.append(scalar)
                fieldStarted = true
            }
        }
        if quoted {
            throw CSVSyntaxError(line: quoteLine, column: "character \(quoteColumn)", message: "a quoted field is never closed (a missing '\"')")
        }
        if fieldStarted || !fields.isEmpty || !field.isEmpty || afterClosingQuote { endRecord() }
        return records
    }
}

/// One record of the CSV, as split by the parser.
struct CSVRecord {
    var line: Int
    var fields: [String]
    /// Empty lines, and lines of empty cells a spreadsheet leaves (`;;;;`).
    var isBlank: Bool { fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
}

struct CSVSyntaxError: Error {
    var line: Int
    var column: String
    var message: String
}

/// The text encoding a CSV manifest was found in.
public enum CSVEncoding: String, Codable, Sendable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 with BOM"
    case utf16 = "UTF-16"
    case windows1252 = "Windows-1252"
}

public enum CSVSeparator: String, Codable, Sendable, CaseIterable {
    case semicolon = ";"
    case comma = ","
    case tab = "\t"

    var character: Unicode.Scalar { rawValue.unicodeScalars.first! }
    public var label: String { self == .tab ? "tab" : "'\(rawValue)'" }
}

/// A CSV manifest as read: its rows by column name, and how it was saved.
public struct ReadManifest: Sendable {
    public var file: String
    public var encoding: CSVEncoding
    public var separator: CSVSeparator
    /// The known columns present, in canonical order.
    public var columns: [String]
    /// Header cells that are not Transfert columns (ignored).
    public var ignoredColumns: [String]
    public var rows: [ManifestRow]

    public func hasColumn(_ name: String) -> Bool { columns.contains(name) }
}

/// One establishment row of the CSV, with its line number in the file.
public struct ManifestRow: Sendable, Equatable {
    /// The line where the row starts (1 is the header).
    public var line: Int
    /// Trimmed values by canonical column name; absent columns read as "".
    public var values: [String: String]
    /// How many fields the line holds, trailing empty ones left out: more than the header's means a
    /// separator written raw inside a value (SACoche writes values without quoting).
    public var fieldCount: Int

    public init(line: Int, values: [String: String], fieldCount: Int? = nil) {
        self.line = line
        self.values = values
        self.fieldCount = fieldCount ?? values.count
    }

    public subscript(column: String) -> String { values[column] ?? "" }
}

/// A CSV manifest that cannot be read, with the place and what to do.
public struct CSVManifestError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// A column name, or "character N" for a syntax error.
    public var column: String?
    public var message: String

    public var description: String {
        var place = file
        if let line { place += ", line \(line)" }
        if let column { place += ", \(column)" }
        return "\(place): \(message)"
    }
}
