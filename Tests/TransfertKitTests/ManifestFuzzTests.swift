import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// A structure-aware fuzzer of `manifest.json` as ``ManifestDecoder`` reads it from a bundle: a valid
/// manifest (three establishments, a real schema, chunks and uploads) mutated where it matters — numbers
/// made huge, negative, fractional or beyond 64 bits; names given `..`, control characters or a megabyte;
/// types swapped; keys removed; values nested thousands deep; arrays of a hundred thousand items.
///
/// **Passed** means: every input is decoded or refused with a typed error (`DecodingError`,
/// ``ManifestValueError``), never a trap; what decodes holds only values an export writes (sizes and row
/// counts that are not negative and add up within 64 bits, names of the format), so every total a
/// command makes from it is exact. Each input is at most a few MiB, so each is bounded in time and memory.
///
/// `make test` runs `TRANSFERT_MANIFEST_FUZZ_COUNT` inputs (2,000 by default); `make test-reliability`
/// runs 100,000. The same seed gives the same inputs.
@Suite("Manifest fuzzing")
struct ManifestFuzzTests {
    typealias Generator = CSVFuzzTests.Generator

    static var count: Int {
        Int(ProcessInfo.processInfo.environment["TRANSFERT_MANIFEST_FUZZ_COUNT"] ?? "") ?? 2_000
    }

    /// The valid manifest every input starts from, as JSON objects.
    nonisolated(unsafe) static let base: [String: Any] = {
        let schema = try! SchemaStatementParser.parseScript(
            """
            CREATE TABLE users (id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE, born TEXT CHECK (born > '1900'));
            CREATE TABLE marks (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), value REAL);
            CREATE INDEX marks_user ON marks(user_id);
            """)
        var manifest = BundleManifestEncodingTests().manifest(count: 3)
        for index in manifest.establishments.indices {
            let folder = manifest.establishments[index].nomFichier
            manifest.establishments[index].schema = schema
            manifest.establishments[index].tables = [
                TableDigest(table: "users", rows: 120, sha256: String(repeating: "c", count: 64)),
                TableDigest(table: "marks", rows: 4_000, sha256: String(repeating: "d", count: 64)),
            ]
            manifest.establishments[index].files = [
                .init(path: "\(folder)/files/logo.png", size: 2_908, sha256: ""),
                .init(path: "\(folder)/files/documents/Règlement intérieur.pdf", size: 81_000, sha256: ""),
            ]
            manifest.establishments[index].entries.append(
                .init(path: "\(folder)/000002.sql", size: 40, sha256: String(repeating: "e", count: 64)))
            manifest.establishments[index].language = "fr"
        }
        return try! JSONSerialization.jsonObject(with: manifest.encoded()) as! [String: Any]
    }()

    /// Numbers as JSON text, some beyond what `Int64` and `Double` hold.
    static let numbers = [
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "-1", "0", "1", "1.5", "-0.0", "1e300", "1e400", "-1e400", "4611686018427387904",
        "99999999999999999999999999999999", "0.0000001", "2147483648", "NaN", "1E19",
    ]
    /// Strings that names must not be, or that no field expects.
    static let strings = [
        "..", "../..", "base_1/..", "base_1/../base_2", "base_1/files/../../evil", "/etc/passwd", "base_1\\..\\x",
        "base_1\u{0}", "base_1/files/a\u{7}b", "", " ", "base_01", "base_-1", "base_9223372036854775808",
        "é\u{301}", "\u{202E}evil", "base_1/000001.sql/..", "C:/evil", "%2e%2e", "base_1/files/.", "base_1/files//x",
    ]

    /// A path from the root to a value: keys and indexes.
    enum Step {
        case key(String)
        case index(Int)
    }

    /// Every path to a value of `value`, depth first.
    static func paths(_ value: Any, prefix: [Step] = [], into result: inout [[Step]]) {
        result.append(prefix)
        if let object = value as? [String: Any] {
            for (key, child) in object { paths(child, prefix: prefix + [.key(key)], into: &result) }
        } else if let array = value as? [Any] {
            for (index, child) in array.enumerated() { paths(child, prefix: prefix + [.index(index)], into: &result) }
        }
    }

    static let allPaths: [[Step]] = {
        var result: [[Step]] = []
        paths(base, into: &result)
        return result.filter { !$0.isEmpty }
    }()

    static func get(_ value: Any, _ path: ArraySlice<Step>) -> Any? {
        guard let step = path.first else { return value }
        switch step {
        case .key(let key): return (value as? [String: Any])?[key].flatMap { get($0, path.dropFirst()) }
        case .index(let index):
            guard let array = value as? [Any], array.indices.contains(index) else { return nil }
            return get(array[index], path.dropFirst())
        }
    }

