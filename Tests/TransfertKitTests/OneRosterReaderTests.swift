import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel

/// Issue #27, OneRoster 1.1 CSV: the manifest, the enrollment rows and the package reader, each class of
/// bad input with its file, line and field; delta rows in `dateLastModified` order.
@Suite("OneRoster reader")
struct OneRosterReaderTests {
    static let header =
        "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate"

    /// A package in a temporary directory; `files` replaces or adds files by name.
    final class Package {
        let directory: TemporaryDirectory
        init(enrollments: String = "bulk", files: [String: [UInt8]]) throws {
            directory = try TemporaryDirectory()
            var all: [String: [UInt8]] = [
                "manifest.csv": Array(
                    "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.classes,bulk\nfile.users,bulk\nfile.enrollments,\(enrollments)\n"
                        .utf8),
                "classes.csv": Array("sourcedId,title,classCode\nc1,\"Maths, 6A\",MATH6A\nc2,Français,\n".utf8),
                "users.csv": Array("sourcedId,username,identifier\nu1,alice,A1\nu2,bob,B2\n".utf8),
            ]
            all.merge(files) { $1 }
            for (name, bytes) in all {
                FileManager.default.createFile(atPath: directory.path(name).path, contents: Data(bytes))
            }
        }

        func reader(_ settings: OneRosterSettings = OneRosterSettings()) throws -> OneRosterMembershipReader {
            try OneRosterMembershipReader(url: directory.url, file: "pkg", settings: settings)
        }

        func rows(_ settings: OneRosterSettings = OneRosterSettings()) throws -> [MembershipRow] {
            var rows: [MembershipRow] = []
            try reader(settings).forEachRow { rows.append($0) }
            return rows
        }
    }

    static func enrollments(_ lines: [String]) -> [String: [UInt8]] {
        ["enrollments.csv": Array(([header] + lines).joined(separator: "\n").utf8)]
    }

    static func failures(_ rows: [MembershipRow]) -> [String] {
        rows.compactMap { row in
            if case .failed(let failure) = row { return "\(failure.line):\(failure.field)" }
            return nil
        }
    }

    static func manifestError(_ manifest: String) -> OneRosterFileError? {
        do {
            _ = try Package(files: ["manifest.csv": Array(manifest.utf8)]).reader()
            return nil
        } catch { return error as? OneRosterFileError }
    }

    // MARK: Manifest

    @Test func manifestSaysTheOperation() throws {
        #expect(try Package(enrollments: "bulk", files: [:]).reader().operation == .refresh)
        #expect(try Package(enrollments: "DELTA", files: [:]).reader().operation == .store)
    }

