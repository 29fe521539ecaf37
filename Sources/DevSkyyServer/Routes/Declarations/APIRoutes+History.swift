import DevSkyyCore

extension APIRoutes {
    /// `SeriesRoutes` and `EventRoutes`: answers in a `{status, data}` envelope, errors in the one `Error` shape.
    static let history = [seriesList, queryRange, eventList, eventStream]

    /// A stream ID: `1700000000000-0`.
    static let eventID = "[0-9]{1,15}-[0-9]{1,15}"
    /// `QueryTime.parse`'s forms, bounded to values it accepts: now, now minus a duration, unix seconds or ms, RFC 3339.
    static let timePattern =
        "now|(now)?-[0-9]{1,5}(ms|s|m|h|d)|[0-9]{1,15}|[0-9]{1,11}\\.[0-9]{1,9}"
        + "|(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,3})?Z"

    private static let historyTag = "history"

    /// Parameters, errors and schemas the history routes share. `nonisolated(unsafe)`: JSON values built once from
    /// literals and never mutated (`[String: Any]` cannot say it is Sendable).
    private enum HistoryDocs {
        typealias S = OpenAPISchemas
        nonisolated(unsafe) static let failures: [APIResponse] = [
            .error(400, "A parameter is unknown, repeated or invalid (invalid_parameter; `field` names it)"),
            .error(503, "Redis cannot be reached, or the server has no reader"),
            .error(500, "Redis refused the read"),
        ]
        static func success(_ data: [String: Any]) -> [String: Any] {
            S.object(["status": ["type": "string", "const": "success"], "data": data])
        }
        nonisolated(unsafe) static let series: [String: Any] = S.object([
            "name": S.string, "partnership": S.string, "metric": S.string, "labels": ["type": "object", "additionalProperties": S.string],
        ])
        nonisolated(unsafe) static let range: [String: Any] = S.object([
            "resolution": S.string, "step_ms": S.integer, "aggregation": S.string, "from_ms": S.integer, "to_ms": S.integer,
            "series": S.array(
                S.object(
                    [
                        "name": S.string, "partnership": S.string, "metric": S.string, "labels": S.anyObject,
                        "points": S.array(["type": "array", "description": "[unix ms, value]", "minItems": 2, "maxItems": 2]),
                    ])),
        ])
        static let time = "unix seconds or ms, RFC 3339, now, or now minus a duration (-1h)"
        nonisolated(unsafe) static let timeSchema: [String: Any] = ["type": "string", "pattern": "^(\(timePattern))$"]
        nonisolated(unsafe) static let since = APIParameter.query(
            "since", "Events after this stream ID (1700000000000-0) or after this time: \(time)",
            schema: ["type": "string", "pattern": "^(\(eventID)|\(timePattern))$"])
        // Narrower than what the server takes (the full selector syntax, other labels), so that every value the
        // pattern allows is accepted: `{partnership="brand"}`, or empty for every series.
        nonisolated(unsafe) static let selector: [String: Any] = [
            "type": "string", "pattern": #"^(\{[A-Za-z_][A-Za-z0-9_]{0,30}(=|!=)"[A-Za-z0-9_.]{0,30}"\})?$"#,
        ]
        // One event of the stream, as OpenAPI 3.2's `itemSchema` and SSE-aware tools read a stream's schema.
        nonisolated(unsafe) static let event: [String: Any] = S.object(
            [
                "id": ["type": "string", "description": "The stream ID; send it back as Last-Event-ID"],
                "event": ["type": "string", "description": "The event's kind"],
                "data": ["type": "string", "contentMediaType": "application/json", "contentSchema": S.ref("HealthEvent")],
            ], required: ["data"])
    }

    public static let seriesList = APIRoute(
        .get, "/api/v1/series", "Stored series names, optionally filtered by a matcher", permission: .historyRead, rateLimit: .metrics,
        tag: historyTag, parameters: [.query("match", "A series selector: {label=\"value\", …}", schema: HistoryDocs.selector)],
        responses: [.ok("Matching series", .json(HistoryDocs.success(OpenAPISchemas.array(HistoryDocs.series))))] + HistoryDocs.failures)
    public static let queryRange = APIRoute(
        .get, "/api/v1/query_range", "A series' history from Redis over a time range", permission: .historyRead, rateLimit: .metrics,
        tag: historyTag,
        parameters: [
            APIParameter(
                name: "series", location: "query", required: false,
                description: "A series name; may repeat. Give series or match, not both (400 otherwise)",
                schema: OpenAPISchemas.array(["type": "string", "minLength": 1])),
            .query("match", "A series selector, instead of series", schema: HistoryDocs.selector),
            .query("from", "Start: \(HistoryDocs.time)", required: true, schema: HistoryDocs.timeSchema),
            .query("to", "End (default now): \(HistoryDocs.time)", schema: HistoryDocs.timeSchema),
            .query(
                "step", "Bucket width: a positive duration (10s, 5m, 1h, 1d) or seconds (60)",
                schema: ["type": "string", "pattern": "^([1-9][0-9]{0,5}(ms|s|m|h|d)|[1-9][0-9]{0,8})$"]),
            .query("agg", "Aggregation", schema: ["type": "string", "enum": Aggregation.allCases.map(\.rawValue)]),
            .query(
                "resolution", "Stored resolution",
                schema: ["type": "string", "enum": ["auto"] + Resolution.allCases.map(\.rawValue)]),
            .query(
                "max_points", "Most points per series (default \(RangeQuery.defaultMaxPoints))",
                schema: [
                    "type": "integer", "minimum": RangeQuery.maxPointsRange.lowerBound,
                    "maximum": RangeQuery.maxPointsRange.upperBound,
                ]),
        ],
        responses: [.ok("Points of each series", .json(HistoryDocs.success(HistoryDocs.range)))] + HistoryDocs.failures)
    public static let eventList = APIRoute(
        .get, "/api/v1/events", "Stored health events, oldest first", permission: .eventsRead, rateLimit: .metrics, tag: historyTag,
        parameters: [
            HistoryDocs.since,
            .query(
                "limit", "Most events (default \(EventRoutes.defaultLimit))",
                schema: ["type": "integer", "minimum": EventRoutes.limits.lowerBound, "maximum": EventRoutes.limits.upperBound]),
        ],
        responses: [
            .ok(
                "Stored events, oldest first",
                .json(HistoryDocs.success(OpenAPISchemas.object(["events": OpenAPISchemas.array(OpenAPISchemas.ref("HealthEvent"))]))))
        ] + HistoryDocs.failures)
    public static let eventStream = APIRoute(
        .get, "/api/v1/events/stream", "Health events as they happen (Server-Sent Events)", permission: .eventsRead,
        rateLimit: .metrics, tag: historyTag,
        parameters: [
            HistoryDocs.since,
            APIParameter(
                name: "Last-Event-ID", location: "header", required: false,
                description: "A reconnecting client's last event; wins over since", schema: HistoryDocs.since.schema),
        ],
        responses: [
            .ok(
                "Server-Sent Events, each `data:` a HealthEvent as JSON; idle streams get comment keepalives",
                APIContent(mediaType: "text/event-stream", schema: HistoryDocs.event)),
            .error(400, "since or Last-Event-ID is invalid, or a parameter is unknown"),
            .error(503, "The server has no event hub"),
        ])
}
