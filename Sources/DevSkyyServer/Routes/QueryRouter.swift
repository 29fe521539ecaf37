import DevSkyyCore
import DevSkyyStore
import Hummingbird
import Logging

/// The routes served identically on the Unix socket and on TCP.
public enum QueryRouter {
    /// Runs one collector once without storing anything and returns its explanation as JSON; nil for an unknown name.
    public typealias Explain = @Sendable (_ collector: String) async -> [UInt8]?

    /// - Parameters:
    ///   - reader: reads history from Redis for the series routes; without one they answer 503.
    ///   - events: the stored health events for `/api/v1/events` (and the event stream's replay); without it 503.
    ///   - hub: live health events for `/api/v1/events/stream`; without it 503.
    ///   - keepalive: how often an idle event stream sends a comment, so proxies and clients keep it open.
    ///   - partnerships: deliverable progress and where its changes go, for `/api/v1/partnerships` (503 without it) and
    ///     `/api/v1/orchestration/partnerships` (every deliverable at its defaults without it).
    ///   - orchestration: what the orchestration status, configuration and readiness routes read.
    ///   - api: the body limit and the CORS origins every route is held to.
    ///   - access: who may call what; without it every request is let in (tests of the routes themselves).
    ///   - auth: what the login, refresh and logout routes use; without it they answer 404.
    ///   - oauth: what the OAuth token route uses; without it it answers 404.
    public static func build(
        store: SnapshotStore, explain: @escaping Explain, reader: TimeSeriesReader? = nil, events: EventLog? = nil,
        hub: EventHub? = nil, keepalive: Duration = .seconds(15), partnerships: PartnershipDependencies? = nil,
        orchestration: OrchestrationRoutes.Dependencies = .init(), api: APISettings = .init(), access: AccessControl? = nil,
        auth: AuthRoutes.Dependencies? = nil, oauth: OAuthTokenRoute.Dependencies? = nil,
        logger: Logger = Logger(label: "devskyy.access")
    ) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        // Middleware wraps only the routes added after it (and the not-found responder): these come first. CORS is
        // outermost so that error answers carry its headers too, and a browser can read them.
        if !api.corsAllowedOrigins.isEmpty {
            router.add(middleware: CORSAllowlistMiddleware(origins: api.corsAllowedOrigins))
        }
        router.add(middleware: ErrorShapeMiddleware())
        // Before any body is read: a caller without the route's permission is refused first.
        if let access {
            router.add(middleware: AccessMiddleware(access: access, logger: logger))
        }
        router.add(middleware: BodyLimitMiddleware(limit: api.maxBodyBytes))
        // Every route but the deliverable update reads no body.
        let bodiless = router.group().add(middleware: NoRequestBodyMiddleware())
        // The routes answered from the snapshot alone; the listeners' fast path serves the same answers ahead of the
        // router (`SnapshotFastPath`).
        for route in SnapshotRoutes.fixed {
            bodiless.on(route.declaration) { request, _ in route.answer(store.encoded).response(to: request) }
        }
        bodiless.on(APIRoutes.collectorTest) { _, context -> Response in
            let name = context.parameters.get("name") ?? ""
            guard let body = await explain(name) else {
                throw APIError.notFound("no such collector")
            }
            return .json(ByteBuffer(bytes: body))
        }
        SeriesRoutes.add(to: bodiless, reader: reader)
        EventRoutes.add(to: bodiless, log: events, hub: hub, keepalive: keepalive)
        PartnershipRoutes.add(reads: bodiless, updates: router, store: store, dependencies: partnerships, maxBodyBytes: api.maxBodyBytes)
        var orchestration = orchestration
        orchestration.rateLimits = access?.limiter
        OrchestrationRoutes.add(to: bodiless, store: store, board: partnerships?.board, dependencies: orchestration)
        AuthRoutes.add(to: router, bodiless: bodiless, dependencies: auth, maxBodyBytes: api.maxBodyBytes)
        OAuthTokenRoute.add(to: router, dependencies: oauth, maxBodyBytes: api.maxBodyBytes)
        bodiless.on(APIRoutes.openAPIDocument) { request, _ -> Response in
            CachedJSON.response(
                to: request, OpenAPIDocument.body, cacheControl: CachePolicy.staticData)
        }
        bodiless.on(APIRoutes.docsPage) { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: DocsPage.contentType, .cacheControl: CachePolicy.staticData],
                body: .init(byteBuffer: DocsPage.body))
        }
        // Last: it answers every method no route above takes.
        router.addErrorFallbacks()
        return router
    }

}
