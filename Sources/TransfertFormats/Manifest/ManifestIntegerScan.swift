import Foundation
import TransfertModel

/// Finds, in the text of a `manifest.json` the JSON decoder refused, an integer field whose number is
/// not a 64-bit integer (`1.5`, `1e400`, `9223372036854775808`): the decoder only says the data "was not
/// valid JSON", and the operator should read which establishment, field and value. One pass over the
/// bytes, nothing kept but the answer.
enum ManifestIntegerScan {
    /// The manifest's integer keys and what they count.
    static let integerKeys: [String: String] = [
        "rows": "a row count", "size": "a size", "dump_bytes": "a size", "base_id": "an establishment id",
        "format_version": "a format version",
    ]

    static func firstProblem(in data: Data) -> ManifestValueError? {
        let elements = (try? ManifestDecoder.split(data))?.elements ?? []
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> ManifestValueError? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = 0
            while index < bytes.count {
                guard bytes[index] == UInt8(ascii: "\"") else {
                    index += 1
                    continue
                }
                // A string: a key when a ':' follows it.
                let start = index + 1
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard index < bytes.count else { return nil }
                let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                var next = index
                while next < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[next]) { next += 1 }
                guard next < bytes.count, bytes[next] == UInt8(ascii: ":"), let what = integerKeys[key] else {
                    continue
                }
                next += 1
                while next < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[next]) { next += 1 }
                var end = next
                while end < bytes.count, !",}] \t\r\n".utf8.contains(bytes[end]) { end += 1 }
                let token = String(decoding: UnsafeBufferPointer(rebasing: bytes[next..<end]), as: UTF8.self)
                guard let first = token.utf8.first, first == UInt8(ascii: "-") || (0x30...0x39).contains(first),
                    Int64(token) == nil
                else { continue }
                // `1e2` or `3.0` is an integer the decoder takes: the refusal is elsewhere.
                if let number = Double(token), number == number.rounded(), abs(number) < 9.2e18 { continue }
                let offset = data.startIndex + next
                let establishment = elements.firstIndex { $0.contains(offset) }.map { "establishments[\($0)]" }
                return ManifestValueError(
                    establishment: establishment, field: key, value: String(token.prefix(100)),
                    message: "\(what) is an integer between -9223372036854775808 and 9223372036854775807")
            }
            return nil
        }
    }
}
