import Foundation
import Testing
import TransfertTestSupport

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The engine half of `restore --replace`: a staging database swapped into the live one's place in one
/// step, put back by `undoSwap`, on every backend.
@Suite("Restore staging swap", .serialized)
struct RestoreStagingTests {
    static let schema = try! SchemaStatementParser.parseScript(
        """
        CREATE TABLE users (id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE);
        CREATE TABLE grades (id INTEGER PRIMARY KEY, student_id INTEGER NOT NULL REFERENCES users(id), score TEXT NOT NULL);
        CREATE VIEW grade_count AS SELECT student_id, COUNT(*) AS grades FROM grades GROUP BY student_id;
        """)

    func fill(_ store: any EstablishmentStore, baseID: Int64, logins: [String]) throws {
        try store.create(baseID: baseID, schema: Self.schema)
        try store.write(baseID: baseID) { writer in
            for (index, login) in logins.enumerated() {
                try writer.insertNow(
                    into: "users", columns: ["id", "login"], values: [.integer(Int64(index + 1)), .text(login)])
                try writer.insertNow(
                    into: "grades", columns: ["id", "student_id", "score"],
                    values: [.integer(Int64(index + 1)), .integer(Int64(index + 1)), .text("A")])
            }
        }
    }

    func logins(_ store: any EstablishmentStore, _ baseID: Int64) throws -> [String] {
        var logins: [String] = []
        try store.read(baseID: baseID) { reader in
            try reader.forEachRow(of: "users", columns: ["login"]) { logins.append($0[0].textValue ?? "") }
        }
        return logins
    }

    /// The view still answers from the tables now in place.
    func viewRows(_ store: any EstablishmentStore, _ baseID: Int64) throws -> Int {
        try store.read(baseID: baseID) { try $0.rows("SELECT student_id, grades FROM grade_count").count }
    }

    @Test(arguments: BackendUnderTest.all)
    func swapPutsTheStagingInPlaceAndUndoPutsTheOldBack(_ backend: BackendUnderTest) throws {
        let (hosting, cleanup) = try backend.make()
        defer { cleanup() }
        let live = hosting.establishments
        try fill(live, baseID: 4, logins: ["ancien.a", "ancien.b"])
        let staged = try hosting.makeStagedEstablishment(baseID: 4)
        defer { staged.discard() }
        try fill(staged.store, baseID: 4, logins: ["nouveau.a", "nouveau.b", "nouveau.c"])
        #expect(try logins(live, 4) == ["ancien.a", "ancien.b"], "the live database is not touched while staging")

        try staged.swapIntoPlace()
        #expect(try logins(live, 4) == ["nouveau.a", "nouveau.b", "nouveau.c"])
        #expect(try viewRows(live, 4) == 3)
        #expect(try live.read(baseID: 4) { try $0.foreignKeyViolations(limit: 5) }.isEmpty)

        try staged.undoSwap()
        #expect(try logins(live, 4) == ["ancien.a", "ancien.b"])
        #expect(try viewRows(live, 4) == 2)
        #expect(try live.databaseIDs() == [4], "no staging database is taken for an establishment")
    }

    @Test(arguments: BackendUnderTest.all)
    func discardAfterASwapKeepsTheNewContentAndLeavesNothingElse(_ backend: BackendUnderTest) throws {
        let (hosting, cleanup) = try backend.make()
        defer { cleanup() }
        let live = hosting.establishments
        try fill(live, baseID: 2, logins: ["ancien"])
        let staged = try hosting.makeStagedEstablishment(baseID: 2)
        try fill(staged.store, baseID: 2, logins: ["nouveau"])
        try staged.swapIntoPlace()
        staged.discard()
        #expect(try logins(live, 2) == ["nouveau"])
        #expect(try live.databaseIDs() == [2])
        #expect(!staged.store.exists(baseID: 2))
    }

    /// MariaDB refuses to move a table with a trigger to another database: the swap drops the live
    /// database's triggers and makes them again on the tables then in place, and undo does the same.
    @Test func aMariaDBTriggerOfTheLiveDatabaseFollowsTheSwapAndItsUndo() throws {
        let (hosting, cleanup) = try BackendUnderTest.mariadb.make()
        defer { cleanup() }
        let backend = try #require(hosting as? MariaDBBackend)
        let live = hosting.establishments
        try fill(live, baseID: 3, logins: ["ancien"])
        let database = "\(backend.prefix)base_3"
        let connection = try MariaDBConnection(backend.server.with(database: database))
        try connection.execute(
            "CREATE TRIGGER lower_login BEFORE INSERT ON users FOR EACH ROW SET NEW.login = LOWER(NEW.login)")
        func triggers() throws -> [String] {
            try connection.query(
                "SELECT EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '\(database)'"
            ).compactMap { $0[0] }
        }
        let staged = try hosting.makeStagedEstablishment(baseID: 3)
        defer { staged.discard() }
        try fill(staged.store, baseID: 3, logins: ["nouveau"])
        try staged.swapIntoPlace()
        #expect(try logins(live, 3) == ["nouveau"])
        #expect(try triggers() == ["users"])
        try live.write(baseID: 3) {
            try $0.insertNow(into: "users", columns: ["id", "login"], values: [.integer(9), .text("MAJ")])
        }
        #expect(try logins(live, 3) == ["nouveau", "maj"], "the trigger runs on the tables now in place")
        try staged.undoSwap()
        #expect(try logins(live, 3) == ["ancien"])
        #expect(try triggers() == ["users"])
    }
}
