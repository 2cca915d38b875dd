import Foundation
import Testing

/// A DNS server on 127.0.0.1 (UDP), written with Python's standard library only, that answers a fixed zone
/// and logs every question.
///
/// `python3 -c SCRIPT LOG` prints its port, then serves until its standard input closes. Each question is
/// appended to LOG as `name TYPE` (name in lower case). The zone:
/// - `ac-<academy>.fr` (the sample's contacts): MX 10 `mx.ac-<academy>.fr`;
/// - `a-only.example`: no MX, an A record (an implicit MX);
/// - `nullmx.example`: the null MX of RFC 7505 (`0 .`);
/// - `nomail.example`: exists, with no MX, A or AAAA;
/// - `broken.example`: SERVFAIL; `silent.example`: never answered;
/// - any other name: NXDOMAIN (`gone.example`).
private let dnsScript = """
    import os, re, socket, struct, sys, threading

    log_path = sys.argv[1]
    A, MX, AAAA = 1, 15, 28
    TYPE_NAMES = {A: 'A', MX: 'MX', AAAA: 'AAAA'}

    def encode_name(name):
        return b''.join(bytes([len(label)]) + label.encode('ascii') for label in name.split('.') if label) + b'\\0'

    def lookup(name, qtype):
        # (rcode, [(type, rdata)]) for a question, or None to stay silent.
        if name == 'silent.example':
            return None
        if name == 'broken.example':
            return 2, []  # SERVFAIL
        if re.fullmatch(r'ac-[a-z-]+\\.fr', name):  # the sample's academies: a real mail host
            return 0, [(MX, struct.pack('>H', 10) + encode_name('mx.' + name))] if qtype == MX else []
        if name == 'a-only.example':
            return 0, [(A, socket.inet_aton('192.0.2.10'))] if qtype == A else []
        if name == 'nullmx.example':
            return 0, [(MX, struct.pack('>H', 0) + b'\\0')] if qtype == MX else []
        if name == 'nomail.example':
            return 0, []  # exists, but no MX, A or AAAA
        return 3, []  # NXDOMAIN, gone.example among others

    def respond(query):
        ident, flags = struct.unpack('>HH', query[:4])
        offset, labels = 12, []
        while query[offset]:
            length = query[offset]
            labels.append(query[offset + 1:offset + 1 + length].decode('ascii'))
            offset += 1 + length
        qtype, = struct.unpack('>H', query[offset + 1:offset + 3])
        question = query[12:offset + 5]
        name = '.'.join(labels).lower()
        with open(log_path, 'a') as log:
            log.write(f'{name} {TYPE_NAMES.get(qtype, qtype)}\\n')
        result = lookup(name, qtype)
        if result is None:
            return None
        rcode, records = result
        # QR, AA, RA, the query's RD, the rcode; one question, the records, no authority or additional.
        header = struct.pack('>HHHHHH', ident, 0x8480 | (flags & 0x0100) | rcode, 1, len(records), 0, 0)
        answers = b''.join(struct.pack('>HHHIH', 0xC00C, rtype, 1, 300, len(rdata)) + rdata for rtype, rdata in records)
        return header + question + answers

    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(('127.0.0.1', 0))
    print(server.getsockname()[1], flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    while True:
        query, client = server.recvfrom(4096)
        reply = respond(query)
        if reply is not None:
            server.sendto(reply, client)
    """

/// A running DNS stub; stopped when released.
final class DNSStub {
    let log: URL
    private let server: PythonServer
    var port: Int { server.port }

    init(log: URL) throws {
        self.log = log
        server = try PythonServer(script: dnsScript, arguments: [log.path], name: "the DNS stub")
    }

    /// Stops the server and waits until it has exited (its port then answers with ICMP "unreachable").
    func stop() { server.stop() }

    /// `127.0.0.1:PORT`.
    var address: String { "127.0.0.1:\(port)" }

    /// The questions received so far, in order, as `name TYPE`.
    func questions() -> [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}

/// The problems of an `import --json` that was refused, as (line, column, value, message).
private func problems(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String]] {
    let object = try #require(
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
        "\(result.transcript)", sourceLocation: sourceLocation)
    let list = try #require(object["problems"] as? [[String: Any]], sourceLocation: sourceLocation)
    return list.map { problem in
        [
            (problem["line"] as? Int).map(String.init) ?? "-", problem["column"] as? String ?? "-",
            problem["value"] as? String ?? "-", problem["message"] as? String ?? "-",
        ]
    }
}

