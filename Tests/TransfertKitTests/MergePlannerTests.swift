import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// Planning `restore --merge`: natural keys, new ids, references rewritten, reference order.
@Suite("Merge planning")
struct MergePlannerTests {
    /// Two databases of the school profile's schema in a temporary directory: 1 the establishment, 2 the bundle.
    func stores(_ directory: TemporaryDirectory) throws -> (store: SQLiteEstablishmentStore, model: ContentModel) {
        let hosting = try makeHosting(in: directory)
        let schema = try hosting.freshEstablishmentSchema()
        let store = SQLiteEstablishmentStore(directory: directory.path("bases"))
        try store.create(baseID: 1, schema: schema)
        try store.create(baseID: 2, schema: schema)
        return (store, hosting.profile.content)
    }

    func user(_ writer: any EstablishmentWriter, _ id: Int64, _ login: String) throws {
        try writer.insertNow(
            into: "users", columns: ["id", "profile", "last_name", "first_name", "login", "password_hash"],
            values: [.integer(id), .text("student"), .text("Nom"), .text("Prénom"), .text(login), .text("x")])
    }

    /// Merges database 2 into database 1 of `store` in one write transaction; returns the outcome and the
    /// rows inserted.
    @discardableResult
    func merge(_ store: SQLiteEstablishmentStore, _ model: ContentModel, refusing: Set<String> = []) throws -> (
        MergeOutcome, [(table: String, columns: [String], values: [SQLValue])]
    ) {
        var planner = MergePlanner(model: model, schema: try store.read(baseID: 2) { try $0.schema() }, leftOut: [])
        planner.refuseMatchesIn = refusing
        let facts = try store.read(baseID: 1) { try planner.facts(in: $0) }
        var inserted: [(String, [String], [SQLValue])] = []
        var outcome = MergeOutcome()
        try store.read(baseID: 2) { bundle in
            try store.write(baseID: 1) { writer in
                outcome = try planner.merge(bundle: bundle, facts: facts) { table, columns, values in
                    inserted.append((table, columns, values))
                    try writer.insertNow(into: table, columns: columns, values: values)
                }
            }
        }
        return (outcome, inserted)
    }

