import DevSkyyCore
import Hummingbird

/// An answer whose body is already encoded, with nothing to wait for: the same bytes and fields whether the router
/// serves it or, for the snapshot's routes, the listeners' fast path does (`SnapshotFastPath`).
struct CachedAnswer: Sendable {
    let body: ByteBuffer
    /// Bytes made for this request that follow `body` (the exposition's live counters), sent as a part of their own:
    /// appended to a copy of the shared body instead, they made every request copy all of it (1.2 MB at 10,000
    /// series, most of a `/metrics` request's CPU).
    let tail: ByteBuffer?
    let contentType: String
    /// A strong tag: `If-None-Match` naming it gets 304 with no body.
    let etag: String?
    let cacheControl: String?

    init(body: ByteBuffer, tail: ByteBuffer? = nil, contentType: String, etag: String?, cacheControl: String?) {
        self.body = body
        self.tail = tail
        self.contentType = contentType
        self.etag = etag
        self.cacheControl = cacheControl
    }

    static func json(_ body: ByteBuffer, etag: String, cacheControl: String) -> CachedAnswer {
        CachedAnswer(body: body, contentType: Response.jsonContentType, etag: etag, cacheControl: cacheControl)
    }

    /// Status, header fields (`Content-Length` included) and body parts (none for 304) for a request with this
    /// `If-None-Match` value.
    func reply(ifNoneMatch condition: String?) -> (status: HTTPResponse.Status, fields: HTTPFields, body: [ByteBuffer]) {
        var fields = HTTPFields()
        if let etag {
            fields[.eTag] = etag
        }
        if let cacheControl {
            fields[.cacheControl] = cacheControl
        }
        if let etag, let condition, CachedJSON.matches(condition, etag: etag) {
            return (.notModified, fields, [])
        }
        fields[.contentType] = contentType
        guard let tail else {
            fields[.contentLength] = String(body.readableBytes)
            return (.ok, fields, [body])
        }
        fields[.contentLength] = String(body.readableBytes + tail.readableBytes)
        return (.ok, fields, [body, tail])
    }

    func response(to request: Request) -> Response {
        // HTTPFields joins repeated If-None-Match fields with ", ", which the list syntax allows.
        let reply = reply(ifNoneMatch: request.headers[.ifNoneMatch])
        let body: ResponseBody =
            switch reply.body.count {
            case 0: .init()
            case 1: .init(byteBuffer: reply.body[0])
            default: .init(contentsOf: reply.body)
            }
        return Response(status: reply.status, headers: reply.fields, body: body)
    }
}

/// The routes answered from the snapshot alone, and their answers.
enum SnapshotRoutes {
    static func health(_ encoded: EncodedSnapshot) -> CachedAnswer {
        .json(encoded.health, etag: encoded.etags.health, cacheControl: CachePolicy.metrics)
    }

    static func metrics(_ encoded: EncodedSnapshot) -> CachedAnswer {
        .json(encoded.metrics, etag: encoded.etags.metrics, cacheControl: CachePolicy.metrics)
    }

    static func metrics(of kind: Partnership.Kind, _ encoded: EncodedSnapshot) -> CachedAnswer {
        .json(encoded.metrics(of: kind), etag: encoded.etags.metrics(of: kind), cacheControl: CachePolicy.metrics)
    }

    static func collectors(_ encoded: EncodedSnapshot) -> CachedAnswer {
        CachedAnswer(body: encoded.collectors, contentType: Response.jsonContentType, etag: nil, cacheControl: nil)
    }

    static func exposition(_ encoded: EncodedSnapshot) -> CachedAnswer {
        CachedAnswer(
            body: encoded.exposition, tail: encoded.liveExposition, contentType: PrometheusExposition.contentType, etag: nil,
            cacheControl: nil)
    }

    /// The fixed paths answered from the snapshot alone, each registered on the router as it is; the metrics of one
    /// partnership type come through the router's `{partnership_type}` route, which also answers unknown types.
    static let fixed: [(declaration: APIRoute, answer: @Sendable (EncodedSnapshot) -> CachedAnswer)] = [
        (APIRoutes.orchestrationHealth, health),
        (APIRoutes.orchestrationMetrics, metrics),
        (APIRoutes.collectorList, collectors),
        (APIRoutes.prometheusMetrics, exposition),
    ]

    /// Every request path (as sent, without a query) answered from the snapshot alone: what the fast path serves.
    static let byPath: [String: @Sendable (EncodedSnapshot) -> CachedAnswer] = {
        var table = Dictionary(uniqueKeysWithValues: fixed.map { ($0.declaration.path, $0.answer) })
        for kind in Partnership.Kind.allCases {
            table["/api/v1/orchestration/metrics/\(kind.rawValue)"] = { metrics(of: kind, $0) }
        }
        return table
    }()
}
