import NIOHTTP1

/// RFC 9112 §3.2: a server answers 400 to an HTTP/1.1 request without a `Host` field, and to any request with
/// more than one or with one whose value is not a host (`uri-host [ ":" port ]`). Two `Host` fields are how a
/// request is made to mean one thing to a proxy and another to the server behind it.
enum HostHeaderRule {
    /// Why `head` must be refused, in words for the answer's body; nil when its `Host` is acceptable.
    static func problem(in head: HTTPRequestHead) -> String? {
        let hosts = head.headers["Host"]
        if hosts.count > 1 { return "the request has \(hosts.count) Host header fields; send exactly one" }
        guard let host = hosts.first else {
            let atLeast11 = head.version.major > 1 || (head.version.major == 1 && head.version.minor >= 1)
            return atLeast11 ? "an HTTP/1.1 request must carry a Host header field" : nil
        }
        guard host.utf8.allSatisfy(isHostByte) else {
            return "the Host header field is not a host name, optionally with a port"
        }
        return nil
    }

    /// What `uri-host [ ":" port ]` may hold: unreserved, percent-encoded, sub-delims, IP literal brackets, ":".
    private static func isHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-._~%!$&'()*+,;=:[]".utf8.contains(byte)
        }
    }
}
