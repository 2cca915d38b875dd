import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// A resolver answering from a table, and recording every question asked.
final class FakeResolver: MailDomainResolver, @unchecked Sendable {
    var mx: [String: DNSAnswer<[MXRecord]>] = [:]
    var addresses: [String: [AddressRecordType: DNSAnswer<Int>]] = [:]
    private let lock = NSLock()
    private var asked: [String] = []

    /// Questions asked so far, as "name TYPE".
    var questions: [String] { lock.withLock { asked } }

    func mailExchangers(of domain: String) -> DNSAnswer<[MXRecord]> {
        lock.withLock { asked.append("\(domain) MX") }
        return mx[domain] ?? .nonExistentDomain
    }

    func addresses(of domain: String, type: AddressRecordType) -> DNSAnswer<Int> {
        lock.withLock { asked.append("\(domain) \(type.rawValue)") }
        return addresses[domain]?[type] ?? .noData
    }
}

@Suite("Mail domain check")
struct MailDomainCheckTests {
    private func email(_ text: String) throws -> EmailAddress { try EmailAddress(validating: text) }

    @Test func mapsEachDNSAnswerToAVerdictAsASendingServerWould() {
        let resolver = FakeResolver()
        resolver.mx["mx.example"] = .found([MXRecord(preference: 10, exchange: "mail.mx.example")])
        resolver.mx["nullmx.example"] = .found([MXRecord(preference: 0, exchange: "")])
        // RFC 7505 wants a null MX alone; with a real host beside it, mail goes to that host.
        resolver.mx["mixed.example"] = .found([
            MXRecord(preference: 0, exchange: ""), MXRecord(preference: 5, exchange: "mx.mixed.example"),
        ])
        // Preference 0 with a real exchange is an ordinary MX, not a null one.
        resolver.mx["zero.example"] = .found([MXRecord(preference: 0, exchange: "mx.zero.example")])
        resolver.mx["a-only.example"] = .noData
        resolver.addresses["a-only.example"] = [.a: .found(1)]
        resolver.mx["aaaa-only.example"] = .noData
        resolver.addresses["aaaa-only.example"] = [.a: .noData, .aaaa: .found(2)]
        resolver.mx["nothing.example"] = .noData
        resolver.mx["slow.example"] = .failure(.timeout)
        resolver.mx["broken.example"] = .failure(.serverFailure)
        resolver.mx["flaky-a.example"] = .noData
        resolver.addresses["flaky-a.example"] = [.a: .failure(.serverFailure)]

        var check = MailDomainCheck(resolver: resolver)
        #expect(check.verdict(for: "mx.example") == .acceptsMail)
        #expect(check.verdict(for: "nullmx.example") == .refusesMail(.nullMX))
        #expect(check.verdict(for: "mixed.example") == .acceptsMail)
        #expect(check.verdict(for: "zero.example") == .acceptsMail)
        #expect(check.verdict(for: "a-only.example") == .acceptsMail)
        #expect(check.verdict(for: "aaaa-only.example") == .acceptsMail)
        #expect(check.verdict(for: "nothing.example") == .refusesMail(.noMailHost))
        #expect(check.verdict(for: "gone.example") == .doesNotExist)
        #expect(check.verdict(for: "slow.example") == .uncheckable(.timeout))
        #expect(check.verdict(for: "broken.example") == .uncheckable(.serverFailure))
        #expect(check.verdict(for: "flaky-a.example") == .uncheckable(.serverFailure))
        // Addresses are asked only when there is no MX at all, A before AAAA, AAAA only without A.
        #expect(
            resolver.questions == [
                "mx.example MX", "nullmx.example MX", "mixed.example MX", "zero.example MX",
                "a-only.example MX", "a-only.example A",
                "aaaa-only.example MX", "aaaa-only.example A", "aaaa-only.example AAAA",
                "nothing.example MX", "nothing.example A", "nothing.example AAAA",
                "gone.example MX", "slow.example MX", "broken.example MX", "flaky-a.example MX", "flaky-a.example A",
            ])
    }

    @Test func eachDomainIsAskedOnceWhateverItsCase() throws {
        let resolver = FakeResolver()
        resolver.mx["ac-besancon.fr"] = .found([MXRecord(preference: 10, exchange: "mx.ac-besancon.fr")])
        var check = MailDomainCheck(resolver: resolver)
        for address in [
            "a.b@ac-besancon.fr", "c@AC-Besancon.FR", "d@ac-besancon.fr", "e@gone.example", "f@Gone.Example",
        ] {
            _ = check.problem(for: try email(address))
        }
        #expect(resolver.questions == ["ac-besancon.fr MX", "gone.example MX"])
    }

    @Test func problemsNameTheDomainAndSayWhatToDo() throws {
        let resolver = FakeResolver()
        resolver.mx["ok.example"] = .found([MXRecord(preference: 1, exchange: "mx.ok.example")])
        resolver.mx["nullmx.example"] = .found([MXRecord(preference: 0, exchange: "")])
        resolver.mx["nothing.example"] = .noData
        resolver.mx["slow.example"] = .failure(.timeout)
        resolver.mx["broken.example"] = .failure(.serverFailure)
        resolver.mx["closed.example"] = .failure(.refused)
        var check = MailDomainCheck(resolver: resolver)
        #expect(check.problem(for: try email("x@ok.example")) == nil)
        #expect(
            check.problem(for: try email("x@Gone.example"))
                == "the domain Gone.example of the contact e-mail does not exist (no DNS record)")
        #expect(
            check.problem(for: try email("x@nullmx.example"))
                == "the domain nullmx.example of the contact e-mail does not accept e-mail (it publishes a null MX record, RFC 7505)"
        )
        #expect(
            check.problem(for: try email("x@nothing.example"))
                == "the domain nothing.example of the contact e-mail does not accept e-mail (no MX record, and no A or AAAA address to deliver to)"
        )
        #expect(
            check.problem(for: try email("x@slow.example"))
                == "the domain slow.example of the contact e-mail could not be checked: the DNS server did not answer; check the network or run without --check-mail-domains"
        )
        #expect(
            check.problem(for: try email("x@broken.example"))
                == "the domain broken.example of the contact e-mail could not be checked: the DNS server failed to resolve it (SERVFAIL); check the network or run without --check-mail-domains"
        )
        #expect(
            check.problem(for: try email("x@closed.example"))
                == "the domain closed.example of the contact e-mail could not be checked: the DNS server refused the question (REFUSED); give another server with --dns-server or run without --check-mail-domains"
        )
    }

    @Test func afterThreeDomainsWithoutAnswerTheOthersAreNotAsked() throws {
        let resolver = FakeResolver()
        for name in ["one", "two", "three", "four", "five"] { resolver.mx["\(name).example"] = .failure(.timeout) }
        resolver.mx["fine.example"] = .found([MXRecord(preference: 1, exchange: "mx.fine.example")])
        var check = MailDomainCheck(resolver: resolver)
        #expect(check.verdict(for: "fine.example") == .acceptsMail)
        for name in ["one", "two", "three"] { #expect(check.verdict(for: "\(name).example") == .uncheckable(.timeout)) }
        #expect(check.verdict(for: "four.example") == .skipped(timeouts: 3))
        #expect(
            check.problem(for: try email("x@five.example"))
                == "the domain five.example of the contact e-mail could not be checked: the DNS server did not answer for 3 other domains, so it was not asked; check the network or run without --check-mail-domains"
        )
        #expect(check.verdict(for: "fine.example") == .acceptsMail, "known verdicts are still given")
        #expect(resolver.questions == ["fine.example MX", "one.example MX", "two.example MX", "three.example MX"])
    }

    @Test func internationalisedDomainsAreAskedInTheirASCIIForm() {
        // RFC 3492 §7.1 and Python's idna codec.
        #expect(Punycode.encode("münchen") == "mnchen-3ya")
        #expect(Punycode.encode("bücher") == "bcher-kva")
        #expect(Punycode.encode("例え") == "r8jz45g")
        #expect(Punycode.encode("abc-é") == "abc--epa")
        #expect(MailDomainCheck.asciiName("AC-Besançon.FR") == "xn--ac-besanon-v6a.fr")
        // A decomposed "ç" (c + combining cedilla) is the same domain.
        #expect(MailDomainCheck.asciiName("ac-besanc\u{327}on.fr") == "xn--ac-besanon-v6a.fr")
        #expect(MailDomainCheck.asciiName("Ac-Lyon.fr") == "ac-lyon.fr")
    }

    @Test func dnsServerAddressesAreIPv4WithAnOptionalPort() throws {
        #expect(try DNSServerAddress(parsing: "192.0.2.53") == DNSServerAddress(parsing: "192.0.2.53:53"))
        let local = try DNSServerAddress(parsing: " 127.0.0.1:5353 ")
        #expect(local.host == "127.0.0.1" && local.port == 5353 && local.description == "127.0.0.1:5353")
        let refusals: [(String, String)] = [
            ("::1", "IPv6 addresses are not supported here"), ("[::1]:53", "IPv6 addresses are not supported here"),
            ("dns.example", "'dns.example' is not an IPv4 address"),
            ("256.1.1.1", "'256.1.1.1' is not an IPv4 address"),
            ("1.2.3", "'1.2.3' is not an IPv4 address"), ("1.2.3.4:0", "the port must be a number from 1 to 65535"),
            ("1.2.3.4:65536", "the port must be a number from 1 to 65535"),
            ("1.2.3.4:", "the port must be a number from 1 to 65535"),
        ]
        for (text, reason) in refusals {
            #expect(throws: DNSServerAddressError.self) { try DNSServerAddress(parsing: text) }
            do { _ = try DNSServerAddress(parsing: text) } catch {
                #expect(error.description.contains(reason), "\(text): \(error)")
                #expect(error.description.contains("e.g. 192.0.2.53 or 127.0.0.1:5353"))
            }
        }
    }

    @Test func thePlannerListsEachRefusedDomainWithItsLineAndNothingElseChanges() throws {
        let directory = try TemporaryDirectory()
        let source = try makeHosting(in: directory, name: "source")
        let target = try makeHosting(in: directory, name: "target")
        try SampleGenerator(structures: 3, students: 5, seed: 5).fill(source)
        let export = try Exporter(hosting: source).run(
            ExportOptions(selection: .all, outputDirectory: directory.path("out")))
        // Line 2 keeps its academy's domain; lines 3 and 4 get domains that take no mail.
        var lines = try String(contentsOf: export.csv, encoding: .utf8).components(separatedBy: "\r\n")
        let column = try #require(lines[0].components(separatedBy: ";").firstIndex(of: "Contact_Courriel"))
        let goodDomain = try EmailAddress(validating: lines[1].components(separatedBy: ";")[column]).domain
        for (index, address) in [(2, "agnes@gone.example"), (3, "paul@nullmx.example")] {
            var fields = lines[index].components(separatedBy: ";")
            fields[column] = address
            lines[index] = fields.joined(separator: ";")
        }
        try lines.joined(separator: "\r\n").write(to: export.csv, atomically: true, encoding: .utf8)

        let resolver = FakeResolver()
        resolver.mx[goodDomain] = .found([MXRecord(preference: 10, exchange: "mx.\(goodDomain)")])
        resolver.mx["nullmx.example"] = .found([MXRecord(preference: 0, exchange: "")])
        let plan = try ImportPlanner(hosting: target, mailDomains: resolver).plan(
            csv: export.csv, zip: export.zip, resumes: false)
        #expect(
            plan.problems.map(\.description) == [
                "line 3, Contact_Courriel 'agnes@gone.example': the domain gone.example of the contact e-mail does not exist (no DNS record)",
                "line 4, Contact_Courriel 'paul@nullmx.example': the domain nullmx.example of the contact e-mail does not accept e-mail (it publishes a null MX record, RFC 7505)",
            ])
        #expect(
            plan.problems.allSatisfy {
                $0.code == .csvInvalidValue && $0.location?.file == export.csv.path
                    && $0.location?.establishment?.hasPrefix("base_") == true
            },
            "\(plan.problems)")
        #expect(resolver.questions.contains("\(goodDomain) MX"))

        // Without a resolver (the default), the same CSV is valid.
        let unchecked = try ImportPlanner(hosting: target).plan(csv: export.csv, zip: export.zip, resumes: false)
        #expect(unchecked.isValid, "\(unchecked.problems)")
        #expect(unchecked.establishments.count == 3)
    }
}
