import Foundation
import GRDB
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

@Suite("Backup names")
struct BackupNamingTests {
    @Test func slugsAreASCIILowerCaseWithOneUnderscoreBetweenWords() {
        #expect(BackupName.slug("Cité scolaire Saint-Exupéry ; site Nord") == "cite_scolaire_saint_exupery_site_nord")
        #expect(BackupName.slug("L'Haÿ-les-Roses") == "l_hay_les_roses")
        #expect(BackupName.slug("  Lycée  ÉMILE   Zola  ") == "lycee_emile_zola")
        #expect(BackupName.slug("Œuvre Straße Æsop") == "oeuvre_strasse_aesop")
        #expect(BackupName.slug("Школа 12") == "skola_12")
        #expect(BackupName.slug("!!!") == "x")
        #expect(BackupName.slug("") == "x")
    }

    @Test func slugsAreBoundedAndNeverEndWithAnUnderscore() {
        let long = BackupName.slug(String(repeating: "abcdefghi ", count: 20))
        #expect(long.count <= BackupName.slugLimit)
        #expect(!long.hasSuffix("_"))
        #expect(long.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
    }

    @Test func namesFollowMoodlesPatternInTheHostingsZone() throws {
        let date = try #require(ISO8601DateFormatter().date(from: "2026-12-07T01:05:00Z"))
        let name = BackupName.base(
            server: "Serveur A", baseID: 25403, name: "Collège Victor Hugo", date: date,
            timeZone: TimeZone(identifier: "Europe/Paris")!)
        #expect(name == "sauvegarde-serveur_a-structure-25403-college_victor_hugo-20261207-0205")
    }

    @Test func aSameMinuteNameGetsASuffixNeverTheSameName() {
        let taken: Set<String> = [
            "sauvegarde-s-structure-1-a-20260101-0000", "sauvegarde-s-structure-1-a-20260101-0000-2",
        ]
        let name = BackupName.unique(
            server: "s", baseID: 1, name: "a", date: Date(timeIntervalSince1970: 1_767_225_600),
            timeZone: TimeZone(identifier: "UTC")!, isTaken: taken.contains)
        #expect(name == "sauvegarde-s-structure-1-a-20260101-0000-3")
    }

    @Test func twoReservationsOfTheSameMinuteGetTwoNames() throws {
        let temporary = try TemporaryDirectory()
        let directory = BackupDirectory(url: temporary.path("backups"))
        try directory.prepare()
        let candidates: ((String) -> Bool) -> String = { isTaken in
            BackupName.unique(
                server: "s", baseID: 1, name: "a", date: Date(timeIntervalSince1970: 0),
                timeZone: TimeZone(identifier: "UTC")!, isTaken: isTaken)
        }
        let first = try directory.reserveName(in: .manual, candidates: candidates)
        let second = try directory.reserveName(in: .manual, candidates: candidates)
        #expect(first != second)
        directory.releaseName(first, in: .manual)
        #expect(!directory.isTaken(first, in: .manual))
    }
}

@Suite("Backup retention")
struct BackupRetentionTests {
    static let now = ISO8601DateFormatter().date(from: "2026-12-07T02:00:00Z")!

    static func record(
        _ id: Int64, _ area: BackupArea, daysAgo: Double, verified: BackupRecord.Verification.Verdict = .yes,
        content: BackupRecord.Content = .init(), name: String? = nil
    ) -> BackupRecord {
        let created = ISO8601DateFormatter().string(from: now.addingTimeInterval(-daysAgo * 86_400))
        return BackupRecord(
            name: name ?? "b\(id)-\(area.rawValue)-\(daysAgo)", area: area, baseID: id, guid: "g\(id)",
            denomination: "E\(id)", created: created, content: content,
            verification: .init(verdict: verified, level: "default"))
    }

    @Test func automaticKeepsTheNewestNPerEstablishment() {
        let records = [
            Self.record(1, .automatic, daysAgo: 1), Self.record(1, .automatic, daysAgo: 2),
            Self.record(1, .automatic, daysAgo: 3), Self.record(1, .automatic, daysAgo: 4),
            Self.record(2, .automatic, daysAgo: 5), Self.record(2, .automatic, daysAgo: 6),
        ]
        let removed = BackupRetention(keepAutomatic: 2, retentionDays: 365).removals(of: records, now: Self.now)
        #expect(removed.map(\.record.name) == ["b1-automatic-3.0", "b1-automatic-4.0"])
        #expect(removed.allSatisfy { $0.reason.contains("keep_automatic") })
    }

