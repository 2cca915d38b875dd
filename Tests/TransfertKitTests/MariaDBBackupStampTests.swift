import Foundation
import Testing
import TransfertTestSupport

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// What changes `information_schema` on a real MariaDB server, measured: the backup's change detection
/// rests on it (``MariaDBChangeStamp``).
@Suite("Backup change stamps on MariaDB", .serialized)
struct MariaDBBackupStampTests {
    /// Whether `current`, compared with `previous` as `backup run` compares them, counts as a change.
    static func changed(_ previous: DatabaseChangeStamp, _ current: DatabaseChangeStamp) -> Bool {
        let files = UploadsStamp(digest: "", files: 0, bytes: 0, settled: true)
        return !BackupChangeStamp(database: current, files: files).showsNoChange(
            since: BackupChangeStamp(database: previous, files: files))
    }

    static func store(_ server: MariaDBTestServer, tag: String) throws -> MariaDBEstablishmentStore {
        let client = try server.client(
            "CREATE DATABASE `\(tag)base_1`; CREATE TABLE `\(tag)base_1`.t (id INT PRIMARY KEY, v TEXT) ENGINE=InnoDB")
        #expect(client.status == 0, "\(client.output)")
        return MariaDBEstablishmentStore(
            settings: MariaDBSettings(port: server.port, user: "root"), prefix: tag, credentialsDirectory: nil)
    }

    static func updateTime(_ server: MariaDBTestServer, tag: String) throws -> String {
        try server.client(
            "SELECT COALESCE(UPDATE_TIME, 'NULL') FROM information_schema.TABLES WHERE TABLE_SCHEMA = '\(tag)base_1' AND TABLE_NAME = 't'"
        ).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func insertUpdateAndDeleteEachChangeTheStampAndReadingDoesNot() throws {
        let server = try MariaDBTestServer.shared()
        let tag = "s\(UUID().uuidString.prefix(8).lowercased())_"
        defer { _ = try? server.client("DROP DATABASE IF EXISTS `\(tag)base_1`") }
        let store = try Self.store(server, tag: tag)
        // Never written: no UPDATE_TIME, the table's checksum stands in.
        #expect(try Self.updateTime(server, tag: tag) == "NULL")
        let created = try store.changeStamp(baseID: 1)
        #expect(created.observed.contains("checksum"))
        #expect(created.settled)
        #expect(try store.changeStamp(baseID: 1) == created)

        _ = try server.client("INSERT INTO `\(tag)base_1`.t VALUES (1, 'a'), (2, 'b')")
        #expect(try Self.updateTime(server, tag: tag) != "NULL")
        let inserted = try store.changeStamp(baseID: 1)
        #expect(Self.changed(created, inserted))
        // Reading (a dump's snapshot) changes nothing.
        _ = try store.read(baseID: 1) { try $0.rowCount(of: "t") }
        #expect(try store.changeStamp(baseID: 1).observed == inserted.observed)

        _ = try server.client("UPDATE `\(tag)base_1`.t SET v = 'c' WHERE id = 1")
        let updated = try store.changeStamp(baseID: 1)
        #expect(Self.changed(inserted, updated))
        _ = try server.client("DELETE FROM `\(tag)base_1`.t WHERE id = 2")
        let deleted = try store.changeStamp(baseID: 1)
        #expect(Self.changed(updated, deleted))
        // Right after a write (UPDATE_TIME has one-second steps), the stamp cannot prove the next unchanged.
        #expect(!deleted.settled)
        _ = try server.client(
            "CREATE TRIGGER `\(tag)base_1`.tr BEFORE INSERT ON `\(tag)base_1`.t FOR EACH ROW SET NEW.v = 'x'")
        #expect(try store.changeStamp(baseID: 1).observed != deleted.observed)
    }

    @Test func afterARestartUpdateTimeIsGoneAndTheChecksumTakesOver() throws {
        let server = try MariaDBTestServer.dedicated()
        let tag = "r\(UUID().uuidString.prefix(8).lowercased())_"
        let store = try Self.store(server, tag: tag)
        _ = try server.client("INSERT INTO `\(tag)base_1`.t VALUES (1, 'a'), (2, 'b')")
        let beforeRestart = try store.changeStamp(baseID: 1)
        #expect(beforeRestart.observed.contains("updated"))
        try server.crashAndRestart()
        // Measured: UPDATE_TIME is kept in memory only.
        #expect(try Self.updateTime(server, tag: tag) == "NULL")
        let first = try store.changeStamp(baseID: 1)
        #expect(first.observed.contains("checksum"))
        // A restart may hide a write made before it: the first stamp after it differs (a backup too many).
        #expect(Self.changed(beforeRestart, first))
        let second = try store.changeStamp(baseID: 1)
        #expect(!Self.changed(first, second))
        _ = try server.client("UPDATE `\(tag)base_1`.t SET v = 'z' WHERE id = 2")
        #expect(Self.changed(second, try store.changeStamp(baseID: 1)))
    }
}