    @Test func anExistingLoginIsMatchedAndTheBundlesReferencesFollowIt() throws {
        let directory = try TemporaryDirectory()
        let (store, model) = try stores(directory)
        try store.write(baseID: 1) { writer in
            try user(writer, 7, "marie.curie")
            try user(writer, 40, "pierre.curie")
        }
        try store.write(baseID: 2) { writer in
            try user(writer, 1, "marie.curie")  // here as 7
            try user(writer, 2, "irene.joliot")  // new
            try writer.insertNow(
                into: "user_groups", columns: ["id", "kind", "name"],
                values: [.integer(1), .text("classe"), .text("6e A")])
            try writer.insertNow(
                into: "memberships", columns: ["group_id", "user_id"], values: [.integer(1), .integer(1)])
            try writer.insertNow(
                into: "memberships", columns: ["group_id", "user_id"], values: [.integer(1), .integer(2)])
        }
        let (outcome, inserted) = try merge(store, model)
        #expect(
            outcome.matches == [
                MergeMatch(table: "users", key: "login = 'marie.curie'", bundleID: "1", existingID: "7")
            ])
        let users = inserted.filter { $0.table == "users" }
        #expect(users.count == 1)
        let idColumn = try #require(users.first?.columns.firstIndex(of: "id"))
        #expect(users[0].values[idColumn] == .integer(41), "a new id above the largest one")
        let memberships = inserted.filter { $0.table == "memberships" }
        let userColumn = try #require(memberships.first?.columns.firstIndex(of: "user_id"))
        #expect(Set(memberships.map { $0.values[userColumn] }) == [.integer(7), .integer(41)])
        // Parents before children.
        let order = outcome.tables.map(\.table)
        #expect(try #require(order.firstIndex(of: "users")) < (try #require(order.firstIndex(of: "memberships"))))
        #expect(try #require(order.firstIndex(of: "user_groups")) < (try #require(order.firstIndex(of: "memberships"))))
        #expect(try store.read(baseID: 1) { try $0.rowCount(of: "users") } == 3)
        #expect(try store.read(baseID: 1) { try $0.foreignKeyViolations(limit: 5) }.isEmpty)
    }

    @Test func aConflictTheKeysDidNotCoverRollsTheWholeMergeBack() throws {
        let directory = try TemporaryDirectory()
        let (store, _) = try stores(directory)
        // Without a natural key for users, the bundle's login collides with the UNIQUE one here.
        let model = ContentModel(mergeKeys: ["subjects": ["code"]])
        try store.write(baseID: 1) { try user($0, 1, "marie.curie") }
        try store.write(baseID: 2) { writer in
            try user(writer, 1, "nouvelle")
            try user(writer, 2, "marie.curie")
        }
        do {
            try merge(store, model)
            Issue.record("the merge should have been refused")
        } catch let error as RestoreError {
            guard case .mergeConflict(let table, let row, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(table == "users")
            #expect(row.contains("id = 2"), "\(row)")
            #expect(error.problemCode == .restoreMergeConflict)
        }
        #expect(try store.read(baseID: 1) { try $0.rowCount(of: "users") } == 1, "the first row was rolled back too")
    }

    @Test func aNullNaturalKeyMatchesNothingAndATableTheEstablishmentLacksIsRefused() throws {
        let directory = try TemporaryDirectory()
        let (store, _) = try stores(directory)
        let model = ContentModel(mergeKeys: ["users": ["email"]])
        try store.write(baseID: 1) { try user($0, 1, "sans.courriel.a") }  // email NULL
        try store.write(baseID: 2) { try user($0, 1, "sans.courriel.b") }  // email NULL too: not the same user
        let (outcome, inserted) = try merge(store, model)
        #expect(outcome.matches.isEmpty)
        #expect(inserted.filter { $0.table == "users" }.count == 1)

        let other = SQLiteEstablishmentStore(directory: directory.path("other"))
        try other.create(
            baseID: 1,
            schema: try SchemaStatementParser.parseScript("CREATE TABLE users (id INTEGER PRIMARY KEY, login TEXT);"))
        let planner = MergePlanner(model: model, schema: try store.read(baseID: 2) { try $0.schema() }, leftOut: [])
        #expect {
            try other.read(baseID: 1) { try planner.facts(in: $0) }
        } throws: { error in
            "\(error)".contains("that the establishment has not")
        }
    }

    @Test func mergeUsersNeverRefusesInsideTheTransaction() throws {
        let directory = try TemporaryDirectory()
        let (store, model) = try stores(directory)
        try store.write(baseID: 1) { try user($0, 1, "marie.curie") }
        try store.write(baseID: 2) { writer in
            try writer.insertNow(
                into: "subjects", columns: ["id", "code", "name"],
                values: [.integer(1), .text("PHY"), .text("Physique")])
            try user(writer, 1, "marie.curie")
        }
        #expect {
            try merge(store, model, refusing: ["users"])
        } throws: { error in
            "\(error)".contains("--merge-users never") && "\(error)".contains("login = 'marie.curie'")
        }
        #expect(
            try store.read(baseID: 1) { try $0.rowCount(of: "subjects") } == 0,
            "the subject added first was rolled back")
    }

    @Test func aReferenceCycleIsRefusedWithTheTablesNamed() throws {
        let schema = try SchemaStatementParser.parseScript(
            """
            CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b(id));
            CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id));
            CREATE TABLE c (id INTEGER PRIMARY KEY);
            """)
        let model = ContentModel()
        #expect {
            try MergePlanner.referenceOrder(schema: schema, references: model.references(in: schema), leaving: [])
        } throws: { error in
            "\(error)".contains("tables a, b form a cycle")
        }
        // Leaving one of them out breaks the cycle.
        #expect(
            try MergePlanner.referenceOrder(schema: schema, references: model.references(in: schema), leaving: ["b"])
                == ["a", "c"])
    }

    @Test func checksNameEveryLabelThatDiffers() {
        let runner = RestoreCheckRunner(checks: [.init(key: "k", label: "Users", query: "")])
        let replace = runner.compare(
            bundle: ["k": ["student": 3, "staff": 1]], after: ["k": ["student": 2]], failures: [:])
        #expect(replace[0].lines.map(\.difference) == ["1 fewer than the bundle", "1 fewer than the bundle"])
        let merge = runner.compare(
            before: ["k": ["student": 5]], bundle: ["k": ["student": 3]], after: ["k": ["student": 6]], failures: [:])
        #expect(merge[0].isEqual)
        let lost = runner.compare(
            before: ["k": ["student": 5]], bundle: ["k": ["student": 3]], after: ["k": ["student": 4]], failures: [:])
        #expect(lost[0].lines[0].difference == "1 fewer than before the merge")
    }
}
