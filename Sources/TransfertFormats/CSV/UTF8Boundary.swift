import Foundation
import TransfertModel

/// Where a chunk of UTF-8 can be cut without splitting a sequence.
enum UTF8Boundary {
    /// The length of `bytes` without a sequence its end cuts short (at most three bytes are left out).
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        var start = bytes.count
        var continuations = 0
        while start > 0, continuations < 3, bytes[start - 1] & 0xC0 == 0x80 {
            start -= 1
            continuations += 1
        }
        guard start > 0 else { return bytes.count }
        let lead = bytes[start - 1]
        let length = lead < 0x80 ? 1 : lead & 0xE0 == 0xC0 ? 2 : lead & 0xF0 == 0xE0 ? 3 : lead & 0xF8 == 0xF0 ? 4 : 1
        return length > continuations + 1 ? start - 1 : bytes.count
    }
}
