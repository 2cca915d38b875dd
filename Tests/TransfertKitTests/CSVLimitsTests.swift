import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The streaming CSV reader's limits and chunk boundaries: every refusal names its line and field, and
/// what is read is exactly what the whole-file reader read.
@Suite("CSV limits and streaming")
struct CSVLimitsTests {
    static let header = CSVManifest.sacocheColumns.joined(separator: ";") + "\r\n"
    static func row(_ id: Int, denomination: String = "Collège Victor Hugo") -> String {
        "\(id);;1;Besançon;\(denomination);0250010A;Lefèvre;Agnès;agnes.lefevre@ac-besancon.fr;2019-09-02;base_\(id)\r\n"
    }

    func read(_ text: String) throws -> ReadManifest { try CSVManifestReader.read(Data(text.utf8), file: "bundle.csv") }
    func read(_ bytes: [UInt8]) throws -> ReadManifest { try CSVManifestReader.read(Data(bytes), file: "bundle.csv") }

    func refusal(_ body: () throws -> ReadManifest, sourceLocation: SourceLocation = #_sourceLocation)
        -> CSVManifestError?
    {
        do {
            let manifest = try body()
            Issue.record(
                "read \(manifest.rows.count) rows where a refusal was expected", sourceLocation: sourceLocation)
        } catch let error as CSVManifestError {
            return error
        } catch {
            Issue.record("not a CSVManifestError: \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    @Test func aFieldOfACellsLengthIsReadOneMoreIsRefusedWithItsLineAndField() throws {
        let longest = String(repeating: "é", count: CSVLimits.maximumFieldCharacters)
        #expect(try read(Self.header + Self.row(1, denomination: longest)).rows[0]["Dénomination"] == longest)
        let error = try #require(
            refusal { try read(Self.header + Self.row(1) + Self.row(2, denomination: longest + "x")) })
        #expect(error.line == 3)
        #expect(error.column?.hasPrefix("field 5") == true, "\(error)")
        #expect(error.description.contains("32767"), "\(error)")
    }

    @Test func aQuotedFieldOfQuotesOrOfLineBreaksCountsToo() throws {
        let quotes = "1;;\"" + String(repeating: "\"\"", count: CSVLimits.maximumFieldCharacters + 1) + "\"\r\n"
        #expect(refusal { try read(Self.header + quotes) }?.line == 2)
        let breaks = "1;;\"" + String(repeating: "\n", count: CSVLimits.maximumFieldCharacters + 1) + "\"\r\n"
        #expect(refusal { try read(Self.header + breaks) }?.line == 2, "the line where the field starts")
    }

    @Test func fieldsPerLineStopAtASpreadsheetsColumns() throws {
        let widest =
            Self.row(1).dropLast(2) + String(repeating: ";", count: CSVLimits.maximumFieldsPerLine - 11) + "\r\n"
        #expect(try read(Self.header + widest).rows.count == 1)
        let wider =
            Self.row(1).dropLast(2) + String(repeating: ";", count: CSVLimits.maximumFieldsPerLine - 10) + "\r\n"
        let error = try #require(refusal { try read(Self.header + wider) })
        #expect(error.line == 2 && error.column == "field \(CSVLimits.maximumFieldsPerLine + 1)", "\(error)")
        // The same in the header, and on a line of separators alone.
        #expect(refusal { try read(String(repeating: ";", count: 100_000)) }?.line == 1)
    }

    @Test func rowsStopAtTheLimitWithTheLineNamed() throws {
        let rows = (1...CSVLimits.maximumRows).map { Self.row($0) }.joined()
        #expect(try read(Self.header + rows).rows.count == CSVLimits.maximumRows)
        let error = try #require(refusal { try read(Self.header + rows + Self.row(0)) })
        #expect(error.line == CSVLimits.maximumRows + 2, "\(error)")
    }

    @Test func whatTheRowsHoldIsBounded() throws {
        // 2,000 rows of eleven values of 2,000 characters: under the row limit, over what rows may hold.
        let value = String(repeating: "x", count: 2_000)
        let row = (Array(repeating: value, count: 11).joined(separator: ";") + "\r\n")
        let error = try #require(refusal { try read(Self.header + String(repeating: row, count: 2_000)) })
        #expect(error.line! > 2 && error.line! < 2_002 && error.description.contains("MiB"), "\(error)")
    }

    @Test func blankLinesAreCountedNotKept() throws {
        let manifest = try read(
            Self.header + String(repeating: "\r\n", count: 500_000) + String(repeating: ";;;;\n", count: 500_000)
                + Self.row(7))
        #expect(manifest.rows.map(\.line) == [1_000_002])
        #expect(manifest.rows[0]["Nom_fichier"] == "base_7")
    }

    @Test func theSeparatorIsRecognisedAfterMillionsOfBlankLines() throws {
        let text =
            String(repeating: "\r\n", count: 2_000_000)
            + (Self.header + Self.row(3)).replacingOccurrences(of: ";", with: ",")
        let manifest = try read(text)
        #expect(manifest.separator == .comma)
        #expect(manifest.rows.map(\.line) == [2_000_002])
        #expect(manifest.rows.first?["Nom_fichier"] == "base_3")
    }

    @Test func carriageReturnsAloneEndLines() throws {
        let manifest = try read((Self.header + Self.row(1) + Self.row(2)).replacingOccurrences(of: "\r\n", with: "\r"))
        #expect(manifest.rows.map(\.line) == [2, 3])
        #expect(manifest.rows.map { $0["Nom_fichier"] } == ["base_1", "base_2"])
    }

    /// Padding of blank lines puts the chunk boundary (1 MiB) inside `é`, `€`, `𝄞` or between their bytes.
    @Test(arguments: 0..<4)
    func utf8SequencesCutByAChunkAreReadWhole(shift: Int) throws {
        let name = "Cité €𝄞 Collège"
        let prefix = Array(Self.header.utf8)
        let rowBytes = Array(Self.row(1, denomination: name).utf8)
        let offset =
            rowBytes.count
            - Array(
                Self.row(1, denomination: name).utf8.split(
                    separator: UInt8(ascii: "C"), maxSplits: 1, omittingEmptySubsequences: false)[1]
            ).count
        let padding = CSVLimits.chunkBytes - prefix.count - offset - 3 + shift
        let bytes = prefix + Array(repeating: UInt8(ascii: "\n"), count: padding) + rowBytes
        let manifest = try read(bytes)
        #expect(manifest.encoding == .utf8)
        #expect(manifest.rows.first?["Dénomination"] == name)
    }

    @Test(arguments: [false, true])
    func utf16AcrossChunksKeepsSurrogatePairs(bigEndian: Bool) throws {
        let text =
            Self.header + String(repeating: "\r\n", count: 300_000) + Self.row(1, denomination: "𝄞 École 𝄞")
            + String(repeating: "\n", count: 700_001) + Self.row(2, denomination: "Œuvre 😀")
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        #expect(bytes.count > 2 * CSVLimits.chunkBytes)
        let manifest = try read(bytes)
        #expect(manifest.encoding == .utf16)
        #expect(manifest.rows.map { $0["Dénomination"] } == ["𝄞 École 𝄞", "Œuvre 😀"])
        #expect(manifest.rows.map(\.line) == [300_002, 1_000_004])
    }

    @Test func aWindows1252ByteFarIntoTheFileMakesItWindows1252() throws {
        // UTF-8 for the first chunks, one byte that is not: Windows-1252 throughout, as the whole-file check said.
        let utf8 = Array(repeating: UInt8(ascii: "\n"), count: 3 * CSVLimits.chunkBytes) + [0xC3, 0xA9]
        #expect(try CSVTextEncoding.sniff(.data(Data(utf8)), file: "x") == .utf8)
        #expect(try CSVTextEncoding.sniff(.data(Data(utf8 + [0xE9])), file: "x") == .windows1252)
        // A Windows-1252 file whose accented row comes after the first chunks.
        func latin(_ text: String) -> [UInt8] { text.unicodeScalars.map { $0 == "€" ? 0x80 : UInt8($0.value) } }
        let bytes =
            latin(Self.header) + Array(repeating: UInt8(ascii: "\n"), count: 3 * CSVLimits.chunkBytes)
            + latin(
                Self.row(2, denomination: "Collège du Cœur, 5 €").replacingOccurrences(of: "Œ", with: "O")
                    .replacingOccurrences(of: "œ", with: "oe"))
        let manifest = try read(bytes)
        #expect(manifest.encoding == .windows1252)
        #expect(manifest.rows.map { $0["Dénomination"] } == ["Collège du Coeur, 5 €"])
        #expect(manifest.rows.map { $0["Localisation"] } == ["Besançon"])
    }

    @Test func aDirectoryAndAnEndlessDeviceAreRefusedByName() throws {
        let directory = try TemporaryDirectory()
        let error = try #require(refusal { try CSVManifestReader.read(contentsOf: directory.url) })
        #expect(error.description.contains("cannot be read (it is a directory)"), "\(error)")
        // A character device has no size to check first: the streamed count refuses it.
        let endless = try #require(
            refusal { try CSVManifestReader.read(contentsOf: URL(fileURLWithPath: "/dev/zero")) })
        #expect(endless.description.contains("larger than 64 MiB"), "\(endless)")
    }

    @Test func theHeaderCellsThatAreNoColumnAreListedShortened() throws {
        let long = String(repeating: "Z", count: 30_000)
        let manifest = try read(Self.header.dropLast(1) + ";" + long + "\r\n" + Self.row(1))
        #expect(
            manifest.ignoredColumns.count == 1 && manifest.ignoredColumns[0].count <= CSVLimits.headerCellCharacters + 1
        )
        #expect(manifest.rows[0]["Nom_fichier"] == "base_1")
    }

