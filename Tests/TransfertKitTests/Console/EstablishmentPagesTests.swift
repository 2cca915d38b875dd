import Foundation
import HTTPTypes
import Testing

@testable import TransfertConsole
@testable import TransfertKit
@testable import TransfertModel

/// The establishments pages: the list and its filters, statistics, add and edit through `structure
/// add|edit`, locks through `lock add|release`, removal guarded by `structure remove`, escaping, roles.
@Suite("Console establishments")
struct EstablishmentPagesTests {
    /// Three establishments in two zones, with accents in names, places and contacts.
    static func threeSchools() throws -> ConsoleHarness {
        let harness = try ConsoleHarness()
        let besancon = try harness.hosting.registry.addZone(named: "Académie de Besançon")
        let date = try CalendarDate(parsing: "2024-09-02")
        try harness.hosting.addStructure(
            NewStructure(
                uai: "0750001U", localisation: "Paris", denomination: "Collège Émile Zola", contactNom: "Dupré",
                contactPrenom: "Hélène", contactCourriel: "helene.dupre@ac-paris.fr", inscriptionDate: date))
        try harness.hosting.addStructure(
            NewStructure(
                zoneID: besancon.id, uai: "0250010A", localisation: "Besançon", denomination: "Lycée Victor Hugo",
                contactNom: "Lefèvre", contactPrenom: "Agnès", contactCourriel: "agnes.lefevre@ac-besancon.fr",
                inscriptionDate: date))
        try harness.hosting.addStructure(
            NewStructure(
                uai: nil, localisation: "Genève", denomination: "École internationale", contactNom: "Martin",
                contactPrenom: "Paul", contactCourriel: "paul.martin@example.org", inscriptionDate: date))
        return harness
    }

