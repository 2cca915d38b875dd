import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// A seeded fuzzer over what reads an operator's CSV: `CSVManifestReader` and the field validators the
/// import applies to each row (`UAI`, `EmailAddress`, `CalendarDate`, ids). Whatever the bytes — random,
/// mixed encodings, unbalanced quotes, huge rows or fields — the reader returns rows or throws its typed
/// error with a message, never crashes and never hangs.
///
/// `make test` runs a quick subset (`TRANSFERT_FUZZ_COUNT`, 20,000 inputs by default);
/// `make test-reliability` runs a million. The same seed gives the same inputs.
@Suite("CSV fuzzing")
struct CSVFuzzTests {
    /// SplitMix64: small, fast, and the same sequence on every machine.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let valid = Array(
        #"""
        Id_Export;Id_Import;Id_Zone;Localisation;Dénomination;UAI;Contact_Nom;Contact_Prénom;Contact_Courriel;Date_Inscription;Nom_fichier;GUID
        1;;1;Besançon;Collège « Victor Hugo »;0250010A;Lefèvre;Agnès;agnes.lefevre@ac-besancon.fr;2024-09-02;base_1;4645d56b-7941-4382-bfc1-fe18538eb1e2
        2;7;2;"Lyon; 3e";"Lycée ""Ampère""";0690026D;N'Diaye;Zoé;zoe@example.org;2012-03-11;base_2;

