import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertModel

/// Issue #27: the snapshot flat-file reader, each class of bad input with its line and field.
@Suite("Feed snapshot reader")
struct FeedSnapshotReaderTests {
    func read(_ bytes: [UInt8]) throws -> [MembershipRow] {
        let directory = try TemporaryDirectory()
        let url = directory.path("feed.txt")
        FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
        var rows: [MembershipRow] = []
        try SnapshotMembershipReader(url: url, file: "feed.txt").forEachRow { rows.append($0) }
        return rows
    }

    func read(_ text: String) throws -> [MembershipRow] { try read(Array(text.utf8)) }

    func fileError(_ bytes: [UInt8]) -> FeedFileError? {
        do {
            _ = try read(bytes)
            return nil
        } catch { return error as? FeedFileError }
    }

    @Test func readsEveryFieldCaseInsensitivelyWithBOMAndCRLF() throws {
        let rows = try read(
            [0xEF, 0xBB, 0xBF]
                + Array(
                    "external_course_key|EXTERNAL_PERSON_KEY|ROLE|AVAILABLE_IND|ROW_STATUS|DATA_SOURCE_KEY\r\nc1|p1|Student|n|Disabled|ds\r\nc2|p2|||\u{20}|\r\n\r\n"
                        .utf8))
        #expect(
            rows == [
                .record(
                    MembershipRecord(
                        line: 2, courseKey: "c1", personKey: "p1", role: "Student", available: false,
                        rowStatus: .disabled, dataSource: "ds")),
                .record(MembershipRecord(line: 3, courseKey: "c2", personKey: "p2")),
            ])
    }

    @Test func newDataSourceKeyWinsAndOrganizationKeysAreCourses() throws {
        let rows = try read(
            "EXTERNAL_ORGANIZATION_KEY|EXTERNAL_PERSON_KEY|DATA_SOURCE_KEY|NEW_DATA_SOURCE_KEY\no1|p1|a|b\n")
        #expect(rows == [.record(MembershipRecord(line: 2, courseKey: "o1", personKey: "p1", dataSource: "b"))])
    }

    @Test func rowFaultsFailThatRowWithLineAndFieldAndTheOthersGoOn() throws {
        let rows = try read(
            "EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|AVAILABLE_IND|ROW_STATUS\nc1|p1|maybe|\nc1|p2||active\n|p3||\nc1|||\nc1|p5\nc1|p6|Y|ENABLED\n"
        )
        let failures = rows.compactMap { row -> String? in
            if case .failed(let failure) = row { return "\(failure.line):\(failure.field)" }
            return nil
        }
        #expect(
            failures == [
                "2:AVAILABLE_IND", "3:ROW_STATUS", "4:EXTERNAL_COURSE_KEY", "5:EXTERNAL_PERSON_KEY", "6:(line)",
            ])
        #expect(
            rows.last
                == .record(
                    MembershipRecord(line: 7, courseKey: "c1", personKey: "p6", available: true, rowStatus: .enabled)))
        // A failed row keeps its keys, so that a refresh does not take its record for absent.
        if case .failed(let failure) = rows[0] {
            #expect(failure.courseKey == "c1" && failure.personKey == "p1" && failure.value == "maybe")
        }
    }

    @Test(arguments: [
        ("EXTERNAL_COURSE_KEY,EXTERNAL_PERSON_KEY\n", "wrongDelimiter"),
        ("EXTERNAL_COURSE_KEY;EXTERNAL_PERSON_KEY\n", "wrongDelimiter"),
        ("EXTERNAL_COURSE_KEY\tEXTERNAL_PERSON_KEY\n", "wrongDelimiter"),
        ("EXTERNAL_COURSE_KEY|ROLE\n", "missingField"),
        ("EXTERNAL_PERSON_KEY\n", "missingField"),
        ("EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|EXTERNAL_ORGANIZATION_KEY\n", "ambiguousCourseKey"),
        ("EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|ROLE|role\n", "duplicateField"),
        ("EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|COLOUR\n", "unknownField"),
        ("EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|\n", "unknownField"),
        ("", "empty"),
    ])
    func headerFaultsRefuseTheFile(text: String, expected: String) {
        let error = fileError(Array(text.utf8))
        #expect(error.map(caseName) == expected, "\(text): \(String(describing: error))")
        #expect(error?.problemCode.rawValue.hasPrefix("feed.") == true)
    }

    func caseName(_ error: FeedFileError) -> String {
        // The case's name, as reflection gives it (the description is the sentence).
        Mirror(reflecting: error).children.first?.label ?? ""
    }

    @Test func byteFaultsRefuseTheFileWithTheirLine() {
        let header = Array("EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY\n".utf8)
        #expect(
            fileError(header + Array("c1|p1\nc1|".utf8) + [0xC3, 0x28] + [0x0A])
                == .invalidUTF8(file: "feed.txt", line: 3))
        #expect(fileError([0xFF, 0xFE, 0x45, 0x00]).map(caseName) == "notUTF8")
        let long = header + Array(repeating: 0x61, count: FeedLineReader.maximumLineBytes + 1)
        #expect(
            fileError(long) == .lineTooLong(file: "feed.txt", line: 2, limit: FeedLineReader.maximumLineBytes))
        // A long line split across chunks is still one line, and a multi-byte character across a chunk
        // boundary is still valid.
        let accented = Array(repeating: Array("é".utf8), count: FeedLineReader.chunkBytes / 2 + 7).joined()
        let rows = try? read(header + Array("c1|".utf8) + Array(accented.prefix(60_000)) + [0x0A])
        #expect(rows?.count == 1)
        #expect(
            fileError(header + Array("c1|".utf8) + Array(repeating: 0x61, count: 300_000)).map(caseName)
                == "lineTooLong")
    }

    @Test func twoHundredThousandRowsAreReadInFileOrder() throws {
        let directory = try TemporaryDirectory()
        let url = directory.path("big.txt")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: Data("EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY\n".utf8))
        var chunk = ""
        for index in 0..<200_000 {
            chunk += "course\(index % 500)|person\(index)\n"
        }
        try handle.write(contentsOf: Data(chunk.utf8))
        try handle.close()
        var count = 0
        var last = 0
        try SnapshotMembershipReader(url: url).forEachRow { row in
            if case .record(let record) = row {
                count += 1
                last = record.line
            }
        }
        #expect(count == 200_000)
        #expect(last == 200_001)
    }
}