    @Test func yearlyManualAndPrivateGoAfterTheRetentionPeriod() {
        let records = [
            Self.record(1, .automatic, daysAgo: 1),
            Self.record(1, .yearly, daysAgo: 400), Self.record(1, .manual, daysAgo: 366),
            Self.record(1, .private, daysAgo: 500, content: .init(anonymised: true)),
            Self.record(1, .manual, daysAgo: 364),
        ]
        let removed = BackupRetention(keepAutomatic: 2, retentionDays: 365).removals(of: records, now: Self.now)
        #expect(Set(removed.map(\.record.name)) == ["b1-yearly-400.0", "b1-manual-366.0", "b1-private-500.0"])
    }

    @Test func theLastGoodBackupIsNeverRemovedEvenOldOrBeyondKeep() {
        // Establishment 1: its only good backup is a two-year-old yearly one; newer ones failed or are partial.
        // Establishment 2: three automatic backups, the two newest failed verification.
        let records = [
            Self.record(1, .yearly, daysAgo: 730),
            Self.record(1, .manual, daysAgo: 400, content: .init(without: ["logs"])),
            Self.record(1, .private, daysAgo: 10, content: .init(anonymised: true)),
            Self.record(2, .automatic, daysAgo: 1, verified: .failed),
            Self.record(2, .automatic, daysAgo: 2, verified: .failed),
            Self.record(2, .automatic, daysAgo: 3),
        ]
        let retention = BackupRetention(keepAutomatic: 2, retentionDays: 365)
        let removed = Set(retention.removals(of: records, now: Self.now).map(\.record.name))
        #expect(removed == ["b1-manual-400.0"])
        #expect(BackupRetention.lastGood(of: records.filter { $0.baseID == 1 })?.name == "b1-yearly-730.0")
        #expect(BackupRetention.lastGood(of: records.filter { $0.baseID == 2 })?.name == "b2-automatic-3.0")
    }

    @Test func anonymisedIncompleteAndUnverifiedBackupsAreNotGood() {
        #expect(!Self.record(1, .private, daysAgo: 0, content: .init(anonymised: true)).isGood)
        #expect(!Self.record(1, .manual, daysAgo: 0, content: .init(includesFiles: false)).isGood)
        #expect(!Self.record(1, .manual, daysAgo: 0, content: .init(only: ["settings"])).isGood)
        #expect(!Self.record(1, .manual, daysAgo: 0, verified: .no).isGood)
        #expect(Self.record(1, .manual, daysAgo: 0).isGood)
    }

    @Test func onePruneOfOneEstablishmentLeavesTheOthers() {
        let records =
            (1...4).map { Self.record(1, .automatic, daysAgo: Double($0)) }
            + (1...4).map { Self.record(2, .automatic, daysAgo: Double($0)) }
        let removed = BackupRetention(keepAutomatic: 2, retentionDays: 365).removals(
            of: records, now: Self.now, baseID: 2)
        #expect(removed.count == 2)
        #expect(removed.allSatisfy { $0.record.baseID == 2 })
    }
}

@Suite("Backup change stamps")
struct BackupChangeStampTests {
    static func stamp(_ observed: String, files: String = "f", settled: Bool = true) -> BackupChangeStamp {
        BackupChangeStamp(
            database: DatabaseChangeStamp(observed: observed, settled: settled),
            files: UploadsStamp(digest: files, files: 0, bytes: 0, settled: true))
    }

    @Test func onlyEqualStampsAfterASettledOneMeanUnchanged() {
        #expect(Self.stamp("a").showsNoChange(since: Self.stamp("a")))
        #expect(!Self.stamp("b").showsNoChange(since: Self.stamp("a")))
        #expect(!Self.stamp("a", files: "g").showsNoChange(since: Self.stamp("a")))
        // A previous stamp taken too close to a write proves nothing, even when equal.
        #expect(!Self.stamp("a").showsNoChange(since: Self.stamp("a", settled: false)))
        #expect(!Self.stamp("a").showsNoChange(since: nil))
    }

