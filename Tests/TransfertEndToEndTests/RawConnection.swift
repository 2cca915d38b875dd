import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// One TCP connection to 127.0.0.1 over POSIX sockets, for what curl will not send or cannot show: exact
/// bytes (HTTP/1.0, two `Host` fields, a bad chunk), answers counted on the wire, and whether the server
/// closed the connection. Closed when released.
final class RawConnection {
    private let descriptor: Int32
    /// Every byte received so far.
    private(set) var received = Data()
    /// The server closed its side (or reset the connection).
    private(set) var closedByServer = false

    /// Connects; `receiveBuffer` shrinks the socket's receive buffer (a client that reads little).
    init(port: Int, receiveBuffer: Int32? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0, "socket() failed", sourceLocation: sourceLocation)
        if var size = receiveBuffer {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if connected != 0 { close(descriptor) }
        try #require(connected == 0, "cannot connect to port \(port): errno \(errno)", sourceLocation: sourceLocation)
    }

    deinit { close(descriptor) }

    /// Sends `text` whole (blocking); false when the server has closed or reset the connection.
    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    /// Sends what the socket takes without waiting; false when the server has closed or reset it.
    func sendWithoutWaiting(_ bytes: [UInt8]) -> Bool {
        let sent = bytes.withUnsafeBytes {
            Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        }
        return sent >= 0 || errno == EAGAIN || errno == EWOULDBLOCK
    }

    /// Reads what arrives for up to `seconds`, returning early once the server closed the connection
    /// (then ``closedByServer``).
    func read(for seconds: TimeInterval) {
        let end = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !closedByServer {
            let left = end.timeIntervalSinceNow
            if left <= 0 { return }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(min(left, 1) * 1000) + 1) > 0 else { continue }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
            } else {
                closedByServer = true
            }
        }
    }

    /// Reads until the server closes the connection, for up to `seconds` (a generous bound: a closed
    /// connection returns at once).
    func readUntilClosed(within seconds: TimeInterval = 30) { read(for: seconds) }

    /// The answers received so far, in order: split where a status line (`HTTP/1.1 NNN `) starts, which a
    /// body may mention but not begin a line with.
    var answers: [RawAnswer] {
        let text = String(decoding: received, as: UTF8.self)
        let pattern = try! NSRegularExpression(pattern: "HTTP/1\\.1 [0-9]{3} ")
        let starts = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map(\.range.location)
            .filter { location in
                location == 0 || (text as NSString).substring(with: NSRange(location: location - 1, length: 1)) != " "
            }
        let whole = text as NSString
        return starts.indices.map { index in
            let end = index + 1 < starts.count ? starts[index + 1] : whole.length
            return RawAnswer(whole.substring(with: NSRange(location: starts[index], length: end - starts[index])))
        }
    }
}

/// One answer as read off the wire: its status and headers (names in lower case).
struct RawAnswer {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: String

    init(_ text: String) {
        let parts = text.components(separatedBy: "\r\n\r\n")
        let lines = parts[0].components(separatedBy: "\r\n")
        status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        body = parts.dropFirst().joined(separator: "\r\n\r\n")
    }

    /// Every value of the header `name`.
    func values(_ name: String) -> [String] { headers.filter { $0.name == name.lowercased() }.map(\.value) }
    func header(_ name: String) -> String? { values(name).first }
}
