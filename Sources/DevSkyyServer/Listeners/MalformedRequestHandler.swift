import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Gives the answer to bytes that are not an HTTP/1.1 request the API's error shape and a status by what is wrong.
///
/// Hummingbird answers a parse error itself, outside the router, with a bare `400` and no body, then closes its side
/// (`LingeringClose` does the rest). Here that answer becomes 431 `header_too_large` for a request line or header
/// section over the decoder's limits, 400 `bad_request` otherwise, with the one JSON shape; and when the request at
/// fault was already answered (a body refused unread, whose chunked framing then turns out broken), Hummingbird's
/// second answer to it is dropped. A parse error inside a body the router reads reaches the route instead, and
/// `ErrorShapeMiddleware` answers it the same way.
final class MalformedRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let stats: ConnectionStats
    private let logger: Logger
    /// The parse error, once there was one; the connection ends with its answer.
    private var failure: HTTPParserError?
    /// Whether Hummingbird's answer to it goes (rewritten) or is dropped, and whether its head has been seen.
    private var dropAnswer = false
    private var rewriting = false
    /// Requests whose head arrived and whose answer has not ended; whether a request's end is still to come.
    private var unanswered = 0
    private var inRequest = false

    init(stats: ConnectionStats, logger: Logger) {
        self.stats = stats
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            unanswered += 1
            inRequest = true
        case .body: break
        case .end: inRequest = false
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if failure == nil, let error = error as? HTTPParserError {
            failure = error
            dropAnswer = inRequest && unanswered == 0
            stats.count(.malformed, on: context.channel)
            logger.debug("malformed request", metadata: ["error": "\(error)"])
        }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = unwrapOutboundIn(data)
        if let failure, case .head(let head) = part, isParseErrorAnswer(head) {
            rewriting = true
            if dropAnswer {
                promise?.succeed(())
                return
            }
            let (shaped, body) = APIError.malformedRequest(failure).closingParts()
            context.write(wrapOutboundOut(.head(shaped)), promise: nil)
            context.write(wrapOutboundOut(.body(body)), promise: promise)
            return
        }
        if case .end = part {
            unanswered = max(0, unanswered - 1)
            if rewriting {
                rewriting = false
                if dropAnswer {
                    promise?.succeed(())
                    return
                }
            }
        }
        context.write(data, promise: promise)
    }

    /// Hummingbird's answer to a parse error: 400 with `Connection: close` and no body, which no route sends.
    private func isParseErrorAnswer(_ head: HTTPResponse) -> Bool {
        head.status == .badRequest && head.headerFields[.contentLength] == "0" && head.headerFields[.connection] == "close"
    }
}
