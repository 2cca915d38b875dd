import NIOCore
import NIOHTTP1

/// What HTTP/1.1 says about a connection, applied where the HTTP version and the raw header fields are still
/// known (between NIO's HTTP/1 codec and Hummingbird's, which drops the version):
///
/// - a request that does not keep the connection — HTTP/1.0 without `Connection: keep-alive`,
///   `Connection: close`, or a CONNECT — gets an answer saying `Connection: close`, then the connection closes, and nothing
///   after that request is read; an HTTP/1.0 request that keeps it is told `Connection: keep-alive`;
/// - a request whose `Host` breaks RFC 9112 (``HostHeaderRule``) is not passed on: it gets a 400, in its turn
///   after the answers owed before it, and the connection closes;
/// - a request the HTTP decoder fails on once it was passed on (a bad chunk of a body no route reads) ends the
///   connection after the answer it already has: one answer per request, never a second one for its tail;
/// - every answer carries ``PortalHeaders/common``, whoever wrote it (routes, the router's 404 and 405,
///   Hummingbird's 400 for an unparsable request).
///
/// It tells ``ConnectionDeadlines`` when a request arrived whole and when its answer was written
/// (``ConnectionPhase``).
final class HTTP1ConnectionRules: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// What a request passed on, not yet answered in full, requires of its answer (oldest first).
    private struct Owed {
        var keepAlive: Bool
        var isHTTP10: Bool
    }

    private var owed = CircularBuffer<Owed>()
    /// A request's head was passed on, and its end not yet.
    private var readingRequest = false
    /// The request being read is the connection's last (it does not keep it).
    private var lastRequest = false
    /// Nothing more is passed on: the connection closes once the answers owed are written.
    private var closing = false
    /// The 400 owed to a request refused here, written when the answers before it are.
    private var refusal: String?
    /// The answer being written says `Connection: close` (Hummingbird's 400 does).
    private var answerCloses = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if let problem = HostHeaderRule.problem(in: head) {
                closing = true
                refusal = problem
                if owed.isEmpty { writeRefusal(context) }
                return
            }
            // CONNECT asks for a tunnel, which the portal never opens: its answer has no framing NIO writes
            // (RFC 9110 §9.3.6), so the connection ends with it.
            let keepAlive = head.isKeepAlive && head.method != .CONNECT
            owed.append(Owed(keepAlive: keepAlive, isHTTP10: head.version == .http1_0))
            readingRequest = true
            lastRequest = !keepAlive
            context.fireChannelRead(data)
        case .body:
            context.fireChannelRead(data)
        case .end:
            readingRequest = false
            context.triggerUserOutboundEvent(ConnectionPhase.requestReceived, promise: nil)
            context.fireChannelRead(data)
            if lastRequest { closing = true }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A request already passed on cannot be answered twice: its answer stands (or is on its way), then the
        // connection closes. Errors between requests reach Hummingbird, which answers 400.
        guard error is HTTPParserError, readingRequest else {
            context.fireErrorCaught(error)
            return
        }
        closing = true
        readingRequest = false
        if owed.isEmpty { context.close(promise: nil) }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            if let next = owed.first {
                if !next.keepAlive || closing && owed.count == 1 && refusal == nil {
                    head.headers.replaceOrAdd(name: "Connection", value: "close")
                } else if next.isHTTP10 {
                    head.headers.replaceOrAdd(name: "Connection", value: "keep-alive")
                }
            }
            for (name, value) in PortalHeaders.common where !head.headers.contains(name: name) {
                head.headers.add(name: name, value: value)
            }
            answerCloses = head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "close" }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            let answered = owed.popFirst()
            context.triggerUserOutboundEvent(ConnectionPhase.responseSent, promise: nil)
            if answerCloses || answered?.keepAlive == false || closing && owed.isEmpty && refusal == nil {
                closeAfter(context, writing: data, promise: promise)
            } else if owed.isEmpty, refusal != nil {
                context.write(data, promise: promise)
                writeRefusal(context)
            } else {
                context.write(data, promise: promise)
            }
        }
    }

    /// Writes `data`, flushes, and closes the connection once the client has it (or the write timeout ends it).
    private func closeAfter(_ context: ChannelHandlerContext, writing data: NIOAny, promise: EventLoopPromise<Void>?) {
        closing = true
        let written = promise ?? context.eventLoop.makePromise()
        context.writeAndFlush(data, promise: written)
        let channel = context.channel
        written.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }

    /// The 400 for a request refused here: plain text saying why, the common headers, `Connection: close`.
    private func writeRefusal(_ context: ChannelHandlerContext) {
        guard let problem = refusal else { return }
        refusal = nil
        let body = context.channel.allocator.buffer(string: "Bad request: \(problem).\n")
        var headers = HTTPHeaders()
        for (name, value) in PortalHeaders.common { headers.add(name: name, value: value) }
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Connection", value: "close")
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        closeAfter(context, writing: wrapOutboundOut(.end(nil)), promise: nil)
    }
}