    /// `value` with what is at `path` replaced (`nil`: removed).
    static func set(_ value: Any, _ path: ArraySlice<Step>, to new: Any?) -> Any {
        guard let step = path.first else { return new ?? NSNull() }
        switch step {
        case .key(let key):
            guard var object = value as? [String: Any] else { return value }
            if path.count == 1 {
                object[key] = new
            } else if let child = object[key] {
                object[key] = set(child, path.dropFirst(), to: new)
            }
            return object
        case .index(let index):
            guard var array = value as? [Any], array.indices.contains(index) else { return value }
            if path.count == 1 {
                if let new { array[index] = new } else { array.remove(at: index) }
            } else {
                array[index] = set(array[index], path.dropFirst(), to: new)
            }
            return array
        }
    }

    /// One input: the base manifest mutated in one to four places, as JSON text.
    static func input(_ g: inout Generator) -> Data {
        var manifest: Any = base
        var raw: [String] = []  // JSON text spliced in where a placeholder string stands
        func placeholder(_ text: String) -> String {
            raw.append(text)
            return "@@RAW\(raw.count - 1)@@"
        }
        func pick<T>(_ list: [T]) -> T { list[Int(g.next() % UInt64(list.count))] }
        for _ in 0..<(1 + Int(g.next() % 4)) {
            let path = pick(allPaths)[...]
            let current = get(manifest, path)
            let replacement: Any?
            switch g.next() % 10 {
            case 0, 1, 2:  // a number where numbers are, or anywhere
                replacement = current is NSNumber || g.next() % 3 == 0 ? placeholder(pick(numbers)) : current
            case 3, 4:  // a name that is not one
                replacement = current is String || g.next() % 3 == 0 ? pick(strings) : current
            case 5:  // another type
                replacement = pick([NSNull(), true, "12", [1, 2], ["x": 1], 3.25, [] as [Any]] as [Any])
            case 6:  // a key removed, an item removed
                replacement = nil
            case 7:  // deep nesting
                let depth = 1 + Int(g.next() % 20_000)
                replacement = placeholder(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
            case 8:  // a huge string
                replacement = String(
                    repeating: pick(["x", "é", ".", "/", "\u{0}"]),
                    count: 1 + Int(g.next() % (g.next() % 20 == 0 ? 1_000_000 : 5_000)))
            default:  // a large array of copies of one of its items
                if let array = current as? [Any], let first = array.first {
                    replacement = Array(
                        repeating: first, count: 1 + Int(g.next() % (g.next() % 50 == 0 ? 100_000 : 200)))
                } else {
                    replacement = placeholder(pick(numbers))
                }
            }
            manifest = set(manifest, path, to: replacement)
        }
        var text = String(decoding: try! JSONSerialization.data(withJSONObject: manifest), as: UTF8.self)
        for (index, token) in raw.enumerated() {
            text = text.replacingOccurrences(of: "\"@@RAW\(index)@@\"", with: token)
        }
        return Data(text.utf8)
    }

    enum Outcome { case decoded, refused }

    /// Decodes one input as a bundle's manifest is decoded, and checks what decodes.
    static func exercise(_ data: Data) -> Outcome {
        let manifest: BundleManifest
        do {
            manifest = try ManifestDecoder.decode(data)
        } catch let error as DecodingError {
            #expect(!ConfigurationError.describe(error).isEmpty)
            return .refused
        } catch let error as ManifestValueError {
            #expect(!error.description.isEmpty && !error.field.isEmpty)
            return .refused
        } catch {
            Issue.record("an untyped refusal: \(type(of: error)) \(String(describing: error).prefix(300))")
            return .refused
        }
        // What decodes is what an export writes: every total is exact.
        #expect(manifest.establishments.lazy.map(\.contentBytes).checkedSum() != nil)
        #expect(manifest.establishments.lazy.map(\.rows).checkedSum() != nil)
        for establishment in manifest.establishments {
            #expect(establishment.nomFichier == "base_\(establishment.baseID)" && establishment.baseID > 0)
            #expect(
                establishment.dumpBytes >= 0 && establishment.files.allSatisfy { $0.size >= 0 }
                    && establishment.tables.allSatisfy { $0.rows >= 0 })
            #expect(
                establishment.files.allSatisfy {
                    ManifestValidator.uploadPathProblem($0.path, folder: establishment.nomFichier) == nil
                })
            #expect(
                establishment.entries.allSatisfy {
                    ManifestValidator.isChunkPath($0.path, folder: establishment.nomFichier)
                })
            #expect(establishment.tables.lazy.map(\.rows).checkedSum() == establishment.rows)
            #expect(establishment.files.lazy.map(\.size).checkedSum() == establishment.filesBytes)
        }
        return .decoded
    }

    @Test func theBaseManifestDecodes() throws {
        #expect(Self.exercise(try JSONSerialization.data(withJSONObject: Self.base)) == .decoded)
    }

    @Test func mutatedManifestsAreDecodedOrRefusedWithATypedError() {
        var g = Generator(state: 2026_12_07)
        var decoded = 0
        var refused = 0
        for _ in 0..<Self.count {
            switch Self.exercise(Self.input(&g)) {
            case .decoded: decoded += 1
            case .refused: refused += 1
            }
        }
        #expect(decoded + refused == Self.count)
        #expect(decoded > 0 && refused > 0, "the inputs reach both outcomes (decoded \(decoded), refused \(refused))")
    }
}
