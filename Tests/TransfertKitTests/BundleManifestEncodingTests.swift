import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

@Suite("The manifest's JSON")
struct BundleManifestEncodingTests {
    func manifest(count: Int) -> BundleManifest {
        let establishments = (1...max(1, count)).prefix(count).map { id in
            BundleManifest.Establishment(
                nomFichier: "base_\(id)", guid: UUID().uuidString.lowercased(), baseID: Int64(id), uai: nil,
                denomination: "Collège Émile Zola \(id)", schemaVersion: "2026-09-01", tables: [],
                schema: DatabaseSchema(),
                schemaNotes: [],
                entries: [.init(path: "base_\(id)/000001.sql", size: 12, sha256: String(repeating: "a", count: 64))],
                dumpBytes: 12, dumpSHA256: String(repeating: "b", count: 64), files: [])
        }
        return BundleManifest(
            toolVersion: "1.0.0",
            source: .init(
                serverName: "serveur-a", baseURL: "https://a.example.org/", fingerprint: "f",
                backend: "SQLite", applicationProfile: "school"),
            createdAt: "2026-11-25T08:00:00Z", options: .init(includeFiles: true, keepLocked: false),
            establishments: establishments)
    }

    @Test(arguments: [0, 1, 3])
    func encodedPieceByPieceItIsTheSameJSONAsEncodedWhole(count: Int) throws {
        let manifest = manifest(count: count)
        let spliced = try manifest.encoded()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let whole = try JSONSerialization.jsonObject(with: encoder.encode(manifest)) as? NSDictionary
        let read = try JSONSerialization.jsonObject(with: spliced) as? NSDictionary
        #expect(read == whole, "\(String(decoding: spliced, as: UTF8.self))")
        #expect(try JSONDecoder().decode(BundleManifest.self, from: spliced) == manifest)
        // Spliced, not encoded whole: each establishment starts its own unindented object.
        if count > 0 {
            #expect(
                String(decoding: spliced, as: UTF8.self).contains("\"establishments\" : [\n{\n"),
                "\(String(decoding: spliced, as: UTF8.self))")
        }
    }
}

@Suite("Reading the manifest establishment by establishment")
struct ManifestDecoderTests {
    @Test(arguments: [0, 1, 3])
    func itReadsWhatTheWholeDecoderReads(count: Int) throws {
        let manifest = BundleManifestEncodingTests().manifest(count: count)
        let data = try manifest.encoded()
        let split = try ManifestDecoder.split(data)
        #expect(split.elements.count == count)
        #expect(try ManifestDecoder.decode(data) == manifest)
    }

    @Test func strangeManifestsAreLeftToTheWholeDecoder() throws {
        // Braces inside strings, escaped quotes, and a second "establishments" key: never split wrongly.
        let tricky =
            #"{"format":"transfert-bundle","format_version":2,"tool_version":"x \"}{[","created_at":"c","#
            + #""source":{"server_name":"a","base_url":"b","fingerprint":"f","backend":"SQLite","application_profile":"p"},"#
            + #""options":{"include_files":true,"keep_locked":false},"establishments":[],"establishments":[]}"#
        #expect(throws: (any Error).self) { try ManifestDecoder.split(Data(tricky.utf8)) }
        let decoded = try ManifestDecoder.decode(Data(tricky.utf8))
        #expect(decoded.toolVersion == "x \"}{[" && decoded.establishments.isEmpty)
        // Not JSON at all: the decoder's own error.
        #expect(throws: DecodingError.self) { try ManifestDecoder.decode(Data("{\"format\": [".utf8)) }
    }
}
