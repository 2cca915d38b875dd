import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// Issue #27: feed operations on an SQLite establishment, the profile mapping and where the feed's state
/// sits in the content model.
@Suite("Feed operations")
struct FeedOperationTests {
    /// A hosting with one empty establishment holding two courses and three persons.
    func establishment(_ directory: TemporaryDirectory) throws -> Hosting {
        let hosting = try makeHosting(in: directory)
        let structure = try hosting.addStructure(newStructure())
        try hosting.establishments.write(baseID: structure.baseID) { writer in
            try writer.run("INSERT INTO user_groups (id, kind, name) VALUES (1, 'class', 'c1'), (2, 'class', 'c2')", [])
            try writer.run(
                """
                INSERT INTO users (id, profile, last_name, first_name, login, password_hash) VALUES
                (1, 'student', 'A', 'A', 'p1', 'x'), (2, 'student', 'B', 'B', 'p2', 'x'), (3, 'staff', 'C', 'C', 't1', 'x')
                """, [])
        }
        return hosting
    }

    func file(_ directory: TemporaryDirectory, _ lines: [String]) throws -> SnapshotMembershipReader {
        let url = directory.path("feed-\(UUID().uuidString).txt")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return SnapshotMembershipReader(url: url, file: "feed.txt")
    }

    func memberships(_ hosting: Hosting) throws -> [String] {
        try hosting.establishments.read(baseID: 1) { reader in
            try reader.rows("SELECT group_id, user_id FROM memberships ORDER BY group_id, user_id", []).map {
                "\($0[0].integerValue ?? 0)-\($0[1].integerValue ?? 0)"
            }
        }
    }

    func kinds(_ report: FeedRunReport) throws -> [FeedOutcome.Kind] {
        var kinds: [FeedOutcome.Kind] = []
        try report.outcomes.forEachOutcome { kinds.append($0.kind) }
        return kinds
    }

    @Test func storeThenTheSameFileAgainChangesNothing() throws {
        let directory = try TemporaryDirectory()
        let hosting = try establishment(directory)
        let feed = MembershipFeed(hosting: hosting)
        let lines = ["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|ROLE", "c1|p1|Student", "c2|p2|student"]
        let first = try feed.run(FeedRunOptions(baseID: 1, operation: .store), source: try file(directory, lines))
        #expect(try kinds(first) == [.created, .created])
        #expect(try memberships(hosting) == ["1-1", "2-2"])
        let second = try feed.run(FeedRunOptions(baseID: 1, operation: .store), source: try file(directory, lines))
        #expect(try kinds(second) == [.unchanged, .unchanged])
        #expect(second.totals.changedNothing)
        #expect(second.runID == first.runID + 1)
    }

