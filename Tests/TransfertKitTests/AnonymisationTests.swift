import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// Issue #26: pseudonyms of an anonymised copy — shapes, joins, lengths, and never a real name.
@Suite("Anonymised copies")
struct AnonymisationTests {
    let pseudonyms = Pseudonymiser(key: Array(repeating: 7, count: 32))

    func text(_ value: String, _ kind: PersonalDataKind, _ maxLength: Int? = nil) -> String {
        pseudonyms.replacement(for: .text(value), kind: kind, maxLength: maxLength).textValue ?? "<not text>"
    }

    @Test func theSameValueGivesTheSamePseudonymAndAnotherKeyAnother() {
        #expect(text("Martin", .lastName) == text("Martin", .lastName))
        #expect(text("Martin", .lastName) != text("Bernard", .lastName))
        let other = Pseudonymiser(key: Array(repeating: 8, count: 32))
        #expect(
            other.replacement(for: .text("martin.lea"), kind: .login, maxLength: nil)
                != .text(text("martin.lea", .login)))
        // A full name is the first and last names' pseudonyms, as they are elsewhere in the bundle.
        #expect(text("Léa Martin", .fullName) == text("Léa", .firstName) + " " + text("Martin", .lastName))
    }

    @Test func everyKindKeepsItsShape() throws {
        let name = text("Lefèvre", .lastName)
        #expect(name.first?.isUppercase == true && name.allSatisfy(\.isASCII) && (4...6).contains(name.count))
        let login = text("lea.martin", .login)
        #expect(login.wholeMatch(of: /[a-z]{8}\.[a-z]{8}/) != nil, "\(login)")
        let email = text("lea.martin@exemple.fr", .email)
        #expect(email.hasSuffix("@anonyme.invalid") && !email.contains("exemple"), "\(email)")
        let secret = text("$2y$10$abcdefghijklmnopqrstuv", .secret)
        #expect(secret.hasPrefix("!") && secret.count == 33, "no hash or token starts with !: \(secret)")
        #expect(text("x", .secret) != text("x", .secret), "secrets are random: equal hashes stay hidden")
        let date = text("2011-03-14", .date)
        #expect(date.wholeMatch(of: /2011-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])/) != nil, "\(date)")
        let stamp = text("2026-03-16 07:29:36", .date)
        #expect(stamp.wholeMatch(of: /2026-\d\d-\d\d \d\d:\d\d:\d\d/) != nil, "\(stamp)")
        #expect(text("0000-00-00", .date) == "0000-00-00", "the zero date names no day")
        let national = text("1234567890A", .identifier)
        #expect(national.wholeMatch(of: /\d{10}[A-Z]/) != nil && national != "1234567890A", "\(national)")
        #expect(text("Ceci nomme Léa.", .text) == Pseudonymiser.neutralText)
        #expect(pseudonyms.replacement(for: .blob(Data([1, 2, 3])), kind: .blob, maxLength: nil) == .blob(Data()))
    }

    @Test func nullAndEmptyStayAndIntegersStayIntegersThatFitTheirColumn() {
        for kind in PersonalDataKind.allCases {
            #expect(pseudonyms.replacement(for: .null, kind: kind, maxLength: nil) == .null)
        }
        #expect(text("", .email) == "" && text("", .lastName) == "")
        for original: Int64 in [7, 42, 3999, 65535, 2_997_946, -512, Int64.max] {
            guard
                case .integer(let replaced) = pseudonyms.replacement(
                    for: .integer(original), kind: .identifier, maxLength: nil)
            else {
                Issue.record("\(original) did not stay an integer")
                continue
            }
            #expect(String(replaced.magnitude).count == String(original.magnitude).count, "\(original) → \(replaced)")
            #expect(replaced.magnitude <= original.magnitude && (replaced < 0) == (original < 0))
        }
        #expect(pseudonyms.replacement(for: .integer(0), kind: .identifier, maxLength: nil) == .integer(0))
        #expect(pseudonyms.replacement(for: .integer(.min), kind: .identifier, maxLength: nil) == .integer(.min))
    }

    @Test func pseudonymsFitTheDeclaredLength() {
        #expect(text("Marie-Thérèse", .firstName, 3).count <= 3)
        #expect(text("lea.martin@exemple.fr", .email, 25).count <= 25)
        #expect(text("lea.martin@exemple.fr", .email, 25).hasSuffix("@anonyme.invalid"))
        #expect(text("abc", .secret, 32).count == 32)
        #expect(text("Un long commentaire", .text, 10) == String(Pseudonymiser.neutralText.prefix(10)))
        #expect(TableAnonymiser.maximumLength(declaredType: "varchar(25)") == 25)
        #expect(TableAnonymiser.maximumLength(declaredType: "CHAR(32)") == 32)
        #expect(TableAnonymiser.maximumLength(declaredType: "TEXT") == nil)
        #expect(TableAnonymiser.maximumLength(declaredType: "varchar(99999999999999999999999)") == nil)
        #expect(TableAnonymiser.maximumLength(declaredType: "varchar(-5)") == nil, "SQLite keeps any declared type")
    }

    /// The anonymisation test of the issue searches every original name inside the bundle: a pseudonym
    /// must never contain one, whatever the case or accents.
    @Test func noPseudonymContainsARealName() {
        func folded(_ text: String) -> String {
            text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        }
        let names = (FrenchNames.lastNames + FrenchNames.firstNames).flatMap {
            folded($0).split(whereSeparator: { !$0.isLetter }).map(String.init)
        }.filter { $0.count >= 3 }
        var produced: [String] = []
        for index in 0..<3000 {
            let seed = "\(index)"
            produced += [
                text(seed, .firstName), text(seed, .lastName), text(seed, .login), text(seed, .email),
                text(seed + "-42", .identifier),
            ]
        }
        let haystack = folded(produced.joined(separator: " "))
        for name in Set(names) { #expect(!haystack.contains(name), "\(name) appears in a pseudonym") }
    }

    @Test func aProfileWithoutCategoriesAnonymisesOnlyTheTablesItDescribes() throws {
        let model = ContentModel(personalData: ["users": ["login": .login]])
        let schema = DatabaseSchema(tables: [users(loginType: "TEXT")])
        let resolved = try ContentSelector(model: model).resolve(schema: schema, anonymise: true)
        let policy = DumpContentPolicy(
            content: resolved, personalData: model.personalData, pseudonymiser: pseudonyms, knownTables: ["users"])
        try policy.check(schema)
        var extended = schema
        extended.tables.append(TableSchema(name: "diary", columns: [ColumnSchema(name: "text", declaredType: "TEXT")]))
        #expect(throws: ContentSelectionError.uncategorisedTable("diary")) { try policy.check(extended) }
        // Without --anonymise the same database exports whole, as before.
        try DumpContentPolicy(content: try ContentSelector(model: model).resolve(schema: schema)).check(extended)
    }

    func users(loginType: String, emailType: String = "TEXT") -> TableSchema {
        TableSchema(
            name: "users",
            columns: [
                ColumnSchema(name: "id", declaredType: "INTEGER", constraints: [ColumnConstraint(.primaryKey)]),
                ColumnSchema(name: "login", declaredType: loginType, constraints: [ColumnConstraint(.unique)]),
                ColumnSchema(name: "email", declaredType: emailType),
            ])
    }

    @Test func twoPeopleGivenOneLoginAreRefusedNeverMerged() throws {
        // A four-character login column leaves 784 pseudonyms: 2,000 logins cannot all differ.
        var anonymiser = try #require(
            try TableAnonymiser(
                table: users(loginType: "varchar(4)"), columns: ["id", "login", "email"],
                personalData: ["login": .login], pseudonymiser: pseudonyms))
        #expect(throws: AnonymisationError.collision(table: "users", column: "login")) {
            for index in 0..<2000 {
                _ = try anonymiser.anonymise(
                    SQLValueRow(values: [.integer(Int64(index)), .text("user\(index)"), .null]))
            }
        }
    }

    @Test func aColumnTooShortForItsKindIsRefusedBeforeAnyRow() throws {
        #expect(
            throws: AnonymisationError.columnTooShort(
                table: "users", column: "email", kind: .email, length: 10, needed: 20)
        ) {
            try TableAnonymiser(
                table: users(loginType: "TEXT", emailType: "varchar(10)"), columns: ["id", "login", "email"],
                personalData: ["email": .email], pseudonymiser: pseudonyms)
        }
    }

    @Test func anAnonymisedRowReadsThePseudonymsAndTheOtherValuesAsTheyWere() throws {
        var anonymiser = try #require(
            try TableAnonymiser(
                table: users(loginType: "TEXT"), columns: ["id", "login", "email"],
                personalData: ["login": .login, "email": .email], pseudonymiser: pseudonyms))
        let row = try anonymiser.anonymise(
            SQLValueRow(values: [.integer(12), .text("lea.martin"), .text("lea.martin@exemple.fr")]))
        #expect(row.value(at: 0) == .integer(12))
        #expect(row.value(at: 1) == .text(text("lea.martin", .login)))
        #expect(row.value(at: 2).textValue?.hasSuffix("@anonyme.invalid") == true)
        var digest = ContentDigest(columns: ["id", "login", "email"])
        digest.add(row: row)
        var expected = ContentDigest(columns: ["id", "login", "email"])
        expected.add(row: [row.value(at: 0), row.value(at: 1), row.value(at: 2)])
        #expect(digest.finalize() == expected.finalize(), "the digest describes the pseudonyms")
    }
}
