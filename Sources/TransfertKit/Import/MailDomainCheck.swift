import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What DNS says about a domain as the destination of mail.
public enum MailDomainVerdict: Equatable, Sendable {
    /// Mail can be delivered: a usable MX, or no MX at all but an address (the implicit MX).
    case acceptsMail
    /// NXDOMAIN: the domain does not exist.
    case doesNotExist
    case refusesMail(MailRefusal)
    /// DNS did not say: the address may be right.
    case uncheckable(DNSFailure)
    /// Not asked: the server had already failed to answer `timeouts` domains (see ``MailDomainCheck/maximumTimeouts``).
    case skipped(timeouts: Int)
}

/// Why an existing domain takes no mail.
public enum MailRefusal: Equatable, Sendable {
    /// Its only MX is the null MX of RFC 7505 (preference 0, exchange `.`).
    case nullMX
    /// No MX record, and no A or AAAA record to stand in for one.
    case noMailHost
}

/// Decides, as a sending server would (RFC 5321 §5.1, RFC 7505), whether the domain of each contact
/// e-mail accepts mail. Each domain is asked once, however many contacts share it.
///
/// ```swift
/// var check = MailDomainCheck(resolver: LibresolvResolver())
/// if let message = check.problem(for: email) { print(message) }
/// ```
public struct MailDomainCheck {
    public let resolver: any MailDomainResolver
    /// After this many domains without an answer, the server is taken as unreachable and the other
    /// domains are not asked: each would wait the whole timeout, and a big CSV would seem to hang.
    public var maximumTimeouts = 3
    private var verdicts: [String: MailDomainVerdict] = [:]
    private var timeouts = 0

    public init(resolver: any MailDomainResolver) {
        self.resolver = resolver
    }

    /// The verdict for `domain` (case-insensitive; non-ASCII labels are IDNA-encoded), asked once.
    public mutating func verdict(for domain: String) -> MailDomainVerdict {
        let name = Self.asciiName(domain)
        if let known = verdicts[name] { return known }
        let verdict: MailDomainVerdict
        if timeouts >= maximumTimeouts {
            verdict = .skipped(timeouts: timeouts)
        } else {
            verdict = Self.decide(name, resolver: resolver)
            if verdict == .uncheckable(.timeout) { timeouts += 1 }
        }
        verdicts[name] = verdict
        return verdict
    }

    /// The import problem for the domain of `email`, or `nil` when it accepts mail.
    public mutating func problem(for email: EmailAddress) -> String? {
        let domain = email.domain
        let subject = "the domain \(domain) of the contact e-mail"
        let action = "check the network or run without --check-mail-domains"
        switch verdict(for: domain) {
        case .acceptsMail: return nil
        case .doesNotExist: return "\(subject) does not exist (no DNS record)"
        case .refusesMail(.nullMX): return "\(subject) does not accept e-mail (it publishes a null MX record, RFC 7505)"
        case .refusesMail(.noMailHost):
            return "\(subject) does not accept e-mail (no MX record, and no A or AAAA address to deliver to)"
        case .uncheckable(.refused):
            return
                "\(subject) could not be checked: \(DNSFailure.refused); give another server with --dns-server or run without --check-mail-domains"
        case .uncheckable(let failure): return "\(subject) could not be checked: \(failure); \(action)"
        case .skipped(let count):
            return
                "\(subject) could not be checked: the DNS server did not answer for \(count) other domains, so it was not asked; \(action)"
        }
    }

    /// The mapping itself: MX first; without any MX (NODATA), A then AAAA.
    static func decide(_ domain: String, resolver: any MailDomainResolver) -> MailDomainVerdict {
        switch resolver.mailExchangers(of: domain) {
        case .found(let records):
            // RFC 7505 says a null MX stands alone; a domain that also lists real hosts gets mail there.
            return records.allSatisfy(\.isNull) ? .refusesMail(.nullMX) : .acceptsMail
        case .nonExistentDomain: return .doesNotExist
        case .failure(let failure): return .uncheckable(failure)
        case .noData:
            for type in AddressRecordType.allCases {
                switch resolver.addresses(of: domain, type: type) {
                case .found: return .acceptsMail
                case .noData: continue
                case .nonExistentDomain: return .doesNotExist  // removed between the two questions
                case .failure(let failure): return .uncheckable(failure)
                }
            }
            return .refusesMail(.noMailHost)
        }
    }

    /// The name as DNS knows it: lower case, each non-ASCII label as `xn--` + Punycode (IDNA, RFC 5891),
    /// since ``EmailAddress`` accepts internationalised domains and DNS only carries ASCII.
    static func asciiName(_ domain: String) -> String {
        domain.precomposedStringWithCanonicalMapping.lowercased().split(
            separator: ".", omittingEmptySubsequences: false
        )
        .map { label in label.allSatisfy(\.isASCII) ? String(label) : "xn--" + Punycode.encode(String(label)) }
        .joined(separator: ".")
    }
}

/// Punycode (RFC 3492) encoding of one label, for IDNA.
enum Punycode {
    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700, initialBias = 72, initialN = 0x80

    /// The encoded label, without the `xn--` prefix. Labels are at most 63 characters (``EmailAddress``
    /// checks it), so the arithmetic cannot overflow.
    static func encode(_ label: String) -> String {
        let input = label.unicodeScalars.map { Int($0.value) }
        var output = String(label.unicodeScalars.filter(\.isASCII).map(Character.init))
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var n = initialN
        var delta = 0
        var bias = initialBias
        while handled < input.count {
            let next = input.filter { $0 >= n }.min() ?? n
            delta += (next - n) * (handled + 1)
            n = next
            for scalar in input {
                if scalar < n { delta += 1 }
                guard scalar == n else { continue }
                var q = delta
                var k = base
                while true {
                    let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                    if q < t { break }
                    output.append(digit(t + (q - t) % (base - t)))
                    q = (q - t) / (base - t)
                    k += base
                }
                output.append(digit(q))
                bias = adapt(delta, points: handled + 1, first: handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return output
    }

    private static func digit(_ value: Int) -> Character {
        Character(UnicodeScalar(UInt8(value < 26 ? 0x61 + value : 0x30 + value - 26)))
    }

    private static func adapt(_ delta: Int, points: Int, first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / points
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }
}
