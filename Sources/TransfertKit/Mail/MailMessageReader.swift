import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Reads back an outbox message for a person: header fields unfolded with their encoded-words decoded,
/// and the body decoded from quoted-printable (or base64). `transfert outbox show` prints it.
///
/// ```swift
/// let decoded = DecodedMessage(Data(contentsOf: emlURL))
/// decoded["Subject"]   // "Collège Victor Hugo : votre établissement …"
/// decoded.body         // the letter's text
/// ```
public struct DecodedMessage: Sendable {
    /// Header fields in order, values decoded.
    public var headers: [(name: String, value: String)]
    public var body: String

    public subscript(name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public init(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let parts = text.components(separatedBy: "\n\n")
        let head = parts.first ?? ""
        let rawBody = parts.dropFirst().joined(separator: "\n\n")
        var headers: [(String, String)] = []
        for line in head.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), let last = headers.popLast() {
                headers.append((last.0, last.1 + line))
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        self.headers = headers.map { ($0.0, Self.decodeWords($0.1.trimmingCharacters(in: .whitespaces))) }
        let encoding = headers.first { $0.0.lowercased() == "content-transfer-encoding" }?.1.trimmingCharacters(
            in: .whitespaces
        ).lowercased()
        switch encoding {
        case "quoted-printable": body = String(decoding: QuotedPrintable.decode(rawBody), as: UTF8.self)
        case "base64":
            body = String(
                decoding: Data(base64Encoded: rawBody, options: .ignoreUnknownCharacters) ?? Data(), as: UTF8.self)
        default: body = rawBody
        }
    }

    /// Decodes the RFC 2047 encoded-words (UTF-8 or ISO-8859-1, Q or B) of a header value; white space
    /// between two adjacent encoded-words is dropped, as the RFC says.
    static func decodeWords(_ value: String) -> String {
        var output = ""
        var pendingSpace = ""
        var previousWasWord = false
        var rest = Substring(value)
        while !rest.isEmpty {
            if rest.hasPrefix("=?"), let word = decodeWord(&rest) {
                if !previousWasWord { output += pendingSpace }
                pendingSpace = ""
                output += word
                previousWasWord = true
            } else if let first = rest.first, first == " " || first == "\t" {
                let spaces = rest.prefix { $0 == " " || $0 == "\t" }
                pendingSpace += spaces
                rest = rest.dropFirst(spaces.count)
            } else {
                output += pendingSpace
                pendingSpace = ""
                output.append(rest.removeFirst())
                previousWasWord = false
            }
        }
        return output + pendingSpace
    }

    private static func decodeWord(_ rest: inout Substring) -> String? {
        let parts = rest.dropFirst(2).split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[3].hasPrefix("=") else { return nil }
        let charset = parts[0].lowercased()
        let encoding = parts[1].lowercased()
        let payload = parts[2]
        let bytes: [UInt8]
        if encoding == "q" {
            bytes = QuotedPrintable.decode(payload.replacingOccurrences(of: "_", with: " "))
        } else if encoding == "b", let data = Data(base64Encoded: String(payload)) {
            bytes = Array(data)
        } else {
            return nil
        }
        rest = parts[3].dropFirst()
        if charset == "iso-8859-1" || charset == "latin1" { return String(bytes.map { Character(Unicode.Scalar($0)) }) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension QuotedPrintable {
    /// The bytes of quoted-printable text: `=XX` escapes decoded, soft line breaks removed, line ends as LF.
    public static func decode(_ text: some StringProtocol) -> [UInt8] {
        var output: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0
        func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: return byte - 0x30
            case 0x41...0x46: return byte - 0x41 + 10
            case 0x61...0x66: return byte - 0x61 + 10
            default: return nil
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x3D {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                    index += 2
                    continue
                }
                if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A {
                    index += 3
                    continue
                }
                if index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                {
                    output.append(high << 4 | low)
                    index += 3
                    continue
                }
            }
            if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                index += 1
                continue
            }
            output.append(byte)
            index += 1
        }
        return output
    }
}