        """#.utf8)

    static let alphabet: [UInt8] =
        Array(";,\t\"\r\n'éà«»0123456789AZaz@.- ".utf8) + [0x00, 0xFF, 0xFE, 0xEF, 0xBB, 0xBF, 0x80, 0xC3]

    /// One input: random bytes, a mutated valid CSV, or a structured stress case.
    static func input(_ g: inout Generator) -> [UInt8] {
        switch g.next() % 6 {
        case 0:  // random bytes, mostly from the characters that matter to a CSV reader
            let count = Int(g.next() % 600)
            return (0..<count).map { _ in
                g.next() % 4 == 0
                    ? UInt8(truncatingIfNeeded: g.next()) : alphabet[Int(g.next() % UInt64(alphabet.count))]
            }
        case 1, 2:  // a valid CSV, mutated in a few places
            var bytes = valid
            for _ in 0..<(1 + Int(g.next() % 6)) {
                let position = Int(g.next() % UInt64(bytes.count + 1))
                switch g.next() % 4 {
                case 0: bytes.insert(alphabet[Int(g.next() % UInt64(alphabet.count))], at: position)
                case 1: if position < bytes.count { bytes.remove(at: position) }
                case 2: if position < bytes.count { bytes[position] = UInt8(truncatingIfNeeded: g.next()) }
                default:  // quotes
                    bytes.insert(contentsOf: Array(repeating: 0x22, count: 1 + Int(g.next() % 3)), at: position)
                }
            }
            return bytes
        case 3:  // another encoding: UTF-16 (with its BOM, maybe an odd length) or Windows-1252
            let text = String(decoding: valid, as: UTF8.self)
            if g.next() % 2 == 0 {
                var bytes: [UInt8] = [0xFF, 0xFE]
                for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
                if g.next() % 3 == 0 { bytes.removeLast() }
                return bytes
            }
            return Array(text.data(using: .windowsCP1252, allowLossyConversion: true) ?? Data())
        case 4:  // a header, then rows of random lengths and widths
            var bytes = Array(valid.prefix { $0 != 0x0A }) + [0x0A]
            for _ in 0..<Int(g.next() % 40) {
                let fields = Int(g.next() % 20)
                bytes +=
                    Array((0..<fields).map { _ in String(g.next() % 1000) }.joined(separator: ";").utf8) + [0x0D, 0x0A]
            }
            return bytes
        default:  // a line break or separator in quotes, unclosed
            return valid + Array("3;;1;\"Dole\n;".utf8)
                + (0..<Int(g.next() % 50)).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] }
        }
    }

    /// Reads `bytes` as `import` would, and runs the validators on every field of every row.
    static func exercise(_ bytes: [UInt8]) -> Bool {
        do {
            let manifest = try CSVManifestReader.read(Data(bytes), file: "fuzz.csv")
            for row in manifest.rows {
                _ = try? UAI(validating: row["UAI"])
                _ = try? EmailAddress(validating: row["Contact_Courriel"])
                _ = try? CalendarDate(parsing: row["Date_Inscription"])
                _ = Int64(row["Id_Import"])
                _ = UUID(uuidString: row["GUID"])
            }
            return true
        } catch {
            #expect(!error.description.isEmpty, "every refusal says something")
            return false
        }
    }

    static var count: Int {
        Int(ProcessInfo.processInfo.environment["TRANSFERT_FUZZ_COUNT"] ?? "") ?? 20_000
    }

    @Test func randomAndMutatedInputsAreReadOrRefusedWithAMessage() {
        var g = Generator(state: 2026_11_25)
        var read = 0
        var refused = 0
        for _ in 0..<Self.count {
            if Self.exercise(Self.input(&g)) { read += 1 } else { refused += 1 }
        }
        #expect(read + refused == Self.count)
        #expect(read > 0 && refused > 0, "the inputs reach both outcomes (read \(read), refused \(refused))")
    }

    @Test func largeInputsAreReadInTimeThatGrowsWithTheirSize() throws {
        let header = Array(Self.valid.prefix { $0 != 0x0A }) + [0x0A]
        let row = Array("1;;1;Besançon;Collège;0250010A;Lefèvre;Agnès;a@example.org;2024-09-02;base_1;\r\n".utf8)
        // As many rows as the limit allows (CSVLimits.maximumRows), and one more: refused with its line.
        var rows = header
        for _ in 0..<CSVLimits.maximumRows { rows += row }
        let manifest = try CSVManifestReader.read(Data(rows), file: "rows.csv")
        #expect(manifest.rows.count == CSVLimits.maximumRows)
        #expect(throws: CSVManifestError.self) { try CSVManifestReader.read(Data(rows + row), file: "rows.csv") }
        // 10,000 columns on one line.
        let wide = header + Array(repeating: Array("x;".utf8), count: 10_000).flatMap { $0 } + [0x0A]
        #expect(Self.exercise(wide))
        // One 50 MB field, quoted: refused at the cell limit (32,767 characters), not read; and an unclosed
        // quote over 10 MB: linear, no backtracking.
        let big =
            header + Array("1;;1;\"".utf8) + Array(repeating: UInt8(ascii: "a"), count: 50_000_000)
            + Array("\";x\n".utf8)
        #expect(!Self.exercise(big))
        func seconds(_ bytes: [UInt8]) -> Double {
            let start = Date()
            _ = Self.exercise(bytes)
            return Date().timeIntervalSince(start)
        }
        // The shapes that drove the whole-file reader to gigabytes: millions of blank lines, CR alone, a
        // line of separators, of quotes, of one letter; in UTF-16 too. Each read or refused, never kept whole.
        let shapes: [[UInt8]] = [
            header + Array(repeating: 0x0A, count: 4_000_000),
            header + Array(repeating: 0x0D, count: 4_000_000),
            header + Array(repeating: UInt8(ascii: ";"), count: 4_000_000),
            header + Array("1;\"".utf8) + Array(repeating: UInt8(ascii: "\""), count: 4_000_000),
            header + Array(repeating: UInt8(ascii: "x"), count: 4_000_000),
            [0xFF, 0xFE] + (header + Array(repeating: UInt8(ascii: ";"), count: 1_000_000)).flatMap { [$0, 0] },
        ]
        for shape in shapes { _ = Self.exercise(shape) }
        let unclosed = { (size: Int) in header + Array("1;\"".utf8) + Array(repeating: UInt8(ascii: ";"), count: size) }
        let small = seconds(unclosed(1_000_000))
        let large = seconds(unclosed(10_000_000))
        #expect(large < max(small, 0.05) * 40, "10× the input took \(large / max(small, 0.001))× the time: not linear")
    }
}
