import Foundation
import TransfertModel

/// Reads a CSV manifest back the way operators really save it after editing it in a spreadsheet.
///
/// Accepted: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), Windows-1252 (what
/// Excel and LibreOffice write in French locales); `;`, `,` or tab as separator, detected from the
/// header; CRLF, LF or CR; RFC 4180 quoting; blank lines; trailing empty columns; unknown columns (ignored).
/// Columns are found by their header name, so a spreadsheet that moved one still reads. Read as a
/// stream (``CSVTableReader``) within ``CSVLimits``: any file is read in linear time and bounded memory,
/// or refused with its line and field.
///
/// ```swift
/// let manifest = try CSVManifestReader.read(contentsOf: URL(fileURLWithPath: "bundle.csv"))
/// for row in manifest.rows { print(row.line, row["Nom_fichier"]) }
/// ```
public enum CSVManifestReader {
    /// Reading more than this is not an edited manifest any more.
    public static let maximumBytes = CSVLimits.maximumBytes

    /// Reads the file as it streams: never more than a chunk of it in memory, and only the known
    /// columns of its rows kept (``CSVLimits``).
    public static func read(contentsOf url: URL) throws(CSVManifestError) -> ReadManifest {
        if let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
            let size = attributes[.size] as? NSNumber, size.int64Value > Int64(maximumBytes)
        {
            throw CSVByteSource.tooLarge(url.path)
        }
        return try read(.file(url), file: url.path)
    }

    public static func read(_ data: Data, file: String) throws(CSVManifestError) -> ReadManifest {
        try read(.data(data), file: file)
    }

    static func read(_ source: CSVByteSource, file: String) throws(CSVManifestError) -> ReadManifest {
        let reader = CSVTableReader(columns: CSVManifest.header, file: file)
        let table: CSVTableReader.Table
        do {
            table = try reader.read(source) { header in
                let missing = CSVManifest.sacocheColumns.filter { header.columnIndex[$0] == nil }
                if !missing.isEmpty {
                    throw CSVManifestError(
                        file: file, line: header.line, column: nil,
                        message:
                            "the header lacks the column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) (separator detected: \(header.separator.label)); the first line must be \(CSVManifest.sacocheColumns.joined(separator: ";"))"
                    )
                }
            }
        } catch let error as CSVManifestError {
            throw error
        } catch let error as CSVSyntaxError {
            throw CSVManifestError(file: file, line: error.line, column: error.column, message: error.message)
        } catch {
            throw CSVManifestError(file: file, line: nil, column: nil, message: String(describing: error))
        }
        guard let header = table.header else {
            throw CSVManifestError(
                file: file, line: nil, column: nil,
                message:
                    "the file is empty: expected the header line \(CSVManifest.sacocheColumns.joined(separator: ";"))")
        }
        let present = CSVManifest.header.indices.filter { header.columnIndex[CSVManifest.header[$0]] != nil }
        let columns = Set(present)  // one set, shared by every row
        let rows = table.rows.map { row in
            ManifestRow(line: row.line, fields: row.values, present: columns, fieldCount: row.fieldCount)
        }
        return ReadManifest(
            file: file, encoding: table.encoding, separator: table.separator,
            columns: present.map { CSVManifest.header[$0] },
            ignoredColumns: header.ignored, rows: rows)
    }

    static func sameColumn(_ canonical: String, _ name: String) -> Bool {
        CSVTableReader.sameColumn(canonical, name)
    }
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
