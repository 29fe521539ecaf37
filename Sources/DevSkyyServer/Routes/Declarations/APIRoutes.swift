import DevSkyyCore

/// Every route of the API, each declared once (`APIRoute`): the router registers them, the access layer reads their
/// permissions, and the OpenAPI document, `/docs` and the endpoint catalog are rendered from them.
///
/// A route is added by declaring it here (in the file of its area) and registering its handler with
/// `RouterMethods.on(_:use:)`; `RouteDeclarationTests` fails when the router and `all` disagree.
public enum APIRoutes {
    /// In the order the documentation lists them.
    public static let all: [APIRoute] = orchestration + partnerships + collectors + history + auth + exposition + documentation

    /// Each route's permission by `APIRoute.key` (`GET /api/v1/partnerships/{id}/status`).
    public static let permissions: [String: Permission] = Dictionary(
        all.map { ($0.key, $0.permission) }, uniquingKeysWith: { first, _ in first })

    // MARK: - Collectors, exposition and documentation

    static let collectors = [collectorList, collectorTest]
    static let exposition = [prometheusMetrics]
    static let documentation = [openAPIDocument, docsPage]

    /// The collector object `/api/v1/collectors` lists. `nonisolated(unsafe)`: a JSON value built once from literals
    /// and never mutated (`[String: Any]` cannot say it is Sendable).
    nonisolated(unsafe) private static let collectorSchema: [String: Any] = {
        typealias S = OpenAPISchemas
        return [
            "allOf": [
                S.ref("CollectorSummary"),
                S.object([
                    "runs": S.integer, "failures": S.integer, "last_duration_seconds": S.number, "samples": S.integer,
                    "samples_total": S.integer, "errors": ["type": "object", "additionalProperties": S.integer],
                    "dropped_series_total": S.integer,
                    "skipped_ticks": ["type": "object", "additionalProperties": S.integer, "description": "By reason"],
                    "rate_limit_remaining": S.nullable("number"),
                ]),
            ]
        ]
    }()

    public static let collectorList = APIRoute(
        Endpoints.collectors, "Every collector with its run counters and last error", permission: .orchestrationRead,
        rateLimit: .metrics, tag: "collectors",
        responses: [
            .ok(
                "Every collector",
                .json(
                    OpenAPISchemas.object([
                        "collectors": OpenAPISchemas.array(collectorSchema), "last_updated": OpenAPISchemas.time,
                    ])))
        ])
    public static let collectorTest = APIRoute(
        Endpoints.collectorTest, "Runs one collector once without storing anything and explains it",
        permission: .orchestrationAdmin, tag: "collectors",
        parameters: [.path("name", "A collector name from the configuration")],
        responses: [.ok("What the run fetched and extracted", .json(OpenAPISchemas.anyObject)), .error(404, "No such collector")])

    public static let prometheusMetrics = APIRoute(
        .get, "/metrics", "Prometheus text exposition of every series and the daemon's self-metrics", permission: .metricsRead,
        rateLimit: .metrics, tag: "exposition",
        responses: [
            .ok(
                "Prometheus text format 0.0.4 (\(PrometheusExposition.contentType))",
                APIContent(mediaType: "text/plain", schema: OpenAPISchemas.string))
        ])

    public static let openAPIDocument = APIRoute(
        .get, "/openapi.json", "The OpenAPI 3.1 document of every route", permission: .docsRead, tag: "documentation",
        responses: APIResponse.cached("This document (OpenAPI 3.1)", OpenAPISchemas.anyObject))
    public static let docsPage = APIRoute(
        .get, "/docs", "The OpenAPI document as a readable HTML page", permission: .docsRead, tag: "documentation",
        responses: [.ok("This document as an HTML page", APIContent(mediaType: "text/html", schema: OpenAPISchemas.string))])
}