@Suite("transfert import --check-mail-domains")
struct MailDomainTests {
    /// `transfert --hosting target import ARGUMENTS` with extra environment variables.
    private func importing(_ f: ImportFixture, _ arguments: [String], environment: [String: String] = [:]) throws
        -> ProcessResult
    {
        try run(
            transfertBinary, ["--hosting", f.workspace.path("target"), "import"] + arguments, environment: environment,
            currentDirectory: f.workspace.url)
    }

    @Test func everyDomainThatTakesNoMailIsListedWithItsLineAndWithoutTheFlagNothingAsksDNS() throws {
        let f = try ImportFixture(samples: [(8, 5, 31)], targetStructures: 0)
        let stub = try DNSStub(log: f.workspace.url.appendingPathComponent("dns.log"))
        let source = try f.rows()
        let academy = try domain(of: f.value("Contact_Courriel", line: 9, in: source))
        let (csv, zip) = try f.edited(
            "edited",
            set: [
                (2, "Contact_Courriel", "lea.martin@a-only.example"),
                (3, "Contact_Courriel", "paul.roux@nullmx.example"),
                (4, "Contact_Courriel", "ines.petit@nomail.example"),
                (5, "Contact_Courriel", "agnes.lefevre@gone.example"),
                (6, "Contact_Courriel", "hugo.blanc@GONE.example"),  // the same domain: asked once
                (7, "Contact_Courriel", "jade.morel@broken.example"),
                (8, "Contact_Courriel", "noe.girard@silent.example"),
            ])

        // Without the flag, even with $TRANSFERT_DNS_SERVER set, the CSV validates and DNS hears nothing.
        let unchecked = try importing(f, ["--dry-run", csv, zip], environment: ["TRANSFERT_DNS_SERVER": stub.address])
        #expect(unchecked.status == 0, "\(unchecked.transcript)")
        #expect(unchecked.stdout.contains("Dry run: every row is valid"), "\(unchecked.transcript)")
        #expect(stub.questions().isEmpty, "no DNS traffic without --check-mail-domains: \(stub.questions())")

        let checked = try importing(
            f, ["--dry-run", "--json", "--check-mail-domains", "--dns-server", stub.address, csv, zip])
        #expect(checked.status == 1, "\(checked.transcript)")
        let couldNot = "could not be checked"
        let action = "check the network or run without --check-mail-domains"
        #expect(
            try problems(checked) == [
                [
                    "3", "Contact_Courriel", "paul.roux@nullmx.example",
                    "the domain nullmx.example of the contact e-mail does not accept e-mail (it publishes a null MX record, RFC 7505)",
                ],
                [
                    "4", "Contact_Courriel", "ines.petit@nomail.example",
                    "the domain nomail.example of the contact e-mail does not accept e-mail (no MX record, and no A or AAAA address to deliver to)",
                ],
                [
                    "5", "Contact_Courriel", "agnes.lefevre@gone.example",
                    "the domain gone.example of the contact e-mail does not exist (no DNS record)",
                ],
                [
                    "6", "Contact_Courriel", "hugo.blanc@GONE.example",
                    "the domain GONE.example of the contact e-mail does not exist (no DNS record)",
                ],
                [
                    "7", "Contact_Courriel", "jade.morel@broken.example",
                    "the domain broken.example of the contact e-mail \(couldNot): the DNS server failed to resolve it (SERVFAIL); \(action)",
                ],
                [
                    "8", "Contact_Courriel", "noe.girard@silent.example",
                    "the domain silent.example of the contact e-mail \(couldNot): the DNS server did not answer; \(action)",
                ],
            ])
        #expect(try f.structures().isEmpty, "nothing imported")

