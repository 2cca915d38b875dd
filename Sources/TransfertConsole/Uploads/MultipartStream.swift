/// A streaming reader of `multipart/form-data` (RFC 7578 over RFC 2046's delimiters): bytes go in as they
/// arrive, in pieces of any size; out come each part's headers, its body in pieces, and its end. Only a
/// possible partial delimiter (at most the boundary's length plus four bytes) and one part's headers
/// (at most ``headerLimit``) are ever held, so memory does not grow with a part's size.
///
/// Written here rather than taken from multipart-kit: its parser (4.7.1) traps — index out of range, the
/// whole server down — on a byte of 0x80 or more in a part's header name, which any client can send. Every
/// byte a client sends must end in a part or in ``MultipartStreamError``, never a crash (the console's
/// fuzzing suite tries mutated uploads).
///
/// ```swift
/// var stream = MultipartStream(boundary: "----form")
/// try stream.feed(bytes) { event in
///     switch event {
///     case .headers(let fields): …        // ["content-disposition": "form-data; name=\"zip\"; filename=\"a.zip\""]
///     case .body(let piece): …            // ArraySlice<UInt8>
///     case .end: …
///     }
/// }
/// try stream.finish()                     // the closing delimiter was seen
/// ```
struct MultipartStream {
    enum Event {
        case headers([String: String])
        case body(ArraySlice<UInt8>)
        case end
    }

    /// A part's header block larger than this is refused (a form's parts carry two or three short lines).
    static let headerLimit = 16 * 1024

    private enum State {
        /// Before the first delimiter (a preamble, ignored).
        case preamble
        /// Just after a delimiter: `--` closes the form, CRLF opens a part.
        case afterDelimiter
        case headers
        case body
        case closed
    }

    /// `\r\n--boundary`: what ends a part's body.
    private let delimiter: [UInt8]
    private var state = State.preamble
    /// Bytes received and not yet given out. Starts with CRLF so that a delimiter at the very start of the
    /// body is found like every other.
    private var pending: [UInt8] = [13, 10]

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    mutating func feed(_ bytes: some Collection<UInt8>, _ handle: (Event) throws -> Void) throws {
        pending.append(contentsOf: bytes)
        var start = 0
        defer { pending.removeFirst(start) }
        while true {
            switch state {
            case .preamble:
                guard let found = Self.find(delimiter, in: pending, from: start) else {
                    // Keep what could begin a delimiter.
                    start = max(start, pending.count - (delimiter.count - 1))
                    return
                }
                start = found + delimiter.count
                state = .afterDelimiter
            case .afterDelimiter:
                guard pending.count - start >= 2 else { return }
                let first = pending[start]
                let second = pending[start + 1]
                if first == 45, second == 45 {  // "--": the closing delimiter; what follows is an epilogue
                    state = .closed
                    start = pending.count
                    return
                }
                guard first == 13, second == 10 else {
                    throw MultipartStreamError.malformed("a delimiter is not followed by a line end")
                }
                start += 2
                state = .headers
            case .headers:
                if pending.count - start >= 2, pending[start] == 13, pending[start + 1] == 10 {
                    start += 2
                    try handle(.headers([:]))
                    state = .body
                    continue
                }
                guard let end = Self.find([13, 10, 13, 10], in: pending, from: start) else {
                    if pending.count - start > Self.headerLimit {
                        throw MultipartStreamError.malformed("a part's headers are longer than 16 KiB")
                    }
                    return
                }
                guard end - start <= Self.headerLimit else {
                    throw MultipartStreamError.malformed("a part's headers are longer than 16 KiB")
                }
                try handle(.headers(try Self.headerFields(pending[start..<end])))
                start = end + 4
                state = .body
            case .body:
                if let found = Self.find(delimiter, in: pending, from: start) {
                    if found > start { try handle(.body(pending[start..<found])) }
                    try handle(.end)
                    start = found + delimiter.count
                    state = .afterDelimiter
                    continue
                }
                // Everything but what could begin a delimiter is body.
                let safe = pending.count - (delimiter.count - 1)
                if safe > start {
                    try handle(.body(pending[start..<safe]))
                    start = safe
                }
                return
            case .closed:
                start = pending.count
                return
            }
        }
    }

    /// Refuses a form that ended before its closing delimiter (a cut upload).
    func finish() throws {
        guard state == .closed else {
            throw MultipartStreamError.malformed("the form ended before its closing boundary")
        }
    }

    /// `Name: value` lines; names are tokens (RFC 9110's `tchar`), values read as UTF-8 (a file name may have
    /// accents). Names lower-cased.
    static func headerFields(_ block: ArraySlice<UInt8>) throws -> [String: String] {
        var fields: [String: String] = [:]
        for line in block.split(separator: 10, omittingEmptySubsequences: false) {
            var line = line
            if line.last == 13 { line = line.dropLast() }
            guard let colon = line.firstIndex(of: 58) else {
                throw MultipartStreamError.malformed("a part's header line has no ':'")
            }
            let name = line[line.startIndex..<colon]
            guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
                throw MultipartStreamError.malformed("a part's header has a name that is not a token")
            }
            guard let value = String(validating: line[(colon + 1)...], as: UTF8.self) else {
                throw MultipartStreamError.malformed("a part's header value is not UTF-8")
            }
            fields[String(decoding: name, as: UTF8.self).lowercased()] = value.trimmingSpaces
        }
        return fields
    }

    /// RFC 9110 `tchar`: letters, digits and ``!#$%&'*+-.^_`|~``.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 48...57, 65...90, 97...122: return true
        case 33, 35, 36, 37, 38, 39, 42, 43, 45, 46, 94, 95, 96, 124, 126: return true
        default: return false
        }
    }

    /// The index where `needle` starts in `haystack` at or after `from`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, haystack.count - from >= needle.count else { return nil }
        var index = from
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { bytes in
            needle.withUnsafeBufferPointer { wanted in
                while index <= last {
                    if bytes[index] == first {
                        var matched = 1
                        while matched < wanted.count, bytes[index + matched] == wanted[matched] { matched += 1 }
                        if matched == wanted.count { return index }
                    }
                    index += 1
                }
                return nil
            }
        }
    }
}

/// A form whose bytes are not a `multipart/form-data` body.
enum MultipartStreamError: Error, Equatable {
    case malformed(String)
}

extension String {
    /// Without the spaces and tabs around it.
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
