import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertModel

/// A seeded fuzzer over the SIS snapshot flat-file reader (issue #27): mutations of a valid membership
/// file — bytes flipped, inserted and deleted from an alphabet of delimiters, line ends, BOM pieces,
/// invalid UTF-8 and the fields' own values, lines duplicated, a line grown past the limit. Whatever the
/// bytes, the reader hands on rows in file order, each with its line, or throws its typed error naming
/// a line — never crashes, never hangs, never a row after a file-level error.
@Suite("Feed fuzzing")
struct FeedFuzzTests {
    static let valid = Array(
        """
        EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|ROLE|AVAILABLE_IND|ROW_STATUS|DATA_SOURCE_KEY
        6e A|lea.martin|Student|Y|enabled|SIS
        6e A|noe.durand|Student|N|ENABLED|SIS
        5e B|lea.martin|Instructor||disabled|
        4e C|zoé.lefèvre|Student|Y|Enabled|AUTRE

        """.utf8)

    static let alphabet: [UInt8] =
        Array("|,;\t\r\nYNyn EXTERNAL_COURSE_KEY ROW_STATUS enabled disabled éàè0123456789".utf8)
        + [0x00, 0xFF, 0xFE, 0xEF, 0xBB, 0xBF, 0x80, 0xC3]

    static var count: Int {
        Int(ProcessInfo.processInfo.environment["TRANSFERT_FUZZ_COUNT"] ?? "") ?? 3000
    }

    static func mutate(_ input: [UInt8], _ random: inout CSVFuzzTests.Generator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0 where !bytes.isEmpty: bytes[position] = alphabet.randomElement(using: &random)!
            case 1: bytes.insert(alphabet.randomElement(using: &random)!, at: position)
            case 2 where !bytes.isEmpty: bytes.remove(at: position)
            case 3:  // a line repeated (a duplicate membership), or a piece of another line moved
                let end = min(bytes.count, position + Int.random(in: 1...60, using: &random))
                bytes.insert(contentsOf: bytes[position..<end], at: Int.random(in: 0...bytes.count, using: &random))
            case 4 where Int.random(in: 0..<40, using: &random) == 0:  // a line past the reader's limit
                bytes.insert(
                    contentsOf: [UInt8](repeating: 0x61, count: FeedLineReader.maximumLineBytes + 5), at: position)
            default: bytes = Array(bytes.prefix(position))  // a file cut short
            }
        }
        return bytes
    }

    @Test func mutatedSnapshotFilesGiveRowsInOrderOrATypedErrorNamingALine() throws {
        var random = CSVFuzzTests.Generator(state: 27)
        let directory = try TemporaryDirectory()
        let url = directory.path("feed.txt")
        var outcomes: [String: Int] = [:]
        for _ in 0..<Self.count {
            let bytes = Self.mutate(Self.valid, &random)
            FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
            var lines: [Int] = []
            do {
                try SnapshotMembershipReader(url: url, file: "feed.txt").forEachRow { row in
                    switch row {
                    case .record(let record): lines.append(record.line)
                    case .failed(let failure): lines.append(failure.line)
                    }
                }
                outcomes["read", default: 0] += 1
            } catch let error as FeedFileError {
                outcomes["refused", default: 0] += 1
                #expect(!error.description.isEmpty)
                #expect(error.description.contains("feed.txt"), "the message names the file: \(error)")
            }
            #expect(lines.allSatisfy { $0 >= 2 }, "data lines come after the header: \(lines)")
            #expect(zip(lines, lines.dropFirst()).allSatisfy { $0 < $1 }, "rows in file order: \(lines)")
        }
        // Both outcomes are exercised: the fuzzer is not only producing files the reader refuses.
        #expect((outcomes["read"] ?? 0) > Self.count / 20, "\(outcomes)")
        #expect((outcomes["refused"] ?? 0) > Self.count / 20, "\(outcomes)")
    }
}