        // Each domain asked once, addresses only without MX; the resolver may retry a failed question.
        let questions = stub.questions()
        let steady = questions.filter { !$0.hasPrefix("broken.example ") && !$0.hasPrefix("silent.example ") }
        #expect(
            steady == [
                "a-only.example MX", "a-only.example A", "nullmx.example MX",
                "nomail.example MX", "nomail.example A", "nomail.example AAAA", "gone.example MX",
                "\(academy) MX",
            ], "\(questions)")
        for name in ["broken.example", "silent.example"] {
            let asked = questions.filter { $0.hasPrefix("\(name) ") }
            #expect((1...2).contains(asked.count) && asked.allSatisfy { $0 == "\(name) MX" }, "\(name): \(questions)")
        }
    }

    @Test func aCSVWhoseDomainsTakeMailImportsWithTheServerFromTheEnvironment() throws {
        let f = try ImportFixture(samples: [(6, 5, 32)], targetStructures: 0)
        let stub = try DNSStub(log: f.workspace.url.appendingPathComponent("dns.log"))
        let rows = try f.rows()
        let column = try #require(rows[0].firstIndex(of: "Contact_Courriel"))
        let domains = Set(try rows.dropFirst().map { try domain(of: $0[column]) })
        #expect(domains.allSatisfy { $0.hasPrefix("ac-") && $0.hasSuffix(".fr") }, "\(domains)")

        let dryRun = try importing(
            f, ["--dry-run", "--check-mail-domains", f.csv, f.zip],
            environment: ["TRANSFERT_DNS_SERVER": stub.address])
        #expect(dryRun.status == 0, "\(dryRun.transcript)")
        #expect(stub.questions().sorted() == domains.map { "\($0) MX" }.sorted(), "one MX question per distinct domain")

        let imported = try importing(f, ["--check-mail-domains", "--dns-server", stub.address, f.csv, f.zip])
        #expect(imported.status == 0, "\(imported.transcript)")
        #expect(imported.stdout.contains("6 imported, 0 failed"), "\(imported.transcript)")
        #expect(try f.structures().count == 6)
    }

    @Test func anUnreachableOrMisspelledServerIsAnErrorAPersonCanAct() throws {
        let f = try ImportFixture(samples: [(2, 5, 33)], targetStructures: 0)
        let stub = try DNSStub(log: f.workspace.url.appendingPathComponent("dns.log"))
        stub.stop()  // its port now refuses: nothing listens there
        let refused = try importing(
            f, ["--dry-run", "--check-mail-domains", "--dns-server", stub.address, f.csv, f.zip])
        #expect(refused.status == 1, "\(refused.transcript)")
        let address = try f.value("Contact_Courriel", line: 2, in: f.rows())
        #expect(
            refused.stderr.contains(
                "line 2, Contact_Courriel '\(address)': the domain \(try domain(of: address)) of the contact e-mail "
                    + "could not be checked: the DNS server refused the connection (nothing listens on that address and port); "
                    + "check the network or run without --check-mail-domains"), "\(refused.transcript)")
        #expect(!refused.stderr.contains("Fatal error") && !refused.stderr.contains("Stack"), "\(refused.transcript)")

        let misuses: [([String], [String: String], Int32, String)] = [
            (["--dns-server", "127.0.0.1"], [:], 64, "Error: --dns-server is only used with --check-mail-domains"),
            (
                ["--check-mail-domains", "--dns-server", "dns.example"], [:], 64,
                "Error: --dns-server: 'dns.example' is not a DNS server address: 'dns.example' is not an IPv4 address."
            ),
            (["--check-mail-domains", "--dns-server", "::1"], [:], 64, "IPv6 addresses are not supported here"),
            (
                ["--check-mail-domains"], ["TRANSFERT_DNS_SERVER": "127.0.0.1:99999"], 1,
                "Error: $TRANSFERT_DNS_SERVER: '127.0.0.1:99999' is not a DNS server address: the port must be a number from 1 to 65535."
            ),
        ]
        for (options, environment, status, message) in misuses {
            let result = try importing(f, ["--dry-run"] + options + [f.csv, f.zip], environment: environment)
            #expect(result.status == status, "\(options): \(result.transcript)")
            #expect(result.stderr.contains(message), "\(options): \(result.transcript)")
        }
        #expect(stub.questions().isEmpty)
    }
}

/// The domain of an e-mail address (after its `@`).
private func domain(of address: String) throws -> String {
    String(try #require(address.split(separator: "@").last))
}
