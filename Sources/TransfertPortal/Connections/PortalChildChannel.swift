import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 connection (`HTTP1Channel`'s pipeline and request loop), with what bounds a client:
///
/// - ``ConnectionCap``: past ``PortalLimits/maxConnections``, a new connection is closed at once;
/// - ``ConnectionDeadlines``: read, write, idle timeouts, and SIGTERM's grace;
/// - ``HTTP1ConnectionRules``: keep-alive and `Connection: close`, `Host`, one answer per request, the common
///   headers on every answer;
/// - memory per connection bounded whatever the client sends or leaves unread: the socket is read
///   ``readChunk`` bytes at a time, once per wake-up, so the HTTP decoder never holds more than that many
///   requests parsed at once; the request loop stops asking for more (and so the socket stops being read)
///   while it waits to write, and writing waits while more than ``writeBufferHigh`` bytes are queued for a
///   client that does not read (the rest waits in the kernel's socket buffer, ``socketSendBuffer``, not in
///   this process).
struct PortalChildChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    /// Bytes read from a socket at a time: a browser's request is one or two such reads; a client that
    /// pipelines a hundred small requests in a packet is read a piece at a time, as it is answered.
    static let readChunk = 256
    /// Queued answer bytes past which writing waits for the client (NIO's default, 64 KiB, times 500 slow
    /// clients would be 32 MiB): about one page.
    static let writeBufferHigh = 4 * 1_024
    static let writeBufferLow = 2 * 1_024
    /// The kernel's send buffer for a connection (Linux doubles it): what a client that reads nothing can make
    /// the portal compute ahead — otherwise megabytes of answers each, as the buffer grows by itself.
    static let socketSendBuffer: SocketOptionValue = 32 * 1_024

    let responder: HTTPChannelHandler.Responder
    let limits: PortalLimits
    let cap: ConnectionCap

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let admitted = cap.admit()
            if admitted {
                let cap = self.cap
                channel.closeFuture.whenComplete { _ in cap.release() }
                let options = try channel.syncOptions.unwrap()
                try options.setOption(
                    ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.readChunk))
                try options.setOption(ChannelOptions.maxMessagesPerRead, value: 1)
                try options.setOption(ChannelOptions.socketOption(.so_sndbuf), value: Self.socketSendBuffer)
                try options.setOption(
                    ChannelOptions.writeBufferWaterMark,
                    value: .init(low: Self.writeBufferLow, high: Self.writeBufferHigh))
                let pipeline = channel.pipeline.syncOperations
                try pipeline.addHandler(ConnectionDeadlines(limits: limits))
                try pipeline.configureHTTPServerPipeline(
                    withPipeliningAssistance: false,  // the request loop answers in order, one at a time
                    withErrorHandling: false,  // Hummingbird answers 400 to what does not parse
                    withOutboundHeaderValidation: false,  // swift-http-types validated the fields
                    withEncoderConfiguration: .init(),
                    withDecoderLimitConfiguration: .init())
                try pipeline.addHandler(HTTP1ConnectionRules())
                try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                // Hummingbird's own: on SIGTERM it closes idle connections at once, busy ones after their answer.
                try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            } else {
                channel.close(promise: nil)
            }
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

extension Optional {
    /// The value, or an error for a channel that has none (NIO's socket channels always have sync options).
    fileprivate func unwrap() throws -> Wrapped {
        guard let self else { throw ChannelError.operationUnsupported }
        return self
    }
}
