import CResolv
import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// An MX record: a host that receives mail for a domain, and its preference (RFC 5321 §5.1).
public struct MXRecord: Equatable, Sendable {
    public var preference: UInt16
    /// The exchange host, without a final dot; empty for the root (`.`).
    public var exchange: String

    public init(preference: UInt16, exchange: String) {
        self.preference = preference
        self.exchange = exchange
    }

    /// A "null MX" (RFC 7505): preference 0 and the root as exchange, the way a domain says it takes no mail.
    public var isNull: Bool { preference == 0 && exchange.isEmpty }
}

/// Why a DNS question got no usable answer: the domain's state stays unknown.
public enum DNSFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// No answer within the timeout, after every try.
    case timeout
    /// The server answered SERVFAIL (often: the domain's own name servers are broken or unreachable).
    case serverFailure
    /// The server refused the question (REFUSED, NOTIMP, FORMERR): it does not resolve for us.
    case refused
    /// Anything else, in words (no resolver configuration, nothing listening, a malformed answer…).
    case other(String)

    public var description: String {
        switch self {
        case .timeout: return "the DNS server did not answer"
        case .serverFailure: return "the DNS server failed to resolve it (SERVFAIL)"
        case .refused: return "the DNS server refused the question (REFUSED)"
        case .other(let reason): return reason
        }
    }
}

/// The outcome of one DNS question about a name.
public enum DNSAnswer<Records: Equatable & Sendable>: Equatable, Sendable {
    /// The name has records of the asked type.
    case found(Records)
    /// The name exists but has no record of that type (NOERROR, empty answer: "NODATA").
    case noData
    /// The name does not exist (NXDOMAIN).
    case nonExistentDomain
    case failure(DNSFailure)
}

/// The address record types that stand in for a missing MX (the "implicit MX" of RFC 5321 §5.1).
public enum AddressRecordType: String, Sendable, CaseIterable {
    case a = "A"
    case aaaa = "AAAA"
}

/// Answers the DNS questions of ``MailDomainCheck``: a real resolver, or a fake one in tests.
public protocol MailDomainResolver: Sendable {
    /// The MX records of `domain` (ASCII, IDNA-encoded already).
    func mailExchangers(of domain: String) -> DNSAnswer<[MXRecord]>
    /// How many address records of `type` `domain` has.
    func addresses(of domain: String, type: AddressRecordType) -> DNSAnswer<Int>
}

/// A DNS server given by the operator: an IPv4 address and a port.
public struct DNSServerAddress: Equatable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    /// `HOST` or `HOST:PORT`, HOST an IPv4 address in dotted-decimal form; the port defaults to 53.
    public init(parsing text: String) throws(DNSServerAddressError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            // glibc reads IPv6 servers from /etc/resolv.conf only; its nsaddr_list override is IPv4.
            throw .invalid(
                text,
                reason:
                    "IPv6 addresses are not supported here (an IPv6 server works from /etc/resolv.conf, without --dns-server)"
            )
        }
        let host = String(parts[0])
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4,
            octets.allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy(\.isASCII) && UInt8($0) != nil })
        else {
            // A host name would need a resolver to find the resolver.
            throw .invalid(text, reason: "'\(host)' is not an IPv4 address")
        }
        var port: UInt16 = 53
        if parts.count == 2 {
            guard let value = UInt16(parts[1]), value > 0 else {
                throw .invalid(text, reason: "the port must be a number from 1 to 65535")
            }
            port = value
        }
        self.host = host
        self.port = port
    }

    public var description: String { port == 53 ? host : "\(host):\(port)" }
}

public enum DNSServerAddressError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let text, let reason):
            return
                "'\(text)' is not a DNS server address: \(reason). Give an IPv4 address and maybe a port, e.g. 192.0.2.53 or 127.0.0.1:5353"
        }
    }
}

/// Asks the C library's stub resolver (glibc's libresolv, through `CResolv`): the servers of
/// `/etc/resolv.conf`, or the one given.
///
/// Each question opens and closes its own resolver state, so the value is freely shareable; the cost,
/// re-reading `/etc/resolv.conf`, is nothing next to a network round trip.
public struct LibresolvResolver: MailDomainResolver {
    /// The server to ask; `nil`: the system's.
    public var server: DNSServerAddress?
    /// Seconds to wait for an answer at each try (glibc's `retrans`; shared between servers after the first).
    public var timeoutSeconds: Int
    /// Tries per question.
    public var tries: Int

    /// Short waits by default (2 s, twice: 4 s at most per question with one server): a CSV holds many
    /// domains and an operator is waiting.
    public init(server: DNSServerAddress? = nil, timeoutSeconds: Int = 2, tries: Int = 2) {
        self.server = server
        self.timeoutSeconds = timeoutSeconds
        self.tries = tries
    }

    public func mailExchangers(of domain: String) -> DNSAnswer<[MXRecord]> {
        query(domain, TRANSFERT_DNS_TYPE_MX) { answer in
            (0..<min(Int(answer.pointee.count), Int(TRANSFERT_DNS_MAX_MX))).map { index in
                var exchange = String(cString: transfert_dns_mx_exchange(answer, Int32(index)))
                // dn_expand writes the root as "."; other names have no final dot.
                if exchange == "." { exchange = "" }
                return MXRecord(preference: transfert_dns_mx_preference(answer, Int32(index)), exchange: exchange)
            }
        }
    }

    public func addresses(of domain: String, type: AddressRecordType) -> DNSAnswer<Int> {
        query(domain, type == .a ? TRANSFERT_DNS_TYPE_A : TRANSFERT_DNS_TYPE_AAAA) { Int($0.pointee.count) }
    }

    private func query<Records>(
        _ domain: String, _ type: transfert_dns_type,
        records: (UnsafeMutablePointer<transfert_dns_answer>) -> Records
    ) -> DNSAnswer<Records> {
        // About 16 KiB: on the heap rather than on the stack.
        let answer = UnsafeMutablePointer<transfert_dns_answer>.allocate(capacity: 1)
        defer { answer.deallocate() }
        var options = transfert_dns_options(
            server: nil, port: server?.port ?? 53,
            timeout_seconds: Int32(timeoutSeconds), tries: Int32(tries))
        if let server {
            server.host.withCString { host in
                options.server = host
                transfert_dns_query(&options, domain, type, answer)
            }
        } else {
            transfert_dns_query(&options, domain, type, answer)
        }
        switch answer.pointee.status {
        case TRANSFERT_DNS_FOUND: return .found(records(answer))
        case TRANSFERT_DNS_NODATA: return .noData
        case TRANSFERT_DNS_NXDOMAIN: return .nonExistentDomain
        case TRANSFERT_DNS_TIMEOUT: return .failure(.timeout)
        case TRANSFERT_DNS_SERVER_FAILURE: return .failure(.serverFailure)
        case TRANSFERT_DNS_REFUSED: return .failure(.refused)
        default: return .failure(.other(String(cString: transfert_dns_message(answer))))
        }
    }
}

extension DNSServerAddressError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .invalid: return .dnsServerAddressInvalid
        }
    }
}
