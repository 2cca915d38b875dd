import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

@testable import TransfertConsole
@testable import TransfertKit
@testable import TransfertModel

/// The classes of hostile input the console meets — markup in values, paths in names, broken forms and
/// uploads — tried on generated members, not only the ones written by hand. Seeded: a failure is replayed
/// by its seed.
@Suite("Console fuzzing")
struct ConsoleFuzzTests {
    static let count = Int(ProcessInfo.processInfo.environment["TRANSFERT_CONSOLE_FUZZ_COUNT"] ?? "") ?? 2_000
    static let pieces = [
        "<", ">", "&", "\"", "'", "/", "\\", "..", ".", "a", "é", "Œ", " ", "\u{0}", "%2F", "%00", "=", ";", "\r\n",
        "<script>", "</textarea>", "javascript:", "onerror=", "{{", "}}", "`", "\u{202E}", "😀", "+", "@", "(", ")",
    ]

    static func word(_ generator: inout SeededGenerator, maximum: Int = 12) -> String {
        (0..<Int.random(in: 0...maximum, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
            .joined()
    }

    @Test("Any text in an element or an attribute stays text: no tag, no attribute escapes, and nothing is lost")
    func htmlEscaping() {
        var generator = SeededGenerator(seed: 28)
        for _ in 0..<Self.count {
            let value = Self.word(&generator)
            let html: HTML = "<p title=\"\(value)\" data-x='\(value)'>\(value)</p>"
            let inner = html.text.dropFirst("<p title=\"".count)
            #expect(!html.text.dropFirst(1).dropLast(4).contains("<"))
            let attribute = inner.prefix { $0 != "\"" }
            #expect(Self.unescape(String(attribute)) == value)
        }
    }

    @Test("A name accepted as plain never leaves its directory, is never hidden, never holds a separator")
    func plainNames() {
        var generator = SeededGenerator(seed: 2_028)
        let directory = URL(fileURLWithPath: "/srv/hosting/console/uploads/x")
        var accepted = 0
        for _ in 0..<Self.count * 5 {
            let name = Self.word(&generator, maximum: 5)
            guard UploadName.isPlain(name) else { continue }
            accepted += 1
            #expect(!name.contains("/") && !name.contains("\\") && !name.contains("\u{0}"))
            #expect(!name.hasPrefix(".") && name != "..")
            #expect(
                directory.appendingPathComponent(name).standardized.deletingLastPathComponent().path == directory.path)
        }
        #expect(accepted > 0)
    }

    @Test("Any urlencoded body parses without trapping; encoded pairs come back as they were")
    func formFields() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<Self.count {
            _ = FormFields(encoded: Self.word(&generator, maximum: 20))
            let pairs = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                (Self.word(&generator), Self.word(&generator))
            }.filter { !$0.0.isEmpty }
            let encoded = pairs.map { ConsoleBrowser.encode($0.0) + "=" + ConsoleBrowser.encode($0.1) }
                .joined(separator: "&")
            let parsed = FormFields(encoded: encoded)
            #expect(parsed.pairs.map(\.name) == pairs.map(\.0))
            #expect(parsed.pairs.map(\.value) == pairs.map(\.1))
        }
    }

    @Test("A mutated multipart upload gives its files inside the upload's directory or an UploadError, leaving nothing")
    func multipartUploads() async throws {
        let temporary = try TemporaryDirectory()
        let receiver = UploadReceiver(hosting: temporary.url, limitBytes: 4_096)
        var generator = SeededGenerator(seed: 11)
        let boundary = "----fuzz"
        for round in 0..<(Self.count / 4) {
            var body = Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nbonjour\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"zip\"; filename=\"\(Self.word(&generator, maximum: 3))bundle.zip\"\r\n\r\nPK\u{3}\u{4}données\r\n--\(boundary)--\r\n"
                    .utf8)
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                switch Int.random(in: 0..<5, using: &generator) {
                case 0: body = Array(body.prefix(Int.random(in: 0...body.count, using: &generator)))
                case 1:
                    let index = Int.random(in: 0..<max(1, body.count), using: &generator)
                    if index < body.count { body[index] = UInt8.random(in: 0...255, using: &generator) }
                case 2: body += Array(repeating: UInt8(ascii: "x"), count: Int.random(in: 0...5_000, using: &generator))
                case 3: body = body + body
                default:
                    let piece = Array("--\(boundary)\r\n".utf8)
                    body.insert(contentsOf: piece, at: Int.random(in: 0...body.count, using: &generator))
                }
            }
            var head = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/import/upload")
            head.headerFields[.contentType] = "multipart/form-data; boundary=\(boundary)"
            let request = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: body)))
            do {
                let upload = try await receiver.receive(request)
                #expect(upload.bytes <= 4_096)
                for file in upload.files.values {
                    #expect(
                        file.deletingLastPathComponent().standardized.path == upload.directory.standardized.path,
                        "round \(round)")
                }
                try FileManager.default.removeItem(at: upload.directory)
            } catch is UploadError {
            } catch {
                Issue.record("round \(round): \(error)")
            }
            let left = (try? FileManager.default.contentsOfDirectory(atPath: receiver.root.path)) ?? []
            #expect(left.isEmpty, "round \(round) left \(left)")
        }
    }

    @Test("A form cut into pieces of any size gives the same parts and bytes, near-delimiters in a file included")
    func multipartChunking() throws {
        var generator = SeededGenerator(seed: 99)
        let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
        let tricky: [[UInt8]] = [
            Array("\r\n--".utf8), Array("\r\n--\(boundary.dropLast())".utf8), [13, 10], [45, 45], [0, 255, 128],
            Array("données".utf8), Array("-\(boundary)".utf8),
        ]
        for round in 0..<(Self.count / 4) {
            var content: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &generator) {
                content += tricky.randomElement(using: &generator)!
            }
            var body = Array(
                "preamble\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nété\r\n".utf8)
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"zip\"; filename=\"é.zip\"\r\n\r\n".utf8)
            body += content
            body += Array("\r\n--\(boundary)--\r\nepilogue".utf8)
            var stream = MultipartStream(boundary: boundary)
            var parts: [([String: String], [UInt8])] = []
            var index = 0
            while index < body.count {
                let size = Int.random(in: 1...64, using: &generator)
                let piece = body[index..<min(body.count, index + size)]
                index += size
                try stream.feed(piece) { event in
                    switch event {
                    case .headers(let fields): parts.append((fields, []))
                    case .body(let bytes): parts[parts.count - 1].1 += bytes
                    case .end: break
                    }
                }
            }
            try stream.finish()
            #expect(parts.count == 2, "round \(round)")
            #expect(parts.first?.1 == Array("été".utf8), "round \(round)")
            #expect(parts.last?.1 == content, "round \(round)")
            #expect(parts.last?.0["content-disposition"]?.contains("é.zip") == true)
        }
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

@Suite("Whitespace trimming")
struct WhitespaceTrimmingTests {
    @Test("The registry's fast trim gives what Foundation's trimming of .whitespaces gives, on generated text")
    func sameAsFoundation() {
        var generator = SeededGenerator(seed: 5)
        let pieces = [
            " ", "\t", "\u{A0}", "\u{2003}", "\u{3000}", "\n", "\r", "a", "é", "@", ".", "\u{200B}", "\u{2028}",
            "\u{FEFF}", "\u{180E}", "\u{85}", "\u{1680}", "\u{202F}", "😀",
        ]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...8, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }.joined()
            #expect(
                text.trimmingWhitespace == text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))")
        }
    }
}
