import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Sender addresses no letter may go out from: the placeholder `init` writes when no `--webmaster-email` is
/// given, and every address in a domain reserved for examples and tests (RFC 2606: example.org, .com, .net
/// and the `.example`, `.invalid`, `.test`, `.localhost` top-level domains; RFC 6761: `localhost`). Replies
/// to such a sender are lost, and relays often refuse it: letters are written from it (drafts, to read),
/// never sent.
///
/// ```swift
/// PlaceholderSender.reason("webmestre@example.org")   // "the placeholder `transfert init` writes …"
/// PlaceholderSender.reason("webmestre@a.example.org") // "in example.org, a domain reserved …"
/// PlaceholderSender.reason("webmestre@ac-lyon.fr")    // nil
/// ```
public enum PlaceholderSender {
    /// What `init` writes as `webmaster.email` when none is given.
    public static let defaultAddress = "webmestre@example.org"
    /// Domains reserved for documentation (RFC 2606 §3), with their subdomains.
    static let reservedDomains = ["example.org", "example.com", "example.net"]
    /// Top-level domains reserved for tests, examples, invalid names and loopback (RFC 2606 §2, RFC 6761).
    static let reservedTopLevelDomains = ["example", "invalid", "test", "localhost"]

    /// Why `address` cannot be a sender, or `nil` when it can.
    public static func reason(_ address: String) -> String? {
        let trimmed = address.trimmingCharacters(in: .whitespaces)
        if trimmed.caseInsensitiveCompare(defaultAddress) == .orderedSame {
            return "the placeholder `transfert init` writes when no --webmaster-email is given"
        }
        guard let at = trimmed.lastIndex(of: "@") else { return "not an e-mail address" }
        var domain = trimmed[trimmed.index(after: at)...].lowercased()
        while domain.hasSuffix(".") { domain.removeLast() }
        if let reserved = reservedDomains.first(where: { domain == $0 || domain.hasSuffix("." + $0) }) {
            return "an address in \(reserved), a domain reserved for examples (RFC 2606): no one reads its mail"
        }
        let topLevel = domain.split(separator: ".").last.map(String.init) ?? domain
        if reservedTopLevelDomains.contains(topLevel) {
            return
                "an address in .\(topLevel), a top-level domain reserved for tests and examples (RFC 2606, RFC 6761): no one reads its mail"
        }
        return nil
    }
}