    @Test func operationLogRedactionIsLinearOnLongWords() {
        // An import refused for a CSV of long values logs them; the password pattern used to rescan every
        // long word from each of its letters (hours for a few megabytes).
        let word = String(repeating: "x", count: 400_000)
        let redacted = OperationLog.hidePasswordInURLs(word + " mysql://op:Hunter2@db/x")
        #expect(redacted.hasPrefix(word) && redacted.hasSuffix(" mysql://op:<redacted>@db/x"), "\(redacted.suffix(60))")
        #expect(OperationLog.hidePasswordInURLs("see smtp://u:pw@relay") == "see smtp://u:<redacted>@relay")
    }
}

@Suite("Spreadsheet cells: formula injection")
struct SpreadsheetCellTests {
    @Test(arguments: [
        "=HYPERLINK(\"http://evil\";\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "  =1+1", "\u{A0}=1", "＝1+1", "＋1",
        "－1", "＠x", "'=1", "'",
    ])
    func formulasBecomeTextAndReadBack(value: String) {
        let cell = SpreadsheetCell.neutralised(value)
        #expect(cell == "'" + value)
        #expect(SpreadsheetCell.restored(cell) == value)
    }

    @Test(arguments: [
        "Collège Victor Hugo", "0250010A", "12", "", "a@b.fr", "x=1", "L'Haÿ-les-Roses", " ",
        "https://b.example.org/?id=3",
    ])
    func plainValuesAreKept(value: String) {
        #expect(SpreadsheetCell.neutralised(value) == value)
        #expect(SpreadsheetCell.restored(value) == value)
    }
}
