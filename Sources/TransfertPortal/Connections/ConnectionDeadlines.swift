import NIOCore

/// Closes a connection whose client takes too long, whatever it does — the first handler of the pipeline, on
/// the bytes themselves, so no client escapes it by sending too little for the HTTP decoder to see:
///
/// - **idle**: no request under way (just opened, or its last answer sent) for ``PortalLimits/idleTimeout``;
/// - **read**: a request begun (a first byte arrived) and not received whole within ``PortalLimits/readTimeout``
///   — a slowloris's headers, a body sent a byte at a time, a request left half-sent;
/// - **write**: an answer the client does not take (the socket stays unwritable) for
///   ``PortalLimits/writeTimeout``, without any progress;
/// - **shutdown**: SIGTERM asked every connection to finish ( `ChannelShouldQuiesceEvent`: idle ones close at
///   once, elsewhere), and answers under way get ``PortalLimits/shutdownGrace`` more seconds.
///
/// Where a request begins and ends it learns from ``HTTP1ConnectionRules`` (``ConnectionPhase``). One timer per
/// connection, armed for the earliest deadline and re-armed when it fires early.
final class ConnectionDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private enum Phase {
        /// No request under way since then.
        case waiting(since: NIODeadline)
        /// A request's first byte arrived then.
        case reading(since: NIODeadline)
        /// A request arrived whole; its answer is being written (the write timeout watches that).
        case answering
    }

    private let read: TimeAmount
    private let write: TimeAmount
    private let idle: TimeAmount
    private let grace: TimeAmount
    private var phase: Phase = .waiting(since: .now())
    /// When the socket became unwritable (the client stopped taking what is sent), while it stays so.
    private var stalledSince: NIODeadline?
    /// When SIGTERM's grace ends, once it was asked.
    private var shutdownAt: NIODeadline?
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    init(limits: PortalLimits) {
        read = .seconds(Int64(limits.readTimeout))
        write = .seconds(Int64(limits.writeTimeout))
        idle = .seconds(Int64(limits.idleTimeout))
        grace = .seconds(Int64(limits.shutdownGrace))
    }

    /// The earliest moment the connection must be closed by, under the rules above.
    private var deadline: NIODeadline {
        var earliest: NIODeadline
        switch phase {
        case .waiting(let since): earliest = since + idle
        case .reading(let since): earliest = since + read
        case .answering: earliest = .distantFuture
        }
        if let stalledSince { earliest = min(earliest, stalledSince + write) }
        if let shutdownAt { earliest = min(earliest, shutdownAt) }
        return earliest
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .waiting = phase {
            phase = .reading(since: .now())
            arm(context)
        }
        context.fireChannelRead(data)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            stalledSince = nil
        } else if stalledSince == nil {
            stalledSince = .now()
            arm(context)
        }
        context.fireChannelWritabilityChanged()
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let event = event as? ConnectionPhase else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch event {
        case .requestReceived: phase = .answering
        case .responseSent:
            phase = .waiting(since: .now())
            arm(context)
        }
        promise?.succeed(())
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, shutdownAt == nil {
            shutdownAt = .now() + grace
            arm(context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func start(_ context: ChannelHandlerContext) {
        phase = .waiting(since: .now())
        arm(context)
    }

    /// Makes sure a timer fires no later than ``deadline`` (an earlier one is kept: it re-arms when it fires).
    private func arm(_ context: ChannelHandlerContext) {
        let deadline = self.deadline
        if let timerDeadline, timerDeadline <= deadline { return }
        cancelTimer()
        guard deadline != .distantFuture else { return }
        timerDeadline = deadline
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) {
            self.timer = nil
            self.timerDeadline = nil
            if self.deadline <= .now() {
                context.close(promise: nil)
            } else {
                self.arm(context)
            }
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
    }
}
