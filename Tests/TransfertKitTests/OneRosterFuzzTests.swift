import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel

/// A seeded fuzzer over the OneRoster 1.1 package reader (issue #27): one of its four files —
/// manifest, classes, users, enrollments — mutated with delimiters, quotes, line ends, BOM pieces,
/// invalid UTF-8, repeated and cut lines. Whatever the bytes, the reader hands on rows in the order it
/// promises, each with a line past the header, or refuses the package with its typed error naming the
/// file — never crashes, never another kind of error.
@Suite("OneRoster fuzzing")
struct OneRosterFuzzTests {
    static let enrollments = Array(
        ([OneRosterReaderTests.header]
            + [
                "e1,active,2026-01-01T00:00:00Z,c1,s1,u1,student,true,2026-09-01,2027-07-04",
                "e2,active,2026-01-02T00:00:00+02:00,c2,s1,u2,teacher,false,,",
                "e3,tobedeleted,2026-01-03T00:00:00Z,c1,s1,u2,student,,,",
            ]).joined(separator: "\r\n").utf8)

    static let alphabet: [UInt8] =
        Array(",\"\r\n sourcedId status bulk delta active tobedeleted 2026-01-01T éà0123456789".utf8)
        + [0x00, 0xFF, 0xFE, 0xEF, 0xBB, 0xBF, 0x80, 0xC3]

    static var count: Int {
        min(Int(ProcessInfo.processInfo.environment["TRANSFERT_FUZZ_COUNT"] ?? "") ?? 300, 5_000)
    }

    @Test func mutatedPackagesGiveRowsOrATypedErrorNamingTheFile() throws {
        var random = CSVFuzzTests.Generator(state: 1127)
        let names = ["manifest.csv", "classes.csv", "users.csv", "enrollments.csv"]
        var outcomes: [String: Int] = [:]
        for _ in 0..<Self.count {
            let valid = try OneRosterReaderTests.Package(
                enrollments: "bulk", files: ["enrollments.csv": Self.enrollments])
            let name = names.randomElement(using: &random)!
            let path = valid.directory.path(name).path
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            var bytes = original
            for _ in 0..<Int.random(in: 1...5, using: &random) {
                let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<5, using: &random) {
                case 0 where !bytes.isEmpty: bytes[position] = Self.alphabet.randomElement(using: &random)!
                case 1: bytes.insert(Self.alphabet.randomElement(using: &random)!, at: position)
                case 2 where !bytes.isEmpty: bytes.remove(at: position)
                case 3:
                    let end = min(bytes.count, position + Int.random(in: 1...50, using: &random))
                    bytes.insert(contentsOf: bytes[position..<end], at: Int.random(in: 0...bytes.count, using: &random))
                default: bytes = Array(bytes.prefix(position))
                }
            }
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            do {
                var lines: [Int] = []
                try valid.reader().forEachRow { row in
                    switch row {
                    case .record(let record): lines.append(record.line)
                    case .failed(let failure): lines.append(failure.line)
                    }
                }
                #expect(lines.allSatisfy { $0 >= 2 }, "data lines come after the header: \(lines)")
                outcomes["read", default: 0] += 1
            } catch let error as OneRosterFileError {
                #expect(!error.description.isEmpty)
                outcomes["refused", default: 0] += 1
            } catch let error as FeedFileError {
                #expect(!error.description.isEmpty)
                outcomes["refused", default: 0] += 1
            } catch {
                Issue.record("\(name) mutated gave an untyped error: \(error)")
            }
        }
        #expect((outcomes["read"] ?? 0) > Self.count / 20, "\(outcomes)")
        #expect((outcomes["refused"] ?? 0) > Self.count / 20, "\(outcomes)")
    }
}
