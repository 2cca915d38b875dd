import Foundation
import HTTPTypes
import Testing

@testable import TransfertConsole
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertPortal

/// The maintenance page: windows planned, changed and cancelled from forms through `transfert maintenance`,
/// shown in the hosting's time zone; the CLI's refusals; the whole-hosting lock; the portal preview in the
/// portal's words; operators' words always shown as text; auditors see and change nothing.
@Suite("Console maintenance")
struct MaintenancePagesTests {
    static let script = "<img src=x onerror=alert(1)>"

    /// The value of the first element named `name` on `body` (its `value`, or a textarea's text), as a browser
    /// would send it back.
    static func fieldValue(_ name: String, in body: String) -> String? {
        guard let named = body.range(of: "name=\"\(name)\"") else { return nil }
        let tagStart = body[..<named.lowerBound].range(of: "<", options: .backwards)?.lowerBound ?? named.lowerBound
        let tag = body[tagStart...].prefix { $0 != ">" }
        let escaped: String
        if tag.hasPrefix("<textarea") {
            let text = body[tagStart...].drop { $0 != ">" }.dropFirst()
            escaped = String(text.prefix { $0 != "<" })
        } else {
            guard let value = tag.range(of: "value=\"") else { return "" }
            escaped = String(tag[value.upperBound...].prefix { $0 != "\"" })
        }
        return escaped.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The contents of the `<h2>` and `<p>` elements of `html`, as written (escaped).
    static func texts(of html: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "<(h2|p)[^>]*>([^<]+)</(h2|p)>")
        let range = NSRange(html.startIndex..., in: html)
        return pattern.matches(in: html, range: range).compactMap { match in
            Range(match.range(at: 2), in: html).map { String(html[$0]) }
        }
    }

    /// The table row of window `number` on `body`, or nil.
    static func row(_ number: Int, in body: String) -> String? {
        guard let start = body.range(of: "<tr data-window=\"\(number)\"") else { return nil }
        let rest = body[start.lowerBound...]
        return String(rest[..<(rest.range(of: "</tr>")?.upperBound ?? rest.endIndex)])
    }

