import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Hummingbird's HTTP/1.1 connection, guarded against clients that would bring a listener down: at most
/// `maxConnections` open (the next is answered 503 and closed), timeouts for stalled and idle clients, parse errors
/// answered in the API's shape, and a lingering close so that a client still sending gets its answer.
///
/// The pipeline of an admitted connection: `LingeringClose` and `RequestBytesSignal` on the raw bytes, the HTTP codec,
/// then `ConnectionDeadlineHandler`, `MalformedRequestHandler` and the given handlers (the fast path), then Hummingbird.
struct GuardedHTTP1Channel: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        let channel: any Channel
        /// Nil for a refused connection.
        let http: HTTP1Channel.Value?
    }

    let responder: HTTPChannelHandler.Responder
    let limits: ConnectionLimits
    let stats: ConnectionStats
    let cap: ConnectionCap
    /// Handlers placed after this connection's own, made for each connection.
    let handlers: @Sendable () -> [any RemovableChannelHandler]

    init(
        responder: @escaping HTTPChannelHandler.Responder, limits: ConnectionLimits, stats: ConnectionStats,
        handlers: @escaping @Sendable () -> [any RemovableChannelHandler]
    ) {
        self.responder = responder
        self.limits = limits
        self.stats = stats
        self.cap = ConnectionCap(maximum: limits.maxConnections)
        self.handlers = handlers
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let (limits, stats, handlers) = (limits, stats, handlers)
        guard cap.admit() else {
            stats.count(.refused, on: channel)
            cap.warnRefused(logger)
            return channel.eventLoop.makeCompletedFuture {
                let linger = min(ConnectionLimits.refusalLinger, limits.readTimeout)
                try channel.pipeline.syncOperations.addHandlers([LingeringClose(limit: linger), ConnectionRefusal()])
                return Value(channel: channel, http: nil)
            }
        }
        channel.closeFuture.whenComplete { [cap] _ in cap.release() }
        let http = HTTP1Channel(
            responder: responder,
            configuration: .init(
                additionalChannelHandlers: [
                    ConnectionDeadlineHandler(limits: limits, stats: stats, logger: logger),
                    MalformedRequestHandler(stats: stats, logger: logger),
                ] + handlers(),
                httpDecoderConfiguration: ConnectionLimits.decoder))
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandlers([LingeringClose(limit: limits.readTimeout), RequestBytesSignal()])
        }.flatMap {
            http.setup(channel: channel, logger: logger)
        }.map {
            Value(channel: channel, http: $0)
        }
    }

    func handle(value: Value, logger: Logger) async {
        guard let http = value.http else {
            try? await value.channel.closeFuture.get()
            return
        }
        await HTTP1Channel(responder: responder).handle(value: http, logger: logger)
    }
}
