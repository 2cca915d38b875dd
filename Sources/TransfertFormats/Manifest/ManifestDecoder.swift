import Foundation
import TransfertModel

/// Decodes `manifest.json` one establishment at a time.
///
/// `JSONDecoder` indexes every token of its input before it builds anything: for the manifest of a
/// bundle of 300 establishments (about 7 MB) that index alone was some 20 MiB, so memory grew with the
/// number of establishments. Here the bytes are scanned once to find where each establishment's object
/// begins and ends, and each object is decoded on its own; equal schemas are kept once
/// (``SchemaInterner``). A manifest the scanner does not follow is decoded whole, the usual way, so its
/// error message is the decoder's.
enum ManifestDecoder {
    /// `split`: the result of ``split(_:)`` when the caller already has it. A manifest that decodes is
    /// then checked by ``ManifestValidator`` (numbers, sums and names), which throws ``ManifestValueError``.
    static func decode(_ data: Data, split: (frame: Data, elements: [Range<Data.Index>])? = nil) throws
        -> BundleManifest
    {
        let manifest: BundleManifest
        do {
            manifest = try decodeStructure(data, split: split)
        } catch let error as DecodingError {
            // "Not valid JSON" for 1.5 or 2^63 where an integer belongs: say which field and value.
            throw ManifestIntegerScan.firstProblem(in: data) ?? error
        }
        try ManifestValidator.check(manifest)
        return manifest
    }

    private static func decodeStructure(_ data: Data, split: (frame: Data, elements: [Range<Data.Index>])?) throws
        -> BundleManifest
    {
        guard let split = split ?? (try? Self.split(data)) else {
            return try JSONDecoder().decode(BundleManifest.self, from: data)
        }
        do {
            let decoder = JSONDecoder()
            var manifest = try decoder.decode(BundleManifest.self, from: split.frame)
            guard manifest.establishments.isEmpty else { throw ScanError.unexpected }
            let schemas = SchemaInterner()
            manifest.establishments.reserveCapacity(split.elements.count)
            for range in split.elements {
                var establishment = try decoder.decode(BundleManifest.Establishment.self, from: data[range])
                establishment.schema = schemas.shared(establishment.schema)
                manifest.establishments.append(establishment)
            }
            return manifest
        } catch {
            // The whole decode names the failing path (`establishments[3].guid`).
            return try JSONDecoder().decode(BundleManifest.self, from: data)
        }
    }

    enum ScanError: Error { case unexpected }

    /// The manifest with an empty `establishments` list, and the byte ranges of the list's objects.
    static func split(_ data: Data) throws -> (frame: Data, elements: [Range<Data.Index>]) {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> (frame: Data, elements: [Range<Data.Index>]) in
            let bytes = raw.bindMemory(to: UInt8.self)
            let base = data.startIndex
            var depth = 0
            var index = 0
            var lastKey: Range<Int>?
            var list: Range<Int>?
            var elements: [Range<Data.Index>] = []
            var elementStart: Int?
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    let start = index
                    index += 1
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                        index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                    }
                    guard index < bytes.count else { throw ScanError.unexpected }
                    if depth == 1 { lastKey = (start + 1)..<index }
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    if depth == 1, byte == UInt8(ascii: "["), let key = lastKey,
                        Array(bytes[key]) == Array("establishments".utf8)
                    {
                        // A second list under the same key: which one counts is the decoder's business.
                        guard list == nil else { throw ScanError.unexpected }
                        list = index..<index
                    }
                    if depth == 2, list != nil, list!.isEmpty, byte == UInt8(ascii: "{") { elementStart = index }
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    guard depth >= 0 else { throw ScanError.unexpected }
                    if depth == 2, let start = elementStart, byte == UInt8(ascii: "}") {
                        elements.append((base + start)..<(base + index + 1))
                        elementStart = nil
                    }
                    if depth == 1, let open = list, open.isEmpty, byte == UInt8(ascii: "]") {
                        list = open.lowerBound..<(index + 1)
                    }
                default:
                    break
                }
                index += 1
            }
            guard depth == 0, let list, !list.isEmpty else { throw ScanError.unexpected }
            var frame = Data(data[base..<(base + list.lowerBound)])
            frame.append(contentsOf: Array("[]".utf8))
            frame.append(data[(base + list.upperBound)...])
            return (frame, elements)
        }
    }
}
