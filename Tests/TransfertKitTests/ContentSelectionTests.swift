import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// Issue #26: content categories of the application profiles and what `--without`/`--only` make of them.
@Suite("Content selection")
struct ContentSelectionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func school() throws -> ApplicationProfile {
        try ApplicationProfile.decode(BuiltInProfile.text, file: "school")
    }

    func sacoche() throws -> ApplicationProfile {
        try ApplicationProfile.load(from: Self.root.appendingPathComponent("Samples/sacoche-profile.yaml"))
    }

    @Test func leavingUsersOutTakesEveryCategoryPointingAtThemOutTooAndSaysWhy() throws {
        let profile = try school()
        let resolved = try ContentSelector(model: profile.content).resolve(
            schema: profile.databaseSchema, without: ["users"])
        let out = Set(resolved.selection.leftOut.map(\.category))
        // Fixpoint: grades point at assessments, which point at groups, which point at users.
        #expect(out == ["users", "groups", "evaluations", "grades", "messages"])
        #expect(resolved.selection.included == ["settings", "logs", "files"])
        #expect(resolved.selection.leftOut.first { $0.category == "users" }?.reason == "asked")
        let messages = try #require(resolved.consequences.first { $0.category == "messages" })
        #expect(messages.reason == "messages.author_id points at users (users)")
        #expect(resolved.carries(table: "subjects") && !resolved.carries(table: "grades"))
        #expect(resolved.carriesFiles)
        #expect(BundleFormat.written(for: resolved.selection) == 3)
    }

    @Test func noSelectionIsFormatTwoAndAnonymisedIsFormatThree() throws {
        let profile = try school()
        let selector = ContentSelector(model: profile.content)
        let all = try selector.resolve(schema: profile.databaseSchema)
        #expect(all.selection.isComplete && BundleFormat.written(for: all.selection) == 2)
        #expect(BundleFormat.written(for: nil) == 2)
        let anonymised = try selector.resolve(schema: profile.databaseSchema, anonymise: true)
        #expect(BundleFormat.written(for: anonymised.selection) == 3)
        // Uploads may hold personal data: an anonymised copy leaves them out, and says so.
        #expect(!anonymised.carriesFiles)
        // Groups hold personal data too since SIS feeds (#27): the feed's state names persons by login.
        #expect(anonymised.selection.userData == ["users", "groups", "grades", "messages", "files"])
    }

    @Test func uploadsMarkedFreeOfPersonalDataStayInAnAnonymisedCopy() throws {
        let profile = try school()
        var model = profile.content
        let index = try #require(model.categories.firstIndex { $0.files })
        model.categories[index].personalData = false
        let resolved = try ContentSelector(model: model).resolve(schema: profile.databaseSchema, anonymise: true)
        #expect(resolved.carriesFiles && resolved.selection.isComplete && resolved.selection.anonymised)
        #expect(!(resolved.selection.userData ?? []).contains("files"))
    }

    @Test func onlyRefusesACategoryWhoseRowsPointAtOneItLeavesOut() throws {
        let profile = try school()
        let selector = ContentSelector(model: profile.content)
        #expect(throws: ContentSelectionError.self) {
            try selector.resolve(schema: profile.databaseSchema, only: ["settings", "grades"])
        }
        do {
            _ = try selector.resolve(schema: profile.databaseSchema, only: ["grades"])
            Issue.record("--only grades needs users and evaluations")
        } catch {
            #expect(error.problemCode == .contentSelection)
            #expect(error.description.contains("grades cannot be carried without"), "\(error)")
        }
        let kept = try selector.resolve(schema: profile.databaseSchema, only: ["settings", "users", "groups"])
        #expect(kept.selection.included == ["settings", "users", "groups"])
        #expect(kept.consequences.isEmpty, "nothing else had to go: \(kept.consequences)")
    }

    @Test func unknownCategoryNamesTheKnownOnes() throws {
        let profile = try school()
        #expect(
            throws: ContentSelectionError.unknownCategory(
                "user", known: ["settings", "users", "groups", "evaluations", "grades", "messages", "logs", "files"])
        ) {
            try ContentSelector(model: profile.content).resolve(schema: profile.databaseSchema, without: ["user"])
        }
    }

    @Test func aTableInNoCategoryRefusesAPartialDumpButNotAWholeOne() throws {
        let profile = try school()
        let resolved = try ContentSelector(model: profile.content).resolve(
            schema: profile.databaseSchema, without: ["logs"])
        var schema = profile.databaseSchema
        schema.tables.append(TableSchema(name: "extra", columns: [ColumnSchema(name: "id", declaredType: "INTEGER")]))
        #expect(throws: ContentSelectionError.uncategorisedTable("extra")) {
            try DumpContentPolicy(content: resolved).check(schema)
        }
        let everything = try ContentSelector(model: profile.content).resolve(schema: schema)
        try DumpContentPolicy(content: everything).check(schema)
    }

    @Test func aProfileWithoutCategoriesRefusesWithoutAndOnly() throws {
        let model = ContentModel(personalData: ["users": ["login": .login]])
        let schema = try school().databaseSchema
        #expect(throws: ContentSelectionError.noCategories(option: "--without")) {
            try ContentSelector(model: model).resolve(schema: schema, without: ["users"])
        }
        #expect(throws: ContentSelectionError.nothingToAnonymise) {
            try ContentSelector(model: ContentModel()).resolve(schema: schema, anonymise: true)
        }
    }

    @Test func profileLoadNamesWhatDoesNotFit() throws {
        func load(_ extra: String) -> String {
            let yaml = BuiltInProfile.text.replacingOccurrences(
                of: "categories:\n", with: extra + "\ncategories_old:\n")
            do {
                _ = try ApplicationProfile.decode(yaml, file: "p.yaml")
                return ""
            } catch { return String(describing: error) }
        }
        #expect(
            load("categories:\n  - name: settings\n    tables: [parameters, nowhere]").contains(
                "names table nowhere, which the schema does not declare"))
        #expect(load("categories:\n  - name: settings\n    tables: [parameters]").contains("is in no category"))
        #expect(
            load("categories:\n  - name: a\n    tables: [parameters]\n  - name: b\n    tables: [parameters]").contains(
                "is in two categories"))
    }

    @Test func sacocheProfilePlacesEveryTableAndItsReferencesKeepUsersOutOfEverythingNamingThem() throws {
        let profile = try sacoche()
        let schema = profile.databaseSchema
        // As declared: `content` also places the SIS feed's tables, which exist only once a feed ran.
        #expect(profile.declaredContent.problems(against: schema).isEmpty)
        #expect(schema.tables.allSatisfy { profile.content.category(ofTable: $0.name) != nil })
        let resolved = try ContentSelector(model: profile.content).resolve(schema: schema, without: ["users"])
        // Every table naming a user is in a category left out.
        for reference in profile.content.references(in: schema) where reference.parent == "sacoche_user" {
            #expect(!resolved.carries(table: reference.table), "\(reference.table) names a user")
        }
        #expect(resolved.carries(table: "sacoche_referentiel_item"))
        #expect(profile.merge?["sacoche_user"] == ["user_login"])
        #expect(profile.restoreChecks.count == 3)
        // Every personal column's kind fits its declared length (MariaDB's strict mode would refuse more).
        for table in schema.tables {
            _ = try TableAnonymiser(
                table: table, columns: table.columnNames, personalData: profile.personalData[table.name] ?? [:],
                pseudonymiser: Pseudonymiser())
        }
    }
}