    @Test("A window planned from the form is listed in the hosting's time zone, then cancelled")
    func planListCancel() async throws {
        let harness = try ConsoleHarness(establishments: 2)
        let hosting = harness.hosting
        let zone = harness.services.timeZone
        #expect(zone.identifier == "Europe/Paris")
        try await harness.test { browser in
            try await browser.signIn("marie")
            let empty = try await browser.get("/maintenance")
            #expect(empty.status == .ok)
            #expect(empty.body.contains("id=\"plan-form\""))
            let planned = try await browser.post(
                "/maintenance/plan",
                [
                    ("ids", "1,2"), ("starts", "2030-06-01T13:00"), ("ends", "2030-06-01T14:30"), ("type", "database"),
                    ("message", "Retour prévu\r\nvers 14 h 30"),
                ])
            #expect(planned.status == .ok, "\(planned.body)")
            #expect(planned.body.contains("id=\"maintenance-result\""))
            let row = try #require(Self.row(1, in: planned.body))
            // Typed in Paris's summer time (UTC+2): shown as typed, stored two hours earlier in UTC.
            #expect(row.contains("01/06/2030 13:00"))
            #expect(row.contains("01/06/2030 14:30"))
            #expect(row.contains("data-state=\"planned\""))
            #expect(row.contains("class=\"cancel-window"))
            #expect(row.contains("href=\"/maintenance/1/edit\""))
            let windows = try hosting.registry.maintenanceWindows()
            #expect(windows.count == 1)
            #expect(ISO8601DateFormatter().string(from: windows[0].start) == "2030-06-01T11:00:00Z")
            #expect(windows[0].scope == .establishments([1, 2]))
            // The textarea's CR LF arrived as the line break the command accepts.
            #expect(windows[0].message == "Retour prévu\nvers 14 h 30")
            // Planned by the web user who clicked, not the account serving the console.
            #expect(windows[0].plannedBy.hasPrefix("marie@") && windows[0].plannedBy.hasSuffix(" (console)"))
            #expect(row.contains("marie@"))

            let cancelled = try await browser.post("/maintenance/1/cancel", [])
            #expect(cancelled.status == .ok, "\(cancelled.body)")
            #expect(cancelled.body.contains("Fenêtre 1 annulée"))
            #expect(try hosting.registry.maintenanceWindows().first?.cancelledAt != nil)
            let list = try await browser.get("/maintenance")
            #expect(Self.row(1, in: list.body) == nil, "a cancelled window is not listed by default")
            let all = try await browser.get("/maintenance?ended=1")
            #expect(Self.row(1, in: all.body)?.contains("data-state=\"cancelled\"") == true)
            #expect(Self.row(1, in: all.body)?.contains("cancel-window") == false)
        }
        let log = try String(
            contentsOf: hosting.directory.appendingPathComponent(OperationLog.relativePath), encoding: .utf8)
        #expect(log.contains("\"user\":\"marie\""))
        #expect(
            log.contains("\"command\":\"maintenance plan\"") && log.contains("\"command\":\"maintenance cancel\""),
            "\(log)")
    }

    @Test("A bad or past date, or no end, shows the command's refusal, keeps what was typed, plans nothing")
    func badDates() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let hosting = harness.hosting
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/maintenance")
            let bad = try await browser.post(
                "/maintenance/plan", [("ids", "1"), ("starts", "demain 13h"), ("duration", "45m")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("class=\"failure\""))
            #expect(bad.body.contains(HTML.escape("--start 'demain 13h' is not a time")), "\(bad.body)")
            #expect(Self.fieldValue("ids", in: bad.body) == "1", "what was typed is shown again")
            let past = try await browser.post(
                "/maintenance/plan", [("ids", "1"), ("starts", "2020-01-01T10:00"), ("duration", "45m")])
            #expect(past.status == .unprocessableContent)
            #expect(past.body.contains("--start 01/01/2020 10:00:00 is in the past"), "\(past.body)")
            let noEnd = try await browser.post("/maintenance/plan", [("ids", "1"), ("starts", "2030-06-01T13:00")])
            #expect(noEnd.status == .unprocessableContent)
            #expect(noEnd.body.contains("Give either --end or --duration"), "\(noEnd.body)")
            let unknown = try await browser.post(
                "/maintenance/plan", [("ids", "1,99"), ("starts", "2030-06-01T13:00"), ("duration", "1h")])
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.body.contains("no establishment has id 99"), "\(unknown.body)")
            // A value that looks like an option stays the option's value.
            let dashed = try await browser.post(
                "/maintenance/plan", [("ids", "--all"), ("starts", "2030-06-01T13:00"), ("duration", "1h")])
            #expect(dashed.status == .unprocessableContent)
            #expect(dashed.body.contains(HTML.escape("'--all' is not an establishment id")), "\(dashed.body)")
            let both = try await browser.post(
                "/maintenance/plan", [("ids", "1"), ("now", "on"), ("starts", "2030-06-01T13:00"), ("duration", "1h")])
            #expect(both.status == .unprocessableContent)
            #expect(both.body.contains("pas les deux"))
        }
        #expect(try hosting.registry.maintenanceWindows().isEmpty)
    }

    @Test("Editing an in-progress window passes only what changed: its past start is not sent back")
    func editInProgress() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let hosting = harness.hosting
        let zone = harness.services.timeZone
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/maintenance")
            let planned = try await browser.post(
                "/maintenance/plan", [("ids", "1"), ("now", "on"), ("duration", "2h"), ("message", "Avant")])
            #expect(planned.status == .ok, "\(planned.body)")
            #expect(Self.row(1, in: planned.body)?.contains("data-state=\"in progress\"") == true)
            let before = try #require(try hosting.registry.maintenanceWindows().first)
            let form = try await browser.get("/maintenance/1/edit")
            #expect(form.status == .ok)
            #expect(form.body.contains("id=\"edit-form\""))
            // What a browser sends back: every shown value, the message changed.
            let fields = ["was_starts", "was_ends", "was_type", "was_message", "starts", "ends"].map { name in
                (name, Self.fieldValue(name, in: form.body) ?? "")
            }
            #expect(fields.first { $0.0 == "starts" }?.1 == LocalDateTime(timeZone: zone).inputValue(before.start))
            let edited = try await browser.post(
                "/maintenance/1/edit", fields + [("type", "database"), ("message", "Après")])
            #expect(edited.status == .ok, "\(edited.body)")
            #expect(edited.body.contains("Fenêtre 1 modifiée"))
            let after = try #require(try hosting.registry.maintenanceWindows().first)
            #expect(after.message == "Après")
            #expect(after.start == before.start && after.end == before.end)
            // Emptying the message removes it.
            let again = try await browser.get("/maintenance/1/edit")
            let kept = ["was_starts", "was_ends", "was_type", "was_message", "starts", "ends"].map { name in
                (name, Self.fieldValue(name, in: again.body) ?? "")
            }
            let removed = try await browser.post("/maintenance/1/edit", kept + [("type", "database"), ("message", "")])
            #expect(removed.status == .ok, "\(removed.body)")
            #expect(try hosting.registry.maintenanceWindows().first?.message == nil)
            // Nothing changed: the command's own refusal, on the edit page.
            let third = try await browser.get("/maintenance/1/edit")
            let same = ["was_starts", "was_ends", "was_type", "was_message", "starts", "ends"].map { name in
                (name, Self.fieldValue(name, in: third.body) ?? "")
            }
            let nothing = try await browser.post("/maintenance/1/edit", same + [("type", "database"), ("message", "")])
            #expect(nothing.status == .unprocessableContent)
            #expect(nothing.body.contains("Nothing to change"), "\(nothing.body)")
            let missing = try await browser.get("/maintenance/7/edit")
            #expect(missing.status == .notFound)
        }
    }

    @Test("An operator's message holding markup is shown as text in the list and in the preview")
    func messagesAreEscaped() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let hosting = harness.hosting
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/maintenance")
            let planned = try await browser.post(
                "/maintenance/plan",
                [("ids", "1"), ("starts", "2030-06-01T13:00"), ("duration", "45m"), ("message", Self.script)])
            #expect(planned.status == .ok, "\(planned.body)")
            let list = try await browser.get("/maintenance")
            #expect(!list.body.contains("<img"))
            #expect(Self.row(1, in: list.body)?.contains("&lt;img src=x onerror=alert(1)&gt;") == true)
            let preview = try await browser.get("/maintenance/preview?id=1")
            #expect(preview.status == .ok)
            #expect(!preview.body.contains("<img"))
            #expect(preview.body.contains("id=\"preview\""))
            #expect(
                preview.body.components(separatedBy: "&lt;img src=x onerror=alert(1)&gt;").count == 3, "now and during")
            // Hidden fields and the textarea of the edit form too.
            let edit = try await browser.get("/maintenance/1/edit")
            #expect(!edit.body.contains("<img"))
            #expect(Self.fieldValue("was_message", in: edit.body) == Self.script)
        }
    }

    @Test("The preview says what the portal says, now and during the next window, in the portal's words")
    func previewInPortalWords() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let hosting = harness.hosting
        let zone = harness.services.timeZone
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/maintenance")
            let planned = try await browser.post(
                "/maintenance/plan",
                [("ids", "1"), ("starts", "2030-06-01T13:00"), ("duration", "45m"), ("type", "deployment")])
            #expect(planned.status == .ok, "\(planned.body)")
            let access = HostingAccess(registry: hosting.registry, settings: hosting.accessSettings)
            let now = try #require(try access.state(baseID: 1, at: Date()))
            let window = try #require(try hosting.registry.maintenanceWindows().first)
            let during = try #require(try access.state(baseID: 1, at: window.start))
            #expect(now.state == .warning && during.state == .maintenance)
            let preview = try await browser.get("/maintenance/preview?id=1")
            #expect(preview.status == .ok)
            #expect(preview.body.contains("id=\"preview-now\" data-state=\"warning\" data-status=\"200\""))
            #expect(preview.body.contains("id=\"preview-window\" data-state=\"maintenance\" data-status=\"503\""))
            #expect(preview.body.contains(HTML.escape(try #require(now.message))))
            #expect(preview.body.contains(HTML.escape(try #require(during.message))))
            #expect(preview.body.contains(HTML.escape(try #require(during.disconnect?.message))))
            let french = PortalWording(state: during, language: "fr")
            #expect(preview.body.contains(HTML.escape(try #require(french.heading))))
            #expect(preview.body.contains(HTML.escape(try #require(french.retry))))
            #expect(preview.body.contains(HTML.escape(try #require(PortalWording(state: now, language: "fr").heading))))
            // Every heading and paragraph of the portal's own notice, byte for byte (both escape alike).
            for state in [now, during] {
                let portal = PortalPage(language: "fr", application: hosting.profile.name).establishment(state)
                let notice = try #require(portal.range(of: "<section class=\"").map { portal[$0.lowerBound...] })
                let section = notice[..<(notice.range(of: "</section>")?.lowerBound ?? notice.endIndex)]
                let texts = Self.texts(of: String(section))
                #expect(texts.count >= 2, "\(section)")
                for text in texts { #expect(preview.body.contains(text), "\(text)") }
            }
            // At a time asked, in the hosting's zone: during the window.
            let at = try await browser.get("/maintenance/preview?id=1&at=2030-06-01T13%3A10")
            #expect(at.body.contains("id=\"preview-now\" data-state=\"maintenance\""), "\(at.body)")
            let unknown = try await browser.get("/maintenance/preview?id=42")
            #expect(unknown.status == .notFound)
            #expect(unknown.body.contains("no establishment has id 42"))
            let huge = try await browser.get("/maintenance/preview?id=99999999999999999999999")
            #expect(huge.status == .badRequest)
            let badTime = try await browser.get("/maintenance/preview?id=1&at=hier")
            #expect(badTime.status == .badRequest)
            #expect(badTime.body.contains(HTML.escape("at 'hier' is not a time")), "\(badTime.body)")
        }
    }

    @Test("The whole hosting is closed and reopened through lock add/release --all")
    func hostingLock() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let hosting = harness.hosting
        try await harness.test { browser in
            try await browser.signIn("marie")
            let open = try await browser.get("/maintenance")
            #expect(open.body.contains("id=\"hosting-lock\" data-locked=\"false\""))
            let empty = try await browser.post("/maintenance/hosting-lock", [("reason", "   ")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.body.contains("--reason is empty"), "\(empty.body)")
            let locked = try await browser.post(
                "/maintenance/hosting-lock", [("reason", "Migration <b>du</b> serveur")])
            #expect(locked.status == .ok, "\(locked.body)")
            #expect(locked.body.contains("data-locked=\"true\""))
            #expect(locked.body.contains("Migration &lt;b&gt;du&lt;/b&gt; serveur"))
            let lock = try #require(try hosting.registry.accessLocks().first { $0.baseID == nil })
            #expect(lock.setBy?.hasPrefix("marie@") == true)
            let preview = try await browser.get("/maintenance/preview?id=1")
            #expect(preview.body.contains("id=\"preview-now\" data-state=\"locked\" data-status=\"503\""))
            let released = try await browser.post("/maintenance/hosting-lock/release", [])
            #expect(released.status == .ok, "\(released.body)")
            #expect(try hosting.registry.accessLocks().isEmpty)
        }
    }

    @Test("An auditor sees the windows and the preview, no form, and every change is refused")
    func auditor() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let hosting = harness.hosting
        _ = try MaintenanceSchedule(registry: hosting.registry, time: hosting.accessSettings.time).plan(
            .init(
                scope: .establishments([1]), type: .database, start: Date().addingTimeInterval(86_400),
                end: .duration(3_600), message: nil))
        try await harness.test { browser in
            try await browser.signIn("paul")
            let page = try await browser.get("/maintenance")
            #expect(page.status == .ok)
            #expect(Self.row(1, in: page.body) != nil)
            for form in ["plan-form", "hosting-lock-form", "cancel-window", "edit-window"] {
                #expect(!page.body.contains(form), "\(form)")
            }
            let edit = try await browser.get("/maintenance/1/edit")
            #expect(!edit.body.contains("edit-form"))
            let preview = try await browser.get("/maintenance/preview?id=1")
            #expect(preview.body.contains("id=\"preview-window\""))
            for (path, fields) in [
                ("/maintenance/plan", [("ids", "1"), ("now", "on"), ("duration", "1h")]),
                ("/maintenance/1/cancel", []), ("/maintenance/hosting-lock", [("reason", "x")]),
                ("/maintenance/1/edit", [("message", "x")]),
            ] {
                let refused = try await browser.post(path, fields)
                #expect(refused.status == .forbidden, "\(path)")
            }
        }
        let windows = try hosting.registry.maintenanceWindows()
        #expect(windows.count == 1 && windows[0].cancelledAt == nil && windows[0].message == nil)
        #expect(try hosting.registry.accessLocks().isEmpty)
    }

    @Test("Typed times go to the command as it spells them; anything else as typed")
    func localTimes() {
        #expect(LocalDateTime.argument("2026-12-01T13:00") == "2026-12-01 13:00")
        #expect(LocalDateTime.argument("2026-12-01T13:00:30") == "2026-12-01 13:00:30")
        #expect(LocalDateTime.argument("01/12/2026 13:00") == "01/12/2026 13:00")
        #expect(LocalDateTime.argument("Tomorrow T") == "Tomorrow T")
        let paris = LocalDateTime(timeZone: TimeZone(identifier: "Europe/Paris")!)
        #expect(paris.inputValue(ISO8601DateFormatter().date(from: "2026-12-01T12:00:00Z")!) == "2026-12-01T13:00")
    }
}