    @Test func aDryRunAndARefusedRunLeaveNothingBehind() throws {
        let directory = try TemporaryDirectory()
        let hosting = try establishment(directory)
        let feed = MembershipFeed(hosting: hosting)
        let dry = try feed.run(
            FeedRunOptions(baseID: 1, operation: .store, dryRun: true),
            source: try file(directory, ["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY", "c1|p1"]))
        #expect(try kinds(dry) == [.created])
        #expect(try memberships(hosting) == [])
        // A duplicate on line 4 refuses the file after line 2 was applied in the transaction: rolled back.
        #expect(throws: FeedFileError.self) {
            try feed.run(
                FeedRunOptions(baseID: 1, operation: .store),
                source: try file(directory, ["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY", "c1|p1", "c2|p2", "c1|p1"]))
        }
        #expect(try memberships(hosting) == [])
        // The lock was released each time.
        #expect(try hosting.registry.locks(at: Date()).live.isEmpty)
    }

    @Test func theMassDisableGuardCountsTheIntegrationsEnabledRecords() throws {
        let directory = try TemporaryDirectory()
        let hosting = try establishment(directory)
        let feed = MembershipFeed(hosting: hosting)
        _ = try feed.run(
            FeedRunOptions(baseID: 1, operation: .store),
            source: try file(directory, ["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY", "c1|p1", "c2|p2", "c2|p1"]))
        do {
            _ = try feed.run(
                FeedRunOptions(baseID: 1, operation: .refresh),
                source: try file(directory, ["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY", "c1|p1"]))
            Issue.record("the guard did not trip")
        } catch let error as FeedError {
            #expect(error == .massDisable(wouldDisable: 2, enabled: 3, ratio: 0.2, integration: "sis"))
            #expect(error.problemCode == .feedMassDisable)
        }
        #expect(try memberships(hosting) == ["1-1", "2-1", "2-2"])
        // A second integration's refresh sees none of these records: nothing to disable.
        let other = try feed.run(
            FeedRunOptions(baseID: 1, operation: .refresh, integration: "other"),
            source: try file(directory, ["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY", "c1|p2"]))
        #expect(other.totals.disabled == 0 && other.totals.created == 1)
        #expect(try memberships(hosting) == ["1-1", "1-2", "2-1", "2-2"])
    }

    @Test func roleMappingChecksThePersonsProfile() throws {
        let directory = try TemporaryDirectory()
        let hosting = try establishment(directory)
        let report = try MembershipFeed(hosting: hosting).run(
            FeedRunOptions(baseID: 1, operation: .store),
            source: try file(
                directory,
                ["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|ROLE", "c1|t1|Student", "c1|t1|Dean", "c1|t1|Instructor"]))
        var failures: [String] = []
        try report.outcomes.forEachOutcome {
            if $0.kind == .failed { failures.append("\($0.line ?? 0) \($0.field ?? "")") }
        }
        // Failed rows of a record the feed does not hold yet are not stamped: line 4, the same key, applies.
        #expect(failures == ["2 ROLE", "3 ROLE"])
        #expect(try memberships(hosting) == ["1-3"])
    }

    @Test func theFeedsStateIsInTheMembershipCategoryAndItsPersonKeyIsALogin() throws {
        let profile = try ApplicationProfile.decode(BuiltInProfile.text, file: "school")
        let content = profile.content
        #expect(content.category(ofTable: FeedStateTables.membership)?.name == "groups")
        #expect(content.category(ofTable: FeedStateTables.courseSet)?.name == "groups")
        #expect(content.personalData[FeedStateTables.membership] == ["person_key": .login])
        // `--without groups` takes the feed's state out with the memberships.
        var schema = profile.databaseSchema
        schema.tables += FeedStateTables.schema.tables
        let resolved = try ContentSelector(model: content).resolve(schema: schema, without: ["groups"])
        #expect(!resolved.selection.carries(table: FeedStateTables.membership))
        let sacoche = try ApplicationProfile.load(
            from: repositoryRoot.appendingPathComponent("Samples/sacoche-profile.yaml"))
        #expect(sacoche.feeds?.membership.membership.table == "sacoche_jointure_user_groupe")
        #expect(sacoche.content.category(ofTable: FeedStateTables.membership) != nil)
    }

    @Test func aMappingNamingWhatTheSchemaLacksIsRefusedWithTheKey() throws {
        let text = BuiltInProfile.text.replacingOccurrences(
            of: "person: {table: users, key: login, id: id}", with: "person: {table: users, key: sis_id, id: id}")
        #expect(throws: ConfigurationError.self) { try ApplicationProfile.decode(text, file: "p.yaml") }
        do { _ = try ApplicationProfile.decode(text, file: "p.yaml") } catch {
            #expect("\(error)".contains("feeds.membership.person.key names users.sis_id"))
        }
    }

    @Test func aDisableRatioOutsideZeroToOneIsRefusedWithItsKey() throws {
        #expect(throws: ConfigurationError.self) { try FeedSettings(maxDisableRatio: 1.5).validate(file: "t.yaml") }
        #expect(throws: ConfigurationError.self) { try FeedSettings(maxDisableRatio: -0.1).validate(file: "t.yaml") }
        #expect(throws: ConfigurationError.self) { try FeedSettings(maxDisableRatio: .nan).validate(file: "t.yaml") }
        try FeedSettings(maxDisableRatio: 0).validate(file: "t.yaml")
        #expect(FeedSettings().disableRatio == 0.2 && FeedSettings().crossListingRule == .move)
        do { try FeedSettings(maxDisableRatio: 2).validate(file: "t.yaml") } catch {
            #expect(error.location?.field == "feeds.max_disable_ratio")
        }
    }
}
