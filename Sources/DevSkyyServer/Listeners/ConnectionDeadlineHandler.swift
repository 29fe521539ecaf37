import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client stalls: a request not received whole within `listen.read_timeout`, or no next
/// request within `listen.idle_timeout` (`ConnectionDeadlines` decides). Without it a client that opens connections
/// and never finishes a request holds a descriptor each for good, and a few hundred of them leave none for anyone else.
///
/// Placed first after the HTTP codec, so it sees every request part and every answer, the fast path's included;
/// `RequestBytesSignal` at the socket's end tells it when a request's first bytes arrive, before a head can be decoded.
final class ConnectionDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private let stats: ConnectionStats
    private let logger: Logger
    private var deadlines: ConnectionDeadlines?
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    init(limits: ConnectionLimits, stats: ConnectionStats, logger: Logger) {
        self.limits = limits
        self.stats = stats
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        deadlines = ConnectionDeadlines(readTimeout: limits.readTimeout, idleTimeout: limits.idleTimeout, now: .now())
        schedule(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: deadlines?.head()
        case .body: break
        case .end: deadlines?.end(now: .now())
        }
        schedule(context)
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is RequestBytesSignal.Arrived else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        deadlines?.bytes(now: .now())
        schedule(context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            deadlines?.answered(now: .now())
            schedule(context)
        }
        context.write(data, promise: promise)
    }

    /// Keeps one timer, at the deadline or earlier: a later deadline is found when it fires.
    private func schedule(_ context: ChannelHandlerContext) {
        guard let deadline = deadlines?.deadline else { return }
        if let timerDeadline, timerDeadline <= deadline { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            timerDeadline = nil
            fire(context)
        }
    }

    private func fire(_ context: ChannelHandlerContext) {
        guard var state = deadlines else { return }
        let expiry = state.expired(now: .now())
        deadlines = state
        switch expiry {
        case .wait:
            schedule(context)
        case .close(let read):
            stats.count(read ? .readTimeout : .idleTimeout, on: context.channel)
            logger.debug("closing a connection", metadata: ["reason": read ? "read_timeout" : "idle_timeout"])
            context.close(promise: nil)
        case .answerTimeout:
            stats.count(.readTimeout, on: context.channel)
            logger.debug("answering 408 to a request not received in time")
            APIError.requestTimeout(limit: limits.readTimeout).write(closing: context)
        case .failBody:
            stats.count(.readTimeout, on: context.channel)
            logger.debug("failing a request whose body was not received in time")
            context.fireErrorCaught(RequestReadTimeout(limit: limits.readTimeout))
        }
    }
}