    static func rows(_ page: ConsolePage) -> [String] {
        page.body.components(separatedBy: "<tr data-id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    static let validFields: [(String, String)] = [
        ("uai", "0250001R"), ("denomination", "Collège Louis Pasteur"), ("localisation", "Besançon"), ("zone", "1"),
        ("contact_nom", "Dupont"), ("contact_prenom", "Hélène"), ("contact_courriel", "h.dupont@ac-besancon.fr"),
        ("language", ""),
    ]

    static func replacing(_ name: String, with value: String, in fields: [(String, String)]) -> [(String, String)] {
        fields.map { $0.0 == name ? (name, value) : $0 }
    }

    @Test(
        "The list shows every establishment; search ignores case and accents; the zone filters; an id matches exactly")
    func listSearchAndZone() async throws {
        let harness = try Self.threeSchools()
        try await harness.test { browser in
            try await browser.signIn("marie")
            let all = try await browser.get("/establishments")
            #expect(all.status == .ok)
            #expect(Self.rows(all) == ["1", "2", "3"])
            #expect(all.body.contains("id=\"search\""))
            #expect(all.body.contains("id=\"zone-filter\""))
            #expect(all.body.contains("id=\"add-establishment\""))
            // Contact without its accent, name in capitals without accents, place with a cedilla left out.
            #expect(Self.rows(try await browser.get("/establishments?q=lefevre")) == ["2"])
            #expect(Self.rows(try await browser.get("/establishments?q=COLLEGE+emile")) == ["1"])
            #expect(Self.rows(try await browser.get("/establishments?q=coll%C3%A8ge+%C3%A9MILE")) == ["1"])
            #expect(Self.rows(try await browser.get("/establishments?q=geneve")) == ["3"])
            #expect(Self.rows(try await browser.get("/establishments?q=0250010a")) == ["2"])
            #expect(Self.rows(try await browser.get("/establishments?q=3")) == ["3"])
            let zone = try await browser.get("/establishments?zone=2")
            #expect(Self.rows(zone) == ["2"])
            #expect(zone.body.contains("1 établissement(s) sur 3 correspondent"))
            #expect(Self.rows(try await browser.get("/establishments?zone=1&q=paris")) == ["1"])
            let none = try await browser.get("/establishments?q=introuvable")
            #expect(Self.rows(none).isEmpty)
            // A page number that is not one shows the nearest page, never an error.
            let odd = try await browser.get("/establishments?page=99999999999999999999999&zone=x")
            #expect(odd.status == .ok)
            #expect(Self.rows(odd) == ["1", "2", "3"])
        }
    }

    @Test("Past 200 matches the list is paginated, saying how many matched")
    func pages() {
        let first = PageSlice(total: 450, requested: nil)
        #expect(first.pageCount == 3)
        #expect(first.range == 0..<200)
        #expect(PageSlice(total: 450, requested: "3").range == 400..<450)
        #expect(PageSlice(total: 450, requested: "7").number == 3)
        #expect(PageSlice(total: 450, requested: "-4").number == 1)
        #expect(PageSlice(total: 450, requested: "9223372036854775808").number == 1)
        #expect(PageSlice(total: 0, requested: "2").range == 0..<0)
        let search = EstablishmentSearch(query: "  zola  ", zone: "12")
        #expect(search.words == ["zola"])
        #expect(search.zoneID == 12)
        #expect(EstablishmentSearch(query: nil, zone: "99999999999999999999").zoneID == nil)
    }

    @Test("The list page shows 200 rows at a time, keeps the filter in its page links, and says how many matched")
    func paginatedPage() async throws {
        let harness = try ConsoleHarness()
        for index in 1...205 {
            try harness.hosting.registry.insert(
                Structure(
                    baseID: Int64(index), zoneID: 1, uai: nil, localisation: index % 2 == 0 ? "Dole" : "Vesoul",
                    denomination: "Collège n°\(index)", contactNom: "Martin", contactPrenom: "Zoé",
                    contactCourriel: try EmailAddress(validating: "c\(index)@ac-besancon.fr"),
                    inscriptionDate: try CalendarDate(parsing: "2024-09-02")))
        }
        try await harness.test { browser in
            try await browser.signIn("marie")
            let first = try await browser.get("/establishments")
            #expect(Self.rows(first).count == 200)
            #expect(Self.rows(first).first == "1")
            #expect(first.body.contains("205 établissement(s)."))
            #expect(first.body.contains("href=\"/establishments?page=2\""))
            let second = try await browser.get("/establishments?page=2")
            #expect(Self.rows(second) == ["201", "202", "203", "204", "205"])
            #expect(second.body.contains("rel=\"prev\""))
            let dole = try await browser.get("/establishments?q=dole&zone=1")
            #expect(Self.rows(dole).count == 102)
            #expect(dole.body.contains("102 établissement(s) sur 205 correspondent"))
            #expect(!dole.body.contains("rel=\"next\""))
            let vesoul = try await browser.get("/establishments?q=zoe")
            #expect(Self.rows(vesoul).count == 200)
            #expect(vesoul.body.contains("href=\"/establishments?q=zoe&amp;page=2\""))
        }
    }

    @Test("Statistics are the stats command's, per establishment and in total")
    func statistics() async throws {
        let harness = try Self.threeSchools()
        try await harness.test { browser in
            try await browser.signIn("paul")
            let page = try await browser.get("/establishments/statistics")
            #expect(page.status == .ok)
            #expect(page.body.contains("id=\"statistics\""))
            #expect(Self.rows(page) == ["1", "2", "3"])
            #expect(page.body.contains("Total (3)"))
        }
    }

    @Test("A bad UAI is refused with the command's problem and its field; the form keeps what was typed")
    func addRefused() async throws {
        let harness = try ConsoleHarness()
        let services = harness.services
        try await harness.test { browser in
            try await browser.signIn("marie")
            let form = try await browser.get("/establishments/new")
            #expect(form.status == .ok)
            for name in [
                "uai", "denomination", "localisation", "zone", "contact_nom", "contact_prenom", "contact_courriel",
                "language",
            ] {
                #expect(form.body.contains("name=\"\(name)\""), "input \(name)")
                #expect(form.body.contains("<label for=\"\(name)\""), "label of \(name)")
            }
            #expect(form.body.contains("id=\"save\""))
            let fields = Self.replacing(
                "uai", with: "0250010B", in: Self.replacing("contact_nom", with: "-rf", in: Self.validFields))
            let refused = try await browser.post("/establishments/new", fields)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("champ uai"))
            #expect(refused.body.contains("structure.invalid"))
            #expect(refused.body.contains("value=\"0250010B\""))
            #expect(refused.body.contains("value=\"-rf\""))
            #expect(
                refused.body.contains("id=\"uai\" name=\"uai\" type=\"text\" value=\"0250010B\" aria-invalid=\"true\""))
            // The same words as the command line's, by construction.
            let cli = try await services.commands.run(
                [
                    "structure", "add", "--uai=0250010B", "--denomination=x", "--localisation=y", "--contact-nom=z",
                    "--contact-prenom=t", "--contact-courriel=a@example.org",
                ], user: "test")
            let message = try #require(cli.error?.problems?.first { $0.location?.field == "uai" }?.message)
            #expect(refused.body.contains(HTML.escape(message)))
        }
        #expect(try harness.hosting.registry.structures().isEmpty)
    }

    @Test("A value no command argument can carry (a NUL, past 64 KiB) is refused by its field, nothing run")
    func valuesTheCommandCannotReceive() async throws {
        let harness = try Self.threeSchools()
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/establishments/new")
            let nul = try await browser.post(
                "/establishments/new", Self.replacing("denomination", with: "Coll\u{0}ège", in: Self.validFields))
            #expect(nul.status == .unprocessableContent)
            #expect(nul.body.contains("champ denomination"))
            #expect(nul.body.contains("U+0000"))
            let long = String(repeating: "é", count: 70_000)
            let huge = try await browser.post(
                "/establishments/1/edit", Self.replacing("localisation", with: long, in: Self.validFields))
            #expect(huge.status == .unprocessableContent)
            #expect(huge.body.contains("champ localisation"))
            #expect(
                huge.body.contains(
                    "id=\"localisation\" name=\"localisation\" type=\"text\" value=\"\(long)\" required aria-invalid=\"true\""
                ))
            let reason = try await browser.post(
                "/establishments/1/locks", [("reason", "a\u{0}b"), ("kind", "webmaster")])
            #expect(reason.status == .unprocessableContent)
            #expect(reason.body.contains("champ reason"))
        }
        #expect(try harness.hosting.registry.structures().count == 3)
        #expect(try harness.hosting.registry.structure(baseID: 1)?.localisation == "Paris")
        #expect(try harness.hosting.registry.accessLocks().isEmpty)
        #expect(OperationLogEntries(hosting: harness.hosting.directory).newest(limit: 20).isEmpty)
    }

    @Test("An establishment added appears in the list and in the operations log with the web user's name")
    func addAccepted() async throws {
        let harness = try ConsoleHarness()
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/establishments/new")
            let added = try await browser.post(
                "/establishments/new", Self.replacing("language", with: "en", in: Self.validFields))
            #expect(added.status == .seeOther)
            #expect(added.headers[.location] == "/establishments/1?done=added")
            let list = try await browser.get("/establishments")
            #expect(Self.rows(list) == ["1"])
            #expect(list.body.contains("Collège Louis Pasteur"))
            let detail = try await browser.get("/establishments/1?done=added")
            #expect(detail.body.contains("id=\"establishment\""))
            #expect(detail.body.contains("0250001R"))
        }
        #expect(try harness.hosting.registry.letterLanguage(baseID: 1) == "en")
        let entries = OperationLogEntries(hosting: harness.hosting.directory).newest(limit: 20)
        let entry = try #require(entries.first { $0.command == "structure add" })
        #expect(entry.user == "marie")
        #expect(entry.via == "console")
        #expect(entry.outcome == "succeeded")
    }

    @Test("Editing changes the details through structure edit, keeps its own UAI, and refuses what add refuses")
    func edit() async throws {
        let harness = try Self.threeSchools()
        try await harness.test { browser in
            try await browser.signIn("marie")
            let form = try await browser.get("/establishments/1/edit")
            #expect(form.status == .ok)
            #expect(form.body.contains("value=\"Collège Émile Zola\""))
            var fields = Self.replacing("uai", with: "0750001U", in: Self.validFields)
            fields = Self.replacing("contact_nom", with: "Martin", in: fields)
            fields = Self.replacing("language", with: "en", in: fields)
            let changed = try await browser.post("/establishments/1/edit", fields)
            #expect(changed.status == .seeOther)
            // Another establishment's UAI and a bad address: both listed, nothing changed.
            try await browser.get("/establishments/1/edit")
            var bad = Self.replacing("uai", with: "0250010A", in: fields)
            bad = Self.replacing("contact_courriel", with: "pas-une-adresse", in: bad)
            let refused = try await browser.post("/establishments/1/edit", bad)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("champ uai"))
            #expect(refused.body.contains("champ contact_courriel"))
            #expect(refused.body.contains("already hosted here (establishment 2)"))
        }
        let structure = try #require(try harness.hosting.registry.structure(baseID: 1))
        #expect(structure.contactNom == "Martin")
        #expect(structure.denomination == "Collège Louis Pasteur")
        #expect(structure.uai?.rawValue == "0750001U")
        #expect(structure.contactCourriel.rawValue == "h.dupont@ac-besancon.fr")
        #expect(try harness.hosting.registry.letterLanguage(baseID: 1) == "en")
        let entries = OperationLogEntries(hosting: harness.hosting.directory).newest(limit: 20)
        #expect(entries.contains { $0.command == "structure edit" && $0.user == "marie" && $0.establishments == ["1"] })
    }

    @Test("A name full of markup is shown as text on the list, detail, edit and removal pages")
    func escaped() async throws {
        let harness = try ConsoleHarness()
        try harness.hosting.addStructure(
            NewStructure(
                uai: nil, localisation: "\"><img src=x onerror=alert(2)>", denomination: "<script>alert(1)</script>",
                contactNom: "<b>Nom</b>", contactPrenom: "'onmouseover='alert(3)", contactCourriel: "x@example.org"))
        try await harness.test { browser in
            try await browser.signIn("marie")
            for path in [
                "/establishments", "/establishments/1", "/establishments/1/edit", "/establishments/1/remove",
                "/establishments?q=%3Cscript%3E",
            ] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.body.contains("<script>alert(1)"), "\(path)")
                #expect(!page.body.contains("<img src=x"), "\(path)")
                #expect(!page.body.contains("<b>Nom"), "\(path)")
                #expect(!page.body.contains("'onmouseover="), "\(path)")
                #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(path)")
            }
        }
    }

    @Test("A move's new address is a link only when it is http(s)")
    func moveAddressLink() {
        #expect(
            EstablishmentDetailView.link("https://b.example.org/?id=7&x=1").text
                == "<a href=\"https://b.example.org/?id=7&amp;x=1\" rel=\"noreferrer\">https://b.example.org/?id=7&amp;x=1</a>"
        )
        for hostile in [
            "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,<script>",
            "//evil.example",
        ] {
            let html = EstablishmentDetailView.link(hostile).text
            #expect(!html.contains("href"), "\(hostile)")
            #expect(!html.contains("<script>"), "\(hostile)")
        }
    }

    @Test("An auditor sees the list and the details, gets no change form, and a change is refused with nothing changed")
    func auditor() async throws {
        let harness = try Self.threeSchools()
        try await harness.test { browser in
            try await browser.signIn("paul")
            let list = try await browser.get("/establishments")
            #expect(list.status == .ok)
            #expect(Self.rows(list) == ["1", "2", "3"])
            #expect(!list.body.contains("add-establishment"))
            let detail = try await browser.get("/establishments/1")
            #expect(detail.status == .ok)
            #expect(!detail.body.contains("lock-form"))
            #expect(!detail.body.contains("/remove"))
            #expect(try await browser.get("/establishments/new").status == .forbidden)
            #expect(try await browser.get("/establishments/1/edit").status == .forbidden)
            #expect(try await browser.get("/establishments/1/remove").status == .forbidden)
            #expect(try await browser.post("/establishments/new", Self.validFields).status == .forbidden)
            #expect(try await browser.post("/establishments/1/locks", [("reason", "x")]).status == .forbidden)
            #expect(try await browser.post("/establishments/1/remove", [("confirmation", "1")]).status == .forbidden)
        }
        #expect(try harness.hosting.registry.structures().count == 3)
        #expect(try harness.hosting.registry.accessLocks().isEmpty)
        #expect(
            !OperationLogEntries(hosting: harness.hosting.directory).newest(limit: 20).contains { $0.user == "paul" })
    }

    @Test("Removal needs the typed id, then the command's own guard: an unproved establishment stays")
    func removalGuarded() async throws {
        let harness = try Self.threeSchools()
        try await harness.test { browser in
            try await browser.signIn("marie")
            let form = try await browser.get("/establishments/2/remove")
            #expect(form.status == .ok)
            #expect(form.body.contains("id=\"confirmation\""))
            #expect(form.body.contains("data-proof=\"none\""))
            let untyped = try await browser.post("/establishments/2/remove", [("confirmation", "")])
            #expect(untyped.body.contains("id=\"removal-result\""))
            #expect(untyped.body.contains("data-outcome=\"not-confirmed\""))
            let wrong = try await browser.post("/establishments/2/remove", [("confirmation", "3")])
            #expect(wrong.body.contains("data-outcome=\"not-confirmed\""))
            let unproved = try await browser.post("/establishments/2/remove", [("confirmation", "2")])
            #expect(unproved.status == .unprocessableContent)
            #expect(unproved.body.contains("data-outcome=\"refused\""))
            #expect(unproved.body.contains("nothing proves establishment 2 can be restored elsewhere"))
            // A bundle the console did not export is not taken from the form.
            let forged = try await browser.post(
                "/establishments/2/remove", [("confirmation", "2"), ("bundle", "20261207-120000-abcdefghij/x")])
            #expect(forged.status == .badRequest)
        }
        #expect(try harness.hosting.registry.structure(baseID: 2) != nil)
        #expect(harness.hosting.establishments.exists(baseID: 2))
        let entries = OperationLogEntries(hosting: harness.hosting.directory).newest(limit: 20)
        #expect(entries.filter { $0.command == "structure remove" }.map(\.outcome) == ["failed"])
    }

    @Test("A confirmed move is the proof: the typed id removes it, and it cannot be edited meanwhile")
    func removalOfMoved() async throws {
        let harness = try Self.threeSchools()
        let structure = try #require(try harness.hosting.registry.structure(baseID: 2))
        try harness.hosting.registry.confirmMoves(
            [
                ConfirmedMove(
                    baseID: 2, guid: structure.guid.uuidString.lowercased(), denomination: structure.denomination,
                    localisation: structure.localisation, uai: structure.uai?.rawValue, targetServer: "serveur-b",
                    targetFingerprint: "f", newID: 7, accessURL: "https://b.example.org/?id=7", bundle: "bases_dump_x",
                    receiptSHA256: "0", confirmedAt: ISO8601DateFormatter().string(from: Date()))
            ], journal: [])
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/establishments/2/edit")
            let edit = try await browser.post(
                "/establishments/2/edit", Self.replacing("uai", with: "0250010A", in: Self.validFields))
            #expect(edit.status == .unprocessableContent)
            #expect(edit.body.contains("only an active establishment"))
            let form = try await browser.get("/establishments/2/remove")
            #expect(form.body.contains("data-proof=\"move\""))
            let removed = try await browser.post("/establishments/2/remove", [("confirmation", "2")])
            #expect(removed.status == .ok)
            #expect(removed.body.contains("data-outcome=\"removed\""))
            #expect(Self.rows(try await browser.get("/establishments")) == ["1", "3"])
        }
        #expect(try harness.hosting.registry.structure(baseID: 2) == nil)
        #expect(!harness.hosting.establishments.exists(baseID: 2))
    }

    @Test("A bundle the console exported is offered, verified by the removal job, and then the establishment goes")
    func removalVerifiedByBundle() async throws {
        let harness = try Self.threeSchools()
        let jobs = harness.services.jobs
        let export = try await jobs.start(
            kind: "export", title: "Export 1", user: "marie", arguments: ["export", "--ids", "1", "--out", "{files}"],
            establishments: [1])
        #expect(try await jobs.wait(for: export.id)?.state == .succeeded)
        try await harness.test { browser in
            try await browser.signIn("marie")
            let form = try await browser.get("/establishments/1/remove")
            let key = try #require(
                form.body.components(separatedBy: "<option value=\"\(export.id)/").dropFirst().first
                    .map { "\(export.id)/" + $0.prefix { $0 != "\"" } })
            let started = try await browser.post("/establishments/1/remove", [("confirmation", "1"), ("bundle", key)])
            #expect(started.status == .seeOther)
            let location = try #require(started.headers[.location])
            #expect(location.hasPrefix("/jobs/"))
            let id = String(location.dropFirst("/jobs/".count))
            #expect(try await jobs.wait(for: id)?.state == .succeeded)
            let page = try await browser.get(location)
            #expect(page.body.contains("id=\"removal-result\" data-outcome=\"removed\""))
        }
        #expect(try harness.hosting.registry.structure(baseID: 1) == nil)
        let entries = OperationLogEntries(hosting: harness.hosting.directory).newest(limit: 20)
        #expect(
            entries.contains { $0.command == "structure remove" && $0.user == "marie" && $0.outcome == "succeeded" })
    }

    @Test("A lock is added with its reason and released through the lock command; an empty reason is refused")
    func locks() async throws {
        let harness = try Self.threeSchools()
        let registry = harness.hosting.registry
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/establishments/1")
            let locked = try await browser.post(
                "/establishments/1/locks", [("reason", "Transfert en cours"), ("kind", "webmaster")])
            #expect(locked.status == .seeOther)
            let detail = try await browser.get("/establishments/1?done=locked")
            #expect(detail.body.contains("Transfert en cours"))
            // Set by the web user, not by the account the console runs as.
            #expect(detail.body.contains("marie@"))
            #expect(detail.body.contains("(console)"))
            #expect(detail.body.contains("class=\"release-lock\""))
            let list = try await browser.get("/establishments")
            #expect(list.body.contains("verrouillé (webmestre)"))
            let empty = try await browser.post("/establishments/2/locks", [("reason", "  "), ("kind", "webmaster")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.body.contains("class=\"failure\""))
            #expect(try registry.accessLocks().map(\.baseID) == [1])
            try await browser.get("/establishments/1")
            let released = try await browser.post("/establishments/1/locks/release", [("kind", "webmaster")])
            #expect(released.status == .seeOther)
            let after = try await browser.get("/establishments/1")
            #expect(!after.body.contains("class=\"release-lock\""))
        }
        #expect(try harness.hosting.registry.accessLocks().isEmpty)
        let entries = OperationLogEntries(hosting: harness.hosting.directory).newest(limit: 20)
        #expect(entries.contains { $0.command == "lock add" && $0.user == "marie" })
        #expect(entries.contains { $0.command == "lock release" && $0.user == "marie" })
    }

    @Test("An id that is not an establishment's is a 404, whatever it looks like")
    func unknown() async throws {
        let harness = try Self.threeSchools()
        try await harness.test { browser in
            try await browser.signIn("marie")
            for path in [
                "/establishments/9", "/establishments/0", "/establishments/-1", "/establishments/abc",
                "/establishments/99999999999999999999/edit",
            ] {
                #expect(try await browser.get(path).status == .notFound, "\(path)")
            }
        }
    }
}
