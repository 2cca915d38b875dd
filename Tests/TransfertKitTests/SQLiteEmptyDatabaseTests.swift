import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertStorage

/// Issue #29: the database a restore fills is created as an empty file — no SQLite connection, journal or
/// commit — owner-only, refused when one is there already; the restore then fills it, and a scratch store
/// (verify --deep) loads the same way without flushing anything.
@Suite("Empty establishment database for a restore")
struct SQLiteEmptyDatabaseTests {
    @Test(arguments: [true, false])
    func anEmptyDatabaseIsAnEmptyOwnerOnlyFileThatALoadFills(durable: Bool) throws {
        let directory = try TemporaryDirectory()
        let store = SQLiteEstablishmentStore(directory: directory.path("bases"), durable: durable)
        try store.create(baseID: 7, schema: DatabaseSchema())
        let path = store.databasePath(baseID: 7)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.size] as? NSNumber)?.intValue == 0)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        #expect(throws: EstablishmentStoreError.alreadyExists(baseID: 7, path: path)) {
            try store.create(baseID: 7, schema: DatabaseSchema())
        }

        let table = try #require(
            try DatabaseSchema(parsing: "CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT NOT NULL)").tables.first)
        try store.load(baseID: 7) { writer in
            try writer.createTable(table)
            try writer.makeInserter(table: "t", columns: ["id", "label"]).insert([.integer(1), .text("Zoé")])
        }
        #expect(try store.read(baseID: 7) { try $0.rowCount(of: "t") } == 1)
        #expect(try store.read(baseID: 7) { try $0.integrityProblems() } == [])
        #expect(try store.databaseIDs() == [7])
    }
}