    @Test func sqliteStampIsUnchangedByReadsAndChangedByEveryWrite() throws {
        let temporary = try TemporaryDirectory()
        let hosting = try makeHosting(in: temporary)
        try SampleGenerator(structures: 1, students: 10, seed: 3).fill(hosting)
        let later = Date().addingTimeInterval(3_600)
        let store = try #require(hosting.establishments as? SQLiteEstablishmentStore)
        let path = store.databasePath(baseID: 1)
        let before = try SQLiteFileStamp.read(path: path, baseID: 1, now: later)
        #expect(before.settled)
        _ = try hosting.establishments.read(baseID: 1) { try $0.rowCount(of: "users") }
        _ = try Exporter(hosting: hosting).run(
            ExportOptions(selection: .ids([1]), outputDirectory: temporary.path("exports")))
        #expect(try SQLiteFileStamp.read(path: path, baseID: 1, now: later) == before)
        // One row, same size: the file change counter moves even if the clock's tick did not.
        try hosting.establishments.write(baseID: 1) { writer in
            try writer.execute("UPDATE users SET first_name = first_name || 'x' WHERE id = (SELECT MIN(id) FROM users)")
        }
        let afterUpdate = try SQLiteFileStamp.read(path: path, baseID: 1, now: later)
        #expect(afterUpdate.observed != before.observed)
        try hosting.establishments.write(baseID: 1) { writer in
            try writer.execute("UPDATE users SET email = NULL WHERE id = (SELECT MAX(id) FROM users)")
        }
        #expect(try SQLiteFileStamp.read(path: path, baseID: 1, now: later).observed != afterUpdate.observed)
        // Taken right after a write, the stamp is unsettled: it cannot prove the next one unchanged.
        #expect(!(try SQLiteFileStamp.read(path: path, baseID: 1)).settled)
    }

    @Test func sqliteStampSeesWritesInWALMode() throws {
        let temporary = try TemporaryDirectory()
        let hosting = try makeHosting(in: temporary)
        try SampleGenerator(structures: 1, students: 10, seed: 3).fill(hosting)
        let store = try #require(hosting.establishments as? SQLiteEstablishmentStore)
        let path = store.databasePath(baseID: 1)
        let later = Date().addingTimeInterval(3_600)
        // The hosted application may use WAL and keep its connection open: commits go to -wal only.
        let application = try DatabaseQueue(path: path)
        try application.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;")
        }
        func run(_ sql: String) throws { try application.writeWithoutTransaction { try $0.execute(sql: sql) } }
        try run("UPDATE users SET login = login || 'a' WHERE id = 1")
        let first = try SQLiteFileStamp.read(path: path, baseID: 1, now: later)
        _ = try hosting.establishments.read(baseID: 1) { try $0.rowCount(of: "users") }
        let afterRead = try SQLiteFileStamp.read(path: path, baseID: 1, now: later)
        #expect(afterRead == first, "\(first.observed)\n\(afterRead.observed)")
        try run("UPDATE users SET login = login || 'b' WHERE id = 1")
        let second = try SQLiteFileStamp.read(path: path, baseID: 1, now: later)
        #expect(second.observed != first.observed)
        // A checkpoint that restarts the WAL rewrites it from the start with new salts.
        try run("PRAGMA wal_checkpoint(TRUNCATE)")
        try run("UPDATE users SET login = login || 'c' WHERE id = 1")
        #expect(try SQLiteFileStamp.read(path: path, baseID: 1, now: later).observed != second.observed)
    }

    @Test func uploadsStampSeesAddedRewrittenTouchedAndRemovedFiles() throws {
        let temporary = try TemporaryDirectory()
        let folder = temporary.path("files")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("docs"), withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("docs/a.txt")
        try Data("hello".utf8).write(to: file)
        let later = Date().addingTimeInterval(3_600)
        let first = try UploadsStamp.take(of: folder, now: later)
        #expect(first.settled && first.files == 1 && first.bytes == 5)
        #expect(try UploadsStamp.take(of: folder, now: later) == first)
        // Same size, same content, mtime put back: ctime still moves.
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        try Data("hello".utf8).write(to: file)
        try FileManager.default.setAttributes(
            [.modificationDate: attributes[.modificationDate]!], ofItemAtPath: file.path)
        let rewritten = try UploadsStamp.take(of: folder, now: later)
        #expect(rewritten.digest != first.digest)
        try Data("x".utf8).write(to: folder.appendingPathComponent("docs/b.txt"))
        let added = try UploadsStamp.take(of: folder, now: later)
        #expect(added.digest != rewritten.digest && added.files == 2)
        try FileManager.default.removeItem(at: file)
        #expect(try UploadsStamp.take(of: folder, now: later).digest != added.digest)
        #expect(!(try UploadsStamp.take(of: folder)).settled)
        // No folder at all is a stamp too (an establishment without uploads).
        #expect(try UploadsStamp.take(of: temporary.path("none"), now: later).files == 0)
    }
}

