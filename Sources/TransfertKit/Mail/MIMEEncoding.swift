import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Quoted-printable (RFC 2045 §6.7) for `text/plain; charset=UTF-8` bodies: 7-bit safe, readable
/// where the text is ASCII, every encoded line at most 76 characters, lines ended by CRLF.
///
/// ```swift
/// QuotedPrintable.encode("Établissement Joël")   // "=C3=89tablissement Jo=C3=ABl\r\n"
/// ```
public enum QuotedPrintable {
    /// The longest encoded line, soft line break `=` included (RFC 2045).
    public static let maximumLineLength = 76

    /// Encodes `text` (any line ends: LF, CRLF or CR) line by line; the result ends with CRLF.
    public static func encode(_ text: String) -> String {
        var output = ""
        for line in MailText.lines(text) {
            output += encodeLine(Array(line.utf8))
            output += "\r\n"
        }
        return output
    }

    private static func encodeLine(_ bytes: [UInt8]) -> String {
        var output = ""
        var current = ""
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let token: String
            switch byte {
            case 0x20, 0x09:
                // Trailing white space would be stripped by transports (RFC 2045 rule 3).
                token = isLast ? hex(byte) : String(UnicodeScalar(byte))
            case 0x2E where current.isEmpty && output.isEmpty:
                // A leading dot: harmless for libcurl (it dot-stuffs), but some relays mangle it.
                token = hex(byte)
            case 0x46
            where current.isEmpty && output.isEmpty && bytes.count >= 5 && Array(bytes[0..<5]) == Array("From ".utf8):
                // "From " at the start of a line becomes ">From " in mbox files.
                token = hex(byte)
            case 0x21...0x3C, 0x3E...0x7E:
                token = String(UnicodeScalar(byte))
            default:
                token = hex(byte)
            }
            // Keep room for the soft line break "=" unless this is the line's last token.
            let limit = isLast ? maximumLineLength : maximumLineLength - 1
            if current.count + token.count > limit {
                output += current + "=\r\n"
                current = ""
            }
            current += token
        }
        return output + current
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "=" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}

/// RFC 2047 encoded-words, for non-ASCII text in header fields (`Subject`, display names).
///
/// Uses the "Q" encoding restricted to the characters allowed inside a phrase, so the same words are
/// valid in `Subject` and in `From`/`To` display names. Every word is at most 75 characters and a
/// character's UTF-8 bytes never straddle two words (RFC 2047 §5).
///
/// ```swift
/// EncodedWords.encode("Agnès Lefèvre")   // ["=?UTF-8?Q?Agn=C3=A8s_Lef=C3=A8vre?="]
/// ```
public enum EncodedWords {
    static let prefix = "=?UTF-8?Q?"
    static let suffix = "?="
    public static let maximumWordLength = 75

    /// Whether `text` can go into a header as it is: printable ASCII, and nothing a reader would take for an
    /// encoded-word.
    public static func needsEncoding(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 > 0x7E } || text.contains("=?")
    }

    /// The encoded-words of `text`; the first is at most `firstWordLimit` characters long (what is left on the
    /// header's first line), the others at most 75.
    public static func encode(_ text: String, firstWordLimit: Int = maximumWordLength) -> [String] {
        var words: [String] = []
        var payload = ""
        var limit = max(min(firstWordLimit, maximumWordLength), prefix.count + suffix.count + 12)
        for character in text {
            let encoded = String(character).utf8.map(encodeByte).joined()
            if !payload.isEmpty && prefix.count + payload.count + encoded.count + suffix.count > limit {
                words.append(prefix + payload + suffix)
                payload = ""
                limit = maximumWordLength
            }
            payload += encoded
        }
        if !payload.isEmpty || words.isEmpty { words.append(prefix + payload + suffix) }
        return words
    }

    private static func encodeByte(_ byte: UInt8) -> String {
        switch byte {
        case 0x20: return "_"
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x21, 0x2A, 0x2B, 0x2D, 0x2F: return String(UnicodeScalar(byte))
        default:
            let digits = Array("0123456789ABCDEF")
            return "=" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
        }
    }
}

/// Header field formatting: folding at 78 characters with CRLF + space, encoded-words when needed.
public enum MailHeader {
    /// The longest header line this writer produces (RFC 5322 §2.1.1 recommends 78).
    public static let foldAt = 78

    /// `Name: value`, folded, for an unstructured field such as `Subject`. Non-ASCII text becomes encoded-words.
    public static func unstructured(_ name: String, _ value: String) -> String {
        let value = MailText.singleLine(value)
        let start = name + ": "
        if EncodedWords.needsEncoding(value) {
            let words = EncodedWords.encode(value, firstWordLimit: foldAt - 2 - start.count)
            return start + words.joined(separator: "\r\n ")
        }
        return start + fold(value, firstLineUsed: start.count)
    }

    /// `Name: Display Name <address>`, the display name quoted or encoded as needed.
    public static func mailbox(_ name: String, displayName: String, address: String) -> String {
        let start = name + ": "
        let display = MailText.singleLine(displayName)
        if display.isEmpty { return start + address }
        let phrase: [String]
        if EncodedWords.needsEncoding(display) {
            phrase = EncodedWords.encode(display, firstWordLimit: foldAt - 2 - start.count)
        } else if display.unicodeScalars.allSatisfy({ atext.contains($0) || $0 == " " }) {
            phrase = [display]
        } else {
            phrase = [
                "\"" + display.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\""
            ]
        }
        var line = start
        var lines: [String] = []
        for part in phrase + ["<\(address)>"] {
            if line != start && line.count + 1 + part.count > foldAt {
                lines.append(line)
                line = " " + part
            } else {
                line += (line == start ? "" : " ") + part
            }
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    /// Folds ASCII text at spaces so that no line exceeds 78 characters when it can be helped.
    static func fold(_ value: String, firstLineUsed: Int) -> String {
        var lines: [String] = []
        var line: String?
        var used = firstLineUsed
        for word in value.split(separator: " ", omittingEmptySubsequences: false) {
            guard let current = line else {
                line = String(word)
                continue
            }
            if !current.isEmpty && used + current.count + 1 + word.count > foldAt {
                lines.append(current)
                line = String(word)
                used = 1  // the folded line starts with a space
            } else {
                line = current + " " + word
            }
        }
        lines.append(line ?? "")
        return lines.joined(separator: "\r\n ")
    }

    /// RFC 5322 `atext`: what a display name may hold without quotes.
    static let atext: Set<Unicode.Scalar> = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".unicodeScalars)

    /// An RFC 5322 date: `Mon, 23 Nov 2026 18:45:07 +0100`, in English whatever the locale.
    public static func date(_ date: Date, timeZone: TimeZone = .current) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}

/// Small text helpers shared by the template and the message writer.
enum MailText {
    /// The lines of `text`, whatever its line ends; a final line end does not make an empty last line.
    static func lines(_ text: String) -> [Substring] {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = normalised.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// `text` on one line: line ends and tabs become spaces (a header cannot hold them), ends trimmed.
    static func singleLine(_ text: String) -> String {
        text.components(separatedBy: CharacterSet.newlines.union(.controlCharacters))
            .joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}