    @Test func manifestFaultsNameTheLineAndProperty() {
        let base =
            "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.classes,bulk\nfile.users,bulk\n"
        #expect(
            Self.manifestError(base + "file.enrollments,bulk\nfile.grades,bulk\n")?.location
                == ProblemLocation(file: "pkg/manifest.csv", line: 7, field: "file.grades"))
        #expect(
            Self.manifestError(base + "file.enrollments,sometimes\n")?.location
                == ProblemLocation(file: "pkg/manifest.csv", line: 6, field: "file.enrollments"))
        #expect(
            Self.manifestError(base + "file.enrollments,absent\n")?.location
                == ProblemLocation(file: "pkg/manifest.csv", line: 6, field: "file.enrollments"))
        #expect(
            Self.manifestError(base)?.location == ProblemLocation(file: "pkg/manifest.csv", field: "file.enrollments"))
        #expect(
            Self.manifestError(
                base.replacingOccurrences(of: "oneroster.version,1.1", with: "oneroster.version,1.2")
                    + "file.enrollments,bulk\n")?.location
                == ProblemLocation(file: "pkg/manifest.csv", line: 3, field: "oneroster.version"))
        // Classes or users in delta cannot resolve every enrollment: refused.
        #expect(
            Self.manifestError(
                base.replacingOccurrences(of: "file.users,bulk", with: "file.users,delta")
                    + "file.enrollments,bulk\n")?.location
                == ProblemLocation(file: "pkg/manifest.csv", line: 5, field: "file.users"))
        #expect(
            Self.manifestError(base + "file.enrollments,bulk\nfile.enrollments,bulk\n")?.location
                == ProblemLocation(file: "pkg/manifest.csv", line: 7, field: "file.enrollments"))
        #expect(
            Self.manifestError("name,value\n")?.location
                == ProblemLocation(file: "pkg/manifest.csv", line: 1, field: "propertyName"))
        #expect(Self.manifestError("")?.problemCode == .feedEmpty)
    }

    @Test func aMissingFileIsNamed() throws {
        let package = try Package(files: [:])
        do {
            _ = try package.rows()
            Issue.record("a package without enrollments.csv was read")
        } catch let error as OneRosterFileError {
            #expect(error.location == ProblemLocation(file: "pkg/enrollments.csv"))
        }
    }

    // MARK: Enrollments

    @Test func bulkRowsResolveClassAndUserKeysInLineOrder() throws {
        let rows = try Package(
            files: Self.enrollments([
                "e2,,,c1,s1,u2,teacher,true,2026-09-01,2027-07-04",
                "e1,active,2026-01-01T00:00:00Z,c1,s1,u1,student,,,",
            ])
        ).rows()
        #expect(
            rows == [
                .record(
                    MembershipRecord(
                        line: 2, courseKey: "MATH6A", personKey: "bob", role: "teacher", rowStatus: .enabled)),
                .record(
                    MembershipRecord(
                        line: 3, courseKey: "MATH6A", personKey: "alice", role: "student", rowStatus: .enabled)),
            ])
    }

    @Test func theKeyColumnsAreSettings() throws {
        let rows = try Package(files: Self.enrollments(["e1,,,c1,s1,u1,student,,,"])).rows(
            OneRosterSettings(classKey: .title, personKey: .identifier))
        #expect(
            rows == [
                .record(
                    MembershipRecord(
                        line: 2, courseKey: "Maths, 6A", personKey: "A1", role: "student", rowStatus: .enabled))
            ])
    }

    @Test func deltaRowsApplyInDateLastModifiedOrderWhateverTheirOffset() throws {
        let rows = try Package(
            enrollments: "delta",
            files: Self.enrollments([
                "e1,tobedeleted,2026-10-02T10:00:00+02:00,c1,s1,u1,student,,,",  // 08:00Z
                "e2,active,2026-10-02T09:00:00Z,c1,s1,u2,student,,,",
                "e3,active,2026-10-02T07:59:59.500Z,c1,s1,u1,student,,,",
            ])
        ).rows()
        let order = rows.compactMap { row -> String? in
            if case .record(let r) = row { return "\(r.line):\(r.rowStatus?.rawValue ?? "")" }
            return nil
        }
        #expect(order == ["4:enabled", "2:disabled", "3:enabled"])
    }

    @Test func eachBadRowFailsWithItsLineAndFieldAndTheOthersGoOn() throws {
        let rows = try Package(
            enrollments: "delta",
            files: Self.enrollments([
                "e1,inactive,2026-10-01T00:00:00Z,c1,s1,u1,student,,,",
                "e2,active,2026-13-01T00:00:00Z,c1,s1,u1,student,,,",
                "e3,active,,c1,s1,u1,student,,,",
                "e4,,2026-10-01T00:00:00Z,c1,s1,u1,student,,,",
                "e5,active,2026-10-01T00:00:00Z,c1,s1,u1,student,maybe,,",
                "e6,active,2026-10-01T00:00:00Z,c1,s1,u1,student,,2026-02-30,",
                "e7,active,2026-10-01T00:00:00Z,c1,s1,u1,,,,",
                "e8,active,2026-10-01T00:00:00Z,c1,s1",
                "e9,active,2026-10-01T00:00:00Z,\"c1,s1,u1,student,,,",
                "e10,active,2026-10-01T00:00:00Z,c9,s1,u1,student,,,",
                "e11,active,2026-10-01T00:00:00Z,c1,s1,u9,student,,,",
                "e12,active,2026-10-01T00:00:00Z,c2,s1,u1,student,,,",
                "e13,active,2026-10-01T00:00:00Z,c1,s1,u2,student,,,",
            ])
        ).rows()
        #expect(
            Set(Self.failures(rows)) == [
                "2:status", "3:dateLastModified", "4:dateLastModified", "5:status", "6:primary", "7:beginDate",
                "8:role",
                "9:(line)", "10:(line)", "11:classSourcedId", "12:userSourcedId", "13:classSourcedId",
            ])
        #expect(
            rows.last
                == .record(
                    MembershipRecord(
                        line: 14, courseKey: "MATH6A", personKey: "bob", role: "student", rowStatus: .enabled)))
    }

    @Test func headerFaultsRefuseTheFile() throws {
        func error(_ header: String) -> OneRosterFileError? {
            do {
                _ = try Package(files: ["enrollments.csv": Array((header + "\n").utf8)]).rows()
                return nil
            } catch { return error as? OneRosterFileError }
        }
        #expect(error(Self.header.replacingOccurrences(of: ",role", with: ""))?.location?.field == "role")
        #expect(error(Self.header + ",grade")?.location?.field == "grade")
        #expect(error(Self.header + ",sourcedId")?.problemCode == .feedHeader)
        #expect(error(Self.header + ",metadata.district") == nil)
    }

    @Test func duplicateSourcedIdsRefuseThePackage() throws {
        func error(_ files: [String: [UInt8]]) -> OneRosterFileError? {
            do {
                _ = try Package(files: files).rows()
                return nil
            } catch { return error as? OneRosterFileError }
        }
        #expect(
            error(Self.enrollments(["e1,,,c1,s1,u1,student,,,", "e1,bogus,,c1,s1,u2,student,,,"]))
                == .duplicateSourcedId(
                    file: "pkg/enrollments.csv", line: 3, earlierLine: 2, sourcedId: "e1"))
        var files = Self.enrollments(["e1,,,c1,s1,u1,student,,,"])
        files["users.csv"] = Array("sourcedId,username\nu1,alice\nu1,bob\n".utf8)
        #expect(error(files) == .duplicateSourcedId(file: "pkg/users.csv", line: 3, earlierLine: 2, sourcedId: "u1"))
        files["users.csv"] = Array("sourcedId,givenName\nu1,alice\n".utf8)
        #expect(error(files) == .missingColumn(file: "pkg/users.csv", column: "username"))
    }

    @Test func bomCRLFAndInvalidUTF8() throws {
        let good = try Package(
            files: [
                "enrollments.csv": [0xEF, 0xBB, 0xBF] + Array((Self.header + "\r\ne1,,,c1,s1,u1,student,,,\r\n").utf8)
            ]
        ).rows()
        #expect(
            good == [
                .record(
                    MembershipRecord(
                        line: 2, courseKey: "MATH6A", personKey: "alice", role: "student", rowStatus: .enabled))
            ])
        do {
            _ = try Package(
                files: [
                    "enrollments.csv": Array((Self.header + "\ne1,,,c1,s1,u1,").utf8) + [0xC3, 0x28]
                        + Array(",,,,\n".utf8)
                ]
            ).rows()
            Issue.record("invalid UTF-8 was read")
        } catch let error as FeedFileError {
            #expect(error == .invalidUTF8(file: "pkg/enrollments.csv", line: 2))
        }
    }

    @Test func theKeySettingsAreWrittenBackWithTheFeedSection() {
        let rendered = FeedSettings(oneroster: OneRosterSettings(classKey: .title, personKey: .identifier)).renderYAML()
        #expect(rendered.hasSuffix("feeds:\n  oneroster:\n    class_key: title\n    person_key: identifier"))
        #expect(FeedSettings().oneRosterSettings.classColumn == "classCode")
        #expect(FeedSettings().oneRosterSettings.personColumn == "username")
    }

    // MARK: CSV lines

    @Test func csvLinesFollowRFC4180WithinALine() throws {
        #expect(try OneRosterCSVLine.fields("a,\"b, c\",\"d \"\"e\"\"\",").get() == ["a", "b, c", "d \"e\"", ""])
        #expect(throws: OneRosterCSVLine.Malformed.self) { try OneRosterCSVLine.fields("a,\"b").get() }
        #expect(throws: OneRosterCSVLine.Malformed.self) { try OneRosterCSVLine.fields("a,\"b\"c").get() }
        #expect(throws: OneRosterCSVLine.Malformed.self) { try OneRosterCSVLine.fields("a,b\"c").get() }
    }

    @Test func calendarDatesMustExist() {
        #expect(OneRosterDate.isDate("2028-02-29"))
        #expect(!OneRosterDate.isDate("2027-02-29"))
        #expect(!OneRosterDate.isDate("2027-2-01"))
        #expect(!OneRosterDate.isDate("２０２７-02-01"))
    }
}
