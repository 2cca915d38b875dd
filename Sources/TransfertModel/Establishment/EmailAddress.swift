import Foundation

/// A syntactically valid e-mail address (the `addr-spec` most relays accept).
///
/// The check is deliberately pragmatic: one `@`, a non-empty local part of at most 64 characters
/// made of atom characters and dots (not leading, trailing or doubled), and a domain of at least
/// two dot-separated labels of letters, digits and hyphens. Non-ASCII letters are accepted in the
/// domain (IDN) but not in the local part, which most relays still refuse.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible, Codable {
    public let rawValue: String
    public var description: String { rawValue }
    /// The part after `@`, as written.
    public var domain: String { String(rawValue.drop { $0 != "@" }.dropFirst()) }

    private static let atomCharacters = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")

    public init(validating text: String) throws(EmailAddressError) {
        let address = text.trimmingWhitespace
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, address.count <= 254 else {
            throw .malformed(text, reason: "it must contain exactly one @")
        }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty, local.count <= 64 else {
            throw .malformed(text, reason: "the part before @ must have 1 to 64 characters")
        }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
            local.allSatisfy({ $0 == "." || Self.atomCharacters.contains($0) })
        else {
            throw .malformed(text, reason: "the part before @ has a character or dot that is not allowed")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else {
            throw .malformed(text, reason: "the domain needs at least one dot (e.g. example.org)")
        }
        for label in labels {
            guard !label.isEmpty, label.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-"),
                label.allSatisfy({ $0 == "-" || $0.isLetter || $0.isNumber })
            else {
                throw .malformed(text, reason: "the domain '\(domain)' is not a valid host name")
            }
        }
        guard let last = labels.last, last.count >= 2, last.allSatisfy(\.isLetter) else {
            throw .malformed(text, reason: "the domain must end with a top-level domain of letters")
        }
        rawValue = address
    }

    public init(from decoder: any Decoder) throws {
        try self.init(validating: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

public enum EmailAddressError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String, reason: String)

    public var description: String {
        switch self {
        case .malformed(let text, let reason): return "'\(text)' is not a valid e-mail address: \(reason)"
        }
    }
}

extension EmailAddressError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .malformed: return .emailAddressMalformed
        }
    }
}
