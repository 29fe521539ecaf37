import DevSkyyCore

extension OpenAPIPaths {
    /// `OrchestrationRoutes` and the two snapshot routes `QueryRouter` serves itself.
    static var orchestration: [APIOperation] {
        typealias S = OpenAPISchemas
        let tag = "orchestration"
        let outboxStatus: [String: Any] = ["type": "string", "enum": OutboxHealth.Status.allCases.map(\.rawValue)]
        let health = S.object([
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
        let metrics = S.array(
            S.object([
                "partnership_id": S.string, "partnership_type": S.partnershipType,
                "metrics": ["type": "object", "additionalProperties": S.number, "description": "Latest value by metric name"],
                "timestamp": S.time,
            ]))
        // The same object as `/api/v1/partnerships` lists (`PartnershipJSON.summary`).
        let partnerships = S.array(S.ref("Partnership"))
        let status = S.object(
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
                "last_updated": S.time,
            ])
        let config = S.object(
            [
                "redis": S.anyObject, "listen": S.anyObject, "state_dir": S.string, "outbox": S.anyObject, "collection": S.anyObject,
                "partnerships": S.array(S.anyObject), "content": S.array(S.anyObject), "influencers": S.array(S.anyObject),
                "collectors": S.array(S.anyObject), "thresholds": S.array(S.anyObject), "alerts": S.anyObject,
            ], required: [])
        let readiness = S.object([
            "ready": S.boolean, "score": ["type": "integer", "minimum": 0, "maximum": 100],
            "checks": S.array(
                S.object(["name": S.string, "passed": S.boolean, "detail": S.string, "recommendation": S.nullable("string")])),
            "recommendations": S.array(S.string), "checked_at": S.time,
        ])
        let endpoints = S.object([
            "endpoints": S.array(S.object(["method": S.string, "path": S.string, "description": S.string]))
        ])
        let kinds = Partnership.Kind.allCases.map(\.rawValue)
        return [
            APIOperation(
                method: "GET", path: "/api/v1/orchestration/health", tag: tag,
                responses: APIResponse.cached("System status and partnerships", health)),
            APIOperation(
                method: "GET", path: "/api/v1/orchestration/metrics", tag: tag,
                responses: APIResponse.cached("One entry per partnership", metrics)),
            APIOperation(
                method: "GET", path: "/api/v1/orchestration/metrics/{partnership_type}", tag: tag,
                parameters: [.path("partnership_type", "One of \(kinds.joined(separator: ", "))", schema: S.partnershipType)],
                responses: APIResponse.cached("One entry per partnership of the type", metrics)
                    + [.error(404, "Not one of the partnership types")]),
            APIOperation(
                method: "GET", path: "/api/v1/orchestration/partnerships", tag: tag,
                responses: APIResponse.cached("Every partnership", partnerships)),
            APIOperation(
                method: "GET", path: "/api/v1/orchestration/status", tag: tag,
                responses: [.ok("Computed per request", .json(status), headers: ["Cache-Control"])]),
            APIOperation(
                method: "GET", path: "/api/v1/orchestration/config", tag: tag,
                responses: APIResponse.cached("The effective configuration, secrets redacted", config)
                    + [.error(503, "The server was started without its configuration")]),
            APIOperation(
                method: "GET", path: "/api/v1/orchestration/deployment/readiness", tag: tag,
                responses: [.ok("The checks run per request", .json(readiness), headers: ["Cache-Control"])]),
            APIOperation(
                method: "GET", path: "/api/v1/orchestration/docs/endpoints", tag: tag,
                responses: APIResponse.cached("The endpoint catalog", endpoints)),
        ]
    }
}
