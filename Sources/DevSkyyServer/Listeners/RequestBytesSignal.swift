import NIOCore

/// Tells `ConnectionDeadlineHandler` that a client sent bytes, before the HTTP decoder has a request head to show
/// for them: a client that sends half a head is reading a request, not idle.
///
/// First in the connection's pipeline, on the raw bytes; the event goes down through the decoder to the handler.
final class RequestBytesSignal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    struct Arrived {}

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireUserInboundEventTriggered(Arrived())
        context.fireChannelRead(data)
    }
}
