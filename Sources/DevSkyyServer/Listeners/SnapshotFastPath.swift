import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers the routes served from the snapshot alone (`SnapshotRoutes.byPath`: health, metrics, collectors and the
/// Prometheus exposition) on the connection's event loop, ahead of the router.
///
/// Each request the router answers crosses from the event loop to a task and back, and goes through the middleware
/// chain: on this machine that was most of a request's CPU. These answers are already encoded once per snapshot, so
/// the fast path writes them directly: the same status, fields and bytes the router would (`CachedAnswer`), plus the
/// `Date` field Hummingbird adds. Anything else goes on to the router unchanged: other routes and methods, a query,
/// and requests whose fields could change the answer or the connection (a body, `Connection`, `Origin` for CORS,
/// `Expect`, `Upgrade`), and every request while the connection's unsent answers are over NIO's high-water mark.
/// `FastPathGate` keeps answers in request order.
final class SnapshotFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let store: SnapshotStore
    /// Fields every answer carries besides its own: `Vary: Origin` under a CORS allowlist, as the router adds.
    private let extraFields: HTTPFields
    private var gate = FastPathGate()
    /// The request being answered: its route and its `If-None-Match`.
    private var pending: (answer: @Sendable (EncodedSnapshot) -> CachedAnswer, condition: String?)?
    private var date = HTTPDate()
    private var unflushed = false
    /// Who may be answered here; nil lets every request in.
    private let access: AccessControl?
    /// Read off the channel's addresses when the handler is added, as `APIRequestContext` reads them.
    private var transport = APIRequestContext.Transport.tcp
    private var clientAddress: String?
    /// The rate-limit fields of the pending answer.
    private var admissionFields: HTTPFields = [:]

    init(store: SnapshotStore, extraFields: HTTPFields = [:], access: AccessControl? = nil) {
        self.store = store
        self.extraFields = extraFields
        self.access = access
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if case .unixDomainSocket = context.channel.localAddress {
            transport = .unix
        } else {
            clientAddress = context.channel.remoteAddress?.ipAddress
        }
    }

    /// Fields that send a request to the router.
    private static let routerFields: [HTTPField.Name] = [.contentLength, .transferEncoding, .connection, .origin, .expect, .upgrade]

    /// The answer for a request the fast path can serve alone, or nil.
    static func route(_ request: HTTPRequest) -> (@Sendable (EncodedSnapshot) -> CachedAnswer)? {
        guard request.method == .get, let path = request.path, let answer = SnapshotRoutes.byPath[path] else { return nil }
        for name in routerFields where request.headerFields.contains(name) {
            return nil
        }
        return answer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            // A client that does not read its answers gets the router's, which waits for the socket to drain before
            // reading more; answered here, each request would add to the queue of unsent bytes.
            // A request the access layer cannot admit at once (a token not verified yet, a refusal, a rate limit
            // reached) goes to the router, which decides, answers and audits it.
            var route = context.channel.isWritable ? Self.route(request) : nil
            var admission: HTTPFields = [:]
            if route != nil, let access {
                if let fields = access.fastPathAdmission(request, on: transport, clientAddress: clientAddress) {
                    admission = fields
                } else {
                    route = nil
                }
            }
            if gate.head(servable: route != nil) == .answer, let route {
                pending = (route, request.headerFields[.ifNoneMatch])
                admissionFields = admission
                return
            }
        case .body:
            // A request without Content-Length or Transfer-Encoding has no body: nothing arrives here for it.
            if gate.body() == .answer { return }
        case .end:
            if gate.end() == .answer {
                answer(context)
                return
            }
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Answers to the requests of one read leave together.
        if unflushed {
            unflushed = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { gate.routerAnswered() }
        context.write(data, promise: promise)
    }

    private func answer(_ context: ChannelHandlerContext) {
        guard let (route, condition) = pending else { return }
        pending = nil
        let reply = route(store.encoded).reply(ifNoneMatch: condition)
        var fields = reply.fields
        fields.append(contentsOf: extraFields)
        fields.append(contentsOf: admissionFields)
        fields[.date] = date.now()
        context.write(wrapOutboundOut(.head(HTTPResponse(status: reply.status, headerFields: fields))), promise: nil)
        for part in reply.body {
            context.write(wrapOutboundOut(.body(part)), promise: nil)
        }
        context.write(wrapOutboundOut(.end(nil)), promise: nil)
        unflushed = true
    }
}
