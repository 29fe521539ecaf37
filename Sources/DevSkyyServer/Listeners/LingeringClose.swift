import NIOCore

/// Once the server has written its last answer on a connection (it closed its output), reads and discards what the
/// client still sends, then closes when the client does or after `limit`.
///
/// Closing a socket with unread bytes resets the connection, and a client still sending (the rest of an 8 MB request
/// line, a body after a 413) may lose the answer with it; left open and unread, that client blocks forever. Placed
/// first in the pipeline, so the discarded bytes never reach the HTTP decoder.
final class LingeringClose: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private let limit: TimeAmount
    private var draining = false
    private var timer: Scheduled<Void>?

    init(limit: TimeAmount) {
        self.limit = limit
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .output, !draining else {
            context.close(mode: mode, promise: promise)
            return
        }
        draining = true
        let closed = context.eventLoop.makePromise(of: Void.self)
        closed.futureResult.assumeIsolated().whenComplete { result in
            // A socket that cannot close half of itself is closed whole.
            if case .failure = result { context.close(promise: nil) }
        }
        closed.futureResult.cascade(to: promise)
        context.close(mode: .output, promise: closed)
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: limit) { context.close(promise: nil) }
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !draining else { return }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Reads go on whatever the handlers behind want: they are done with this connection.
        if draining { context.read() }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if draining, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }
}
