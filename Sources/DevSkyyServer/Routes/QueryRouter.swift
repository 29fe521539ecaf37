import DevSkyyCore
import DevSkyyStore
import Hummingbird

/// The routes served identically on the Unix socket and on TCP.
public enum QueryRouter {
    /// Runs one collector once without storing anything and returns its explanation as JSON; nil for an unknown name.
    public typealias Explain = @Sendable (_ collector: String) async -> [UInt8]?

    /// - Parameters:
    ///   - reader: reads history from Redis for the series routes; without one they answer 503.
    ///   - events: the stored health events for `/api/v1/events` (and the event stream's replay); without it 503.
    ///   - hub: live health events for `/api/v1/events/stream`; without it 503.
    ///   - keepalive: how often an idle event stream sends a comment, so proxies and clients keep it open.
    ///   - partnerships: deliverable progress and where its changes go, for `/api/v1/partnerships`; without it 503.
    ///   - orchestration: what the orchestration status, configuration and readiness routes read.
    public static func build(
        store: SnapshotStore, explain: @escaping Explain, reader: TimeSeriesReader? = nil, events: EventLog? = nil,
        hub: EventHub? = nil, keepalive: Duration = .seconds(15), partnerships: PartnershipDependencies? = nil,
        orchestration: OrchestrationRoutes.Dependencies = .init()
    ) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("api/v1/orchestration/health") { request, _ -> Response in
            let encoded = store.encoded
            return CachedJSON.response(to: request, body: encoded.health, etag: encoded.etags.health, cacheControl: CachePolicy.metrics)
        }
        router.get("api/v1/orchestration/metrics") { request, _ -> Response in
            let encoded = store.encoded
            return CachedJSON.response(
                to: request, body: encoded.metrics, etag: encoded.etags.metrics, cacheControl: CachePolicy.metrics)
        }
        router.get("api/v1/collectors") { _, _ in
            json(store.encoded.collectors)
        }
        router.post("api/v1/collectors/:name/test") { _, context -> Response in
            let name = context.parameters.get("name") ?? ""
            guard let body = await explain(name) else {
                return APIError.notFound("no such collector").answer
            }
            return json(ByteBuffer(bytes: body))
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: PrometheusExposition.contentType],
                body: .init(byteBuffer: store.encoded.exposition)
            )
        }
        SeriesRoutes.add(to: router, reader: reader)
        EventRoutes.add(to: router, log: events, hub: hub, keepalive: keepalive)
        PartnershipRoutes.add(to: router, store: store, dependencies: partnerships)
        OrchestrationRoutes.add(to: router, store: store, dependencies: orchestration)
        router.get("openapi.json") { request, _ -> Response in
            CachedJSON.response(
                to: request, body: OpenAPIDocument.body.body, etag: OpenAPIDocument.body.etag, cacheControl: CachePolicy.staticData)
        }
        router.get("docs") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: DocsPage.contentType, .cacheControl: CachePolicy.staticData],
                body: .init(byteBuffer: DocsPage.body))
        }
        // Last: it answers every method no route above takes.
        router.addErrorFallbacks()
        return router
    }

    private static func json(_ body: ByteBuffer) -> Response { .json(body) }
}
