import NIOCore

/// The whole pipeline of a connection over `listen.max_connections` (behind `LingeringClose`): answers 503 at once,
/// before the request is read, and closes. The request is never parsed: refusing costs almost nothing.
final class ConnectionRefusal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private var answered = false

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { answer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        answer(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private func answer(_ context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        context.writeAndFlush(NIOAny(APIError.tooManyConnections.closingBytes()), promise: nil)
        context.close(mode: .output, promise: nil)
    }
}