@Suite("Backup configuration and lock")
struct BackupConfigurationTests {
    @Test func defaultsAndDirectory() {
        let settings = BackupSettings()
        #expect(settings.automaticKept == 2 && settings.retention == 365)
        let hosting = URL(fileURLWithPath: "/srv/hosting")
        #expect(settings.directoryURL(hosting: hosting).path == "/srv/hosting/backups")
        #expect(BackupSettings(directory: "/mnt/b").directoryURL(hosting: hosting).path == "/mnt/b")
        #expect(
            BackupSettings(directory: "sauvegardes").directoryURL(hosting: hosting).path == "/srv/hosting/sauvegardes")
    }

    @Test(arguments: [
        ("keep_automatic: 0", "backup.keep_automatic"), ("keep_automatic: -3", "backup.keep_automatic"),
        ("retention_days: 0", "backup.retention_days"), ("retention_days: 99999999", "backup.retention_days"),
        ("directory: \"  \"", "backup.directory"),
    ])
    func invalidValuesAreRefusedAtLoadWithTheKey(line: String, key: String) throws {
        let temporary = try TemporaryDirectory()
        let hosting = try makeHosting(in: temporary)
        let file = hosting.directory.appendingPathComponent(Hosting.configurationFileName)
        try (try String(contentsOf: file, encoding: .utf8) + "\nbackup:\n  \(line)\n").write(
            to: file, atomically: true, encoding: .utf8)
        #expect {
            try HostingConfiguration.load(from: file)
        } throws: { error in
            guard case .invalidValue(_, let found, _, _) = error as? ConfigurationError else { return false }
            return found == key
        }
    }

    @Test func aValidSectionIsReadAndWrittenBack() throws {
        let temporary = try TemporaryDirectory()
        let hosting = try makeHosting(in: temporary)
        let file = hosting.directory.appendingPathComponent(Hosting.configurationFileName)
        try
            (try String(contentsOf: file, encoding: .utf8)
            + "\nbackup:\n  directory: \"/mnt/sauvegardes\"\n  keep_automatic: 3\n  retention_days: 30\n").write(
                to: file, atomically: true, encoding: .utf8)
        let configuration = try HostingConfiguration.load(from: file)
        #expect(
            configuration.backup == BackupSettings(directory: "/mnt/sauvegardes", keepAutomatic: 3, retentionDays: 30))
        try configuration.renderYAML().write(to: file, atomically: true, encoding: .utf8)
        #expect(try HostingConfiguration.load(from: file).backup == configuration.backup)
    }

    @Test func aSecondLockIsRefusedNamingTheHolderAndFreedOnRelease() throws {
        let temporary = try TemporaryDirectory()
        let directory = BackupDirectory(url: temporary.path("backups"))
        try directory.prepare()
        let lock = try BackupRunLock.acquire(in: directory)
        #expect {
            try BackupRunLock.acquire(in: directory)
        } throws: { error in
            (error as? BackupError) == .runInProgress(lockFile: lock.file.path, holderPID: getpid())
                && (error as? LocatedError)?.problemCode == .backupRunInProgress
        }
        lock.release()
        try BackupRunLock.acquire(in: directory).release()
    }
}

@Suite("Backup records")
struct BackupRecordTests {
    @Test func aDamagedOrNewerRecordIsNamedNotSkipped() throws {
        let temporary = try TemporaryDirectory()
        let directory = BackupDirectory(url: temporary.path("backups"))
        try directory.prepare()
        let good = BackupRetentionTests.record(1, .manual, daysAgo: 1, name: "good")
        try directory.write(good)
        var newer = BackupRetentionTests.record(1, .manual, daysAgo: 2, name: "newer")
        newer.format = 2
        try directory.write(newer)
        try Data("{not json".utf8).write(to: directory.files(of: "broken", in: .yearly).record)
        let (records, unreadable) = directory.records()
        #expect(records.map(\.name) == ["good"])
        #expect(
            Set(unreadable.map { URL(fileURLWithPath: $0).lastPathComponent })
                == ["newer.backup.json", "broken.backup.json"])
        let mode =
            try FileManager.default.attributesOfItem(atPath: directory.files(of: "good", in: .manual).record.path)[
                .posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }
}
