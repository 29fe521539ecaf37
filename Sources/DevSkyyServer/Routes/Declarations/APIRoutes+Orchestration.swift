import DevSkyyCore

extension APIRoutes {
    /// `OrchestrationRoutes` and the two snapshot routes `QueryRouter` serves itself.
    static let orchestration = [
        orchestrationHealth, orchestrationMetrics, orchestrationMetricsOfType, orchestrationPartnerships, orchestrationStatus,
        orchestrationConfig, deploymentReadiness, endpointCatalog,
    ]

    private static let orchestrationTag = "orchestration"

    /// The schemas of the orchestration answers. `nonisolated(unsafe)`: JSON values built once from literals and
    /// never mutated (`[String: Any]` cannot say it is Sendable).
    private enum OrchestrationSchema {
        typealias S = OpenAPISchemas
        nonisolated(unsafe) static let outboxStatus: [String: Any] = [
            "type": "string", "enum": OutboxHealth.Status.allCases.map(\.rawValue),
        ]
        nonisolated(unsafe) static let health: [String: Any] = S.object([
            "status": S.string,
            "partnerships": [
                "type": "object", "description": "By partnership id",
                "additionalProperties": S.object(
                    [
                        "name": S.string, "type": S.partnershipType, "health": S.string, "score": S.number,
                        "reasons": S.array(S.ref("HealthReason")), "last_updated": S.nullableTime,
                    ]
                ).merging(["description": "Also the type's key value (uptime, engagement, accuracy or satisfaction) once known"]) { a, _ in
                    a
                },
            ],
            "redis": S.object(
                ["status": ["type": "string", "enum": ["up", "down", "connecting"]], "error": S.string], required: ["status"]),
            "outbox": S.object(["status": outboxStatus, "error": S.string], required: ["status"]),
            "collectors": S.array(S.ref("CollectorSummary")),
            "last_updated": S.time,
        ])
        nonisolated(unsafe) static let metrics: [String: Any] = S.array(
            S.object([
                "partnership_id": S.string, "partnership_type": S.partnershipType,
                "metrics": ["type": "object", "additionalProperties": S.number, "description": "Latest value by metric name"],
                "timestamp": S.time,
            ]))
        // The same object as `/api/v1/partnerships` lists (`PartnershipJSON.summary`).
        nonisolated(unsafe) static let partnerships: [String: Any] = S.array(S.ref("Partnership"))
        nonisolated(unsafe) static let status: [String: Any] = S.object(
            [
                "version": S.string, "status": S.string, "uptime_seconds": S.nullable("number"),
                "collectors": S.object([
                    "total": S.integer, "up": S.integer, "down": S.integer, "items": S.array(S.ref("CollectorSummary")),
                ]),
                "redis": S.object(
                    ["status": S.string, "endpoint": S.string, "error": S.string, "ping_seconds": S.number], required: ["status"]),
                "outbox": S.object(
                    ["status": outboxStatus, "error": S.string, "records": S.integer, "bytes": S.integer, "dropped_records": S.integer],
                    required: ["status", "records", "bytes", "dropped_records"]),
                "process": [
                    "type": ["object", "null"], "description": "pid, cpu_seconds, rss_bytes and threads; null where unreadable",
                ],
                "recent_events": S.array(S.ref("HealthEvent")),
                "rate_limits": S.object(["shared": S.boolean, "counting": ["type": "string", "enum": ["redis", "local", "none"]]]),
                "last_updated": S.time,
            ])
        nonisolated(unsafe) static let config: [String: Any] = S.object(
            [
                "redis": S.anyObject, "listen": S.anyObject, "state_dir": S.string, "outbox": S.anyObject, "collection": S.anyObject,
                "partnerships": S.array(S.anyObject), "content": S.array(S.anyObject), "influencers": S.array(S.anyObject),
                "collectors": S.array(S.anyObject), "thresholds": S.array(S.anyObject), "alerts": S.anyObject,
            ], required: [])
        nonisolated(unsafe) static let readiness: [String: Any] = S.object([
            "ready": S.boolean, "score": ["type": "integer", "minimum": 0, "maximum": 100],
            "checks": S.array(
                S.object(["name": S.string, "passed": S.boolean, "detail": S.string, "recommendation": S.nullable("string")])),
            "recommendations": S.array(S.string), "checked_at": S.time,
        ])
        nonisolated(unsafe) static let endpoints: [String: Any] = S.object([
            "endpoints": S.array(S.object(["method": S.string, "path": S.string, "description": S.string]))
        ])
    }

    public static let orchestrationHealth = APIRoute(
        .get, "/api/v1/orchestration/health", "System status and every partnership's health label and score",
        permission: .healthRead, rateLimit: .metrics, tag: orchestrationTag,
        responses: APIResponse.cached("System status and partnerships", OrchestrationSchema.health))
    public static let orchestrationMetrics = APIRoute(
        .get, "/api/v1/orchestration/metrics", "Latest metric values of every partnership", permission: .metricsRead,
        rateLimit: .metrics, tag: orchestrationTag, responses: APIResponse.cached("One entry per partnership", OrchestrationSchema.metrics))
    public static let orchestrationMetricsOfType = APIRoute(
        .get, "/api/v1/orchestration/metrics/{partnership_type}",
        "Latest metric values of the partnerships of one type: technical, brand, visual or customer", permission: .metricsRead,
        rateLimit: .metrics, tag: orchestrationTag,
        parameters: [
            .path(
                "partnership_type", "One of \(Partnership.Kind.allCases.map(\.rawValue).joined(separator: ", "))",
                schema: OpenAPISchemas.partnershipType)
        ],
        responses: APIResponse.cached("One entry per partnership of the type", OrchestrationSchema.metrics)
            + [.error(404, "Not one of the partnership types")])
    public static let orchestrationPartnerships = APIRoute(
        .get, "/api/v1/orchestration/partnerships", "Every partnership with its health, progress and deliverables",
        permission: .orchestrationRead, tag: orchestrationTag,
        responses: APIResponse.cached("Every partnership", OrchestrationSchema.partnerships))
    public static let orchestrationStatus = APIRoute(
        .get, "/api/v1/orchestration/status", "Version, uptime, collectors, Redis, outbox, process CPU and memory, recent events",
        permission: .orchestrationRead, tag: orchestrationTag,
        responses: [.ok("Computed per request", .json(OrchestrationSchema.status), headers: ["Cache-Control"])])
    public static let orchestrationConfig = APIRoute(
        .get, "/api/v1/orchestration/config", "The effective configuration with every secret redacted",
        permission: .orchestrationAdmin, tag: orchestrationTag,
        responses: APIResponse.cached("The effective configuration, secrets redacted", OrchestrationSchema.config)
            + [.error(503, "The server was started without its configuration")])
    public static let deploymentReadiness = APIRoute(
        .get, "/api/v1/orchestration/deployment/readiness", "A readiness score from live checks, with recommendations",
        permission: .orchestrationRead, tag: orchestrationTag,
        responses: [.ok("The checks run per request", .json(OrchestrationSchema.readiness), headers: ["Cache-Control"])])
    public static let endpointCatalog = APIRoute(
        .get, "/api/v1/orchestration/docs/endpoints", "This list of endpoints", permission: .docsRead, tag: orchestrationTag,
        responses: APIResponse.cached("The endpoint catalog", OrchestrationSchema.endpoints))
}
