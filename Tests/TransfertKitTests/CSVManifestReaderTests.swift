import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

@Suite("CSV manifest reader")
struct CSVManifestReaderTests {
    static let fullHeader = CSVManifest.header
    static let guid = "3f2c9a1e-0b4d-4c6e-8f10-2a3b4c5d6e7f"
    static let sha = String(repeating: "ab", count: 32)

    /// One establishment row in header order.
    static func fields(id: Int = 12, denomination: String = "Collège Victor Hugo", nomFichier: String? = nil)
        -> [String]
    {
        [
            String(id), "", "1", "Besançon", denomination, "0250010A", "Lefèvre", "Agnès",
            "agnes.lefevre@ac-besancon.fr",
            "2019-09-02", nomFichier ?? "base_\(id)", guid, "2026-09-01", sha,
        ]
    }

    static func text(_ records: [[String]], separator: String = ";", lineEnd: String = "\r\n") -> String {
        records.map { $0.joined(separator: separator) }.joined(separator: lineEnd) + lineEnd
    }

    func read(_ text: String) throws -> ReadManifest {
        try CSVManifestReader.read(Data(text.utf8), file: "bundle.csv")
    }

    func readError(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) -> CSVManifestError? {
        do {
            let manifest = try CSVManifestReader.read(data, file: "bundle.csv")
            Issue.record("read \(manifest.rows.count) rows where an error was expected", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test func exportedFileReadsBackAsUTF8WithEveryColumn() throws {
        let manifest = try read(
            Self.text([Self.fullHeader, Self.fields(id: 12), Self.fields(id: 15, denomination: "Lycée Pasteur")]))
        #expect(manifest.encoding == .utf8)
        #expect(manifest.separator == .semicolon)
        #expect(manifest.columns == CSVManifest.header)
        #expect(manifest.ignoredColumns.isEmpty)
        #expect(manifest.rows.map(\.line) == [2, 3])
        let row = try #require(manifest.rows.first)
        #expect(row["Id_Export"] == "12")
        #expect(row["Id_Import"] == "")
        #expect(row["Dénomination"] == "Collège Victor Hugo")
        #expect(row["Contact_Prénom"] == "Agnès")
        #expect(row["Nom_fichier"] == "base_12")
        #expect(row["GUID"] == Self.guid)
        #expect(row["SHA256"] == Self.sha)
        #expect(manifest.rows[1]["Dénomination"] == "Lycée Pasteur")
    }

    @Test func utf8WithBOM() throws {
        let data = Data([0xEF, 0xBB, 0xBF]) + Data(Self.text([Self.fullHeader, Self.fields()]).utf8)
        let manifest = try CSVManifestReader.read(data, file: "bundle.csv")
        #expect(manifest.encoding == .utf8BOM)
        #expect(manifest.columns.first == "Id_Export", "the BOM is not part of the first column's name")
        #expect(manifest.rows.count == 1)
        #expect(manifest.rows[0]["Id_Export"] == "12")
        #expect(manifest.rows[0]["Dénomination"] == "Collège Victor Hugo")
    }

    @Test func windows1252Bytes() throws {
        // What Excel writes in a French locale: é is 0xE9, € is 0x80, œ is 0x9C, ' is 0x92.
        func latin(_ text: String) -> [UInt8] {
            text.unicodeScalars.map { scalar -> UInt8 in
                switch scalar {
                case "é": return 0xE9
                case "è": return 0xE8
                case "ç": return 0xE7
                case "€": return 0x80
                case "œ": return 0x9C
                case "’": return 0x92
                default:
                    precondition(scalar.isASCII, "\(scalar)")
                    return UInt8(scalar.value)
                }
            }
        }
        var row = Self.fields()
        row[3] = "Besançon"
        row[4] = "Collège du Cœur, 5 € l’entrée"
        row[6] = "Lefèvre"
        row[7] = "Agnes"
        let bytes = latin(Self.text([Self.fullHeader, row]))
        #expect(String(validating: bytes, as: UTF8.self) == nil, "the test data is not valid UTF-8")
        let manifest = try CSVManifestReader.read(Data(bytes), file: "bundle.csv")
        #expect(manifest.encoding == .windows1252)
        #expect(manifest.columns == CSVManifest.header, "Dénomination and Contact_Prénom are found in Windows-1252")
        let read = try #require(manifest.rows.first)
        #expect(read["Localisation"] == "Besançon")
        #expect(read["Dénomination"] == "Collège du Cœur, 5 € l’entrée")
        #expect(read["Contact_Nom"] == "Lefèvre")
    }

    @Test(arguments: [(";", CSVSeparator.semicolon), (",", .comma), ("\t", .tab)])
    func separatorDetectedFromTheHeader(separator: String, expected: CSVSeparator) throws {
        var row = Self.fields()
        // The other candidate separators inside a value, quoted only when they are the separator.
        row[3] = "Saint-Denis, Réunion; île"
        if separator != "\t" { row[3] = "\"\(row[3])\"" }
        let manifest = try read(Self.text([Self.fullHeader, row], separator: separator))
        #expect(manifest.separator == expected)
        #expect(manifest.columns == CSVManifest.header)
        #expect(manifest.rows.count == 1)
        #expect(manifest.rows[0]["Localisation"] == "Saint-Denis, Réunion; île")
        #expect(manifest.rows[0]["Nom_fichier"] == "base_12")
        #expect(manifest.rows[0]["SHA256"] == Self.sha)
    }

    @Test(arguments: ["\r\n", "\n"])
    func crlfAndLFLineEnds(lineEnd: String) throws {
        let manifest = try read(
            Self.text([Self.fullHeader, Self.fields(id: 1), Self.fields(id: 2), Self.fields(id: 3)], lineEnd: lineEnd))
        #expect(manifest.rows.map(\.line) == [2, 3, 4])
        #expect(manifest.rows.map { $0["Nom_fichier"] } == ["base_1", "base_2", "base_3"])
        #expect(
            manifest.rows.map { $0["SHA256"] } == [Self.sha, Self.sha, Self.sha],
            "no CR is left at the end of the last field")
    }

    @Test func lastLineWithoutLineEnd() throws {
        var text = Self.text([Self.fullHeader, Self.fields(id: 1), Self.fields(id: 2)])
        text.removeLast()  // "\r\n" is one Character
        #expect(!text.hasSuffix("\n"))
        let manifest = try read(text)
        #expect(manifest.rows.map { $0["Nom_fichier"] } == ["base_1", "base_2"])
        #expect(manifest.rows[1]["SHA256"] == Self.sha)
    }

    @Test(arguments: ["\r\n", "\n"])
    func quotedFieldsWithSeparatorsQuotesAndLineBreaks(lineEnd: String) throws {
        var first = Self.fields(id: 1)
        first[4] = "\"Collège \"\"Le Château\"\" ; annexe\""
        var second = Self.fields(id: 2)
        second[3] = "\"Bâtiment A\(lineEnd)Rue des Écoles\(lineEnd)Besançon\""  // spans three lines
        second[4] = "\"\""
        var third = Self.fields(id: 3)
        third[4] = "\"L'Haÿ-les-Roses\""
        let manifest = try read(Self.text([Self.fullHeader, first, second, third], lineEnd: lineEnd))
        #expect(manifest.rows.count == 3)
        #expect(manifest.rows[0]["Dénomination"] == "Collège \"Le Château\" ; annexe")
        #expect(
            manifest.rows[1]["Localisation"] == "Bâtiment A\(lineEnd)Rue des Écoles\(lineEnd)Besançon",
            "line breaks are kept as written")
        #expect(manifest.rows[1]["Dénomination"] == "")
        #expect(manifest.rows[1]["Nom_fichier"] == "base_2", "the fields after a multi-line one stay in their columns")
        #expect(manifest.rows[2]["Dénomination"] == "L'Haÿ-les-Roses")
        #expect(manifest.rows.map(\.line) == [2, 3, 6], "the row after a three-line field starts on line 6")
    }

    @Test func blankLinesAndEmptyCellLinesAreSkipped() throws {
        let text =
            Self.fullHeader.joined(separator: ";") + "\r\n"
            + "\r\n"
            + Self.fields(id: 1).joined(separator: ";") + "\r\n"
            + ";;;;;;;;;;;;;\r\n"
            + "   \r\n"
            + Self.fields(id: 2).joined(separator: ";") + "\r\n"
            + ";;;;\r\n"
            + "\r\n"
        let manifest = try read(text)
        #expect(manifest.rows.map { $0["Nom_fichier"] } == ["base_1", "base_2"])
        #expect(manifest.rows.map(\.line) == [3, 6])
    }

    @Test func blankLinesBeforeTheHeaderAndTrailingEmptyColumns() throws {
        let text =
            "\r\n;;;;\r\n" + Self.fullHeader.joined(separator: ";") + ";;\r\n"
            + Self.fields(id: 4).joined(separator: ";") + ";;\r\n"
        let manifest = try read(text)
        #expect(manifest.columns == CSVManifest.header)
        #expect(manifest.rows.map(\.line) == [4])
        #expect(manifest.rows[0]["SHA256"] == Self.sha)
    }

    @Test func unknownColumnsAreIgnoredWhereverTheyAre() throws {
        var header = Self.fullHeader
        header.insert("Commentaire", at: 4)
        header.append("Vérifié par")
        var row = Self.fields(id: 7)
        row.insert("\"à revoir ; urgent\"", at: 4)
        row.append("M. Durand")
        let manifest = try read(Self.text([header, row]))
        #expect(manifest.ignoredColumns == ["Commentaire", "Vérifié par"])
        #expect(manifest.columns == CSVManifest.header)
        #expect(manifest.rows[0]["Dénomination"] == "Collège Victor Hugo", "columns are found by name, not position")
        #expect(manifest.rows[0]["Nom_fichier"] == "base_7")
        #expect(manifest.rows[0]["Commentaire"] == "")
    }

    @Test func columnsMovedAndRenamedInCaseStillRead() throws {
        var header = Self.fullHeader.map { $0 }
        header.swapAt(0, 10)
        header[4] = "DÉNOMINATION"
        var row = Self.fields(id: 9)
        row.swapAt(0, 10)
        let manifest = try read(Self.text([header, row]))
        #expect(manifest.rows[0]["Id_Export"] == "9")
        #expect(manifest.rows[0]["Nom_fichier"] == "base_9")
        #expect(manifest.rows[0]["Dénomination"] == "Collège Victor Hugo")
    }

    @Test func sacochesElevenColumnsAlone() throws {
        let header = CSVManifest.sacocheColumns
        let row = Array(Self.fields(id: 5).prefix(11))
        let manifest = try read(Self.text([header, row]))
        #expect(manifest.columns == CSVManifest.sacocheColumns)
        #expect(!manifest.hasColumn("GUID"))
        #expect(!manifest.hasColumn("SHA256"))
        #expect(manifest.rows[0]["Nom_fichier"] == "base_5")
        #expect(manifest.rows[0]["GUID"] == "", "an absent column reads as empty")
    }

    @Test func shortRowsReadMissingCellsAsEmpty() throws {
        let manifest = try read(Self.text([Self.fullHeader, Array(Self.fields(id: 5).prefix(11))]))
        #expect(manifest.rows[0]["Nom_fichier"] == "base_5")
        #expect(manifest.rows[0]["SHA256"] == "")
    }

    @Test func missingColumnIsNamed() throws {
        let header = Self.fullHeader.filter { $0 != "Nom_fichier" }
        let error = try #require(readError(Data(Self.text([header, Self.fields()]).utf8)))
        #expect(error.line == 1)
        #expect(error.message.contains("the header lacks the column Nom_fichier "), "\(error)")
        #expect(error.description.hasPrefix("bundle.csv, line 1: "), "\(error)")

        let two = Self.fullHeader.filter { $0 != "Id_Zone" && $0 != "UAI" }
        let both = try #require(readError(Data(Self.text([two]).utf8)))
        #expect(both.message.contains("columns Id_Zone, UAI"), "\(both)")
    }

    @Test func wrongSeparatorNamesWhatWasDetected() throws {
        let text = Self.fullHeader.joined(separator: "|") + "\r\n"
        let error = try #require(readError(Data(text.utf8)))
        #expect(error.message.contains("Id_Export"))
        #expect(error.message.contains("separator detected: ';'"), "\(error)")
    }

    @Test func emptyFile() throws {
        let error = try #require(readError(Data("\r\n;;;\r\n".utf8)))
        #expect(error.message.contains("the file is empty"), "\(error)")
    }

    @Test func duplicateColumnIsRefused() throws {
        let error = try #require(readError(Data(Self.text([Self.fullHeader + ["UAI"]]).utf8)))
        #expect(error.column == "UAI")
        #expect(error.message.contains("appears twice"))
    }

    @Test func unclosedQuoteGivesItsLine() throws {
        var broken = Self.fields(id: 2)
        broken[4] = "\"Collège Victor Hugo"
        let text = Self.text([Self.fullHeader, Self.fields(id: 1), broken, Self.fields(id: 3)])
        let error = try #require(readError(Data(text.utf8)))
        #expect(error.line == 3, "the line where the quote opens: \(error)")
        let column = "2;;1;Besançon;".count + 1
        #expect(error.column == "character \(column)", "\(error)")
        #expect(error.message.contains("never closed"), "\(error)")
        #expect(error.description.hasPrefix("bundle.csv, line 3, character \(column): "), "\(error)")
    }

    @Test func textAfterAClosingQuoteGivesItsLine() throws {
        var broken = Self.fields(id: 2)
        broken[4] = "\"Collège\" Victor Hugo"
        let text = Self.text([Self.fullHeader, Self.fields(id: 1), broken])
        let error = try #require(readError(Data(text.utf8)))
        #expect(error.line == 3, "\(error)")
        #expect(error.message.contains("after a closing quote"), "\(error)")
    }
}
