import DevSkyyCore

extension OpenAPIPaths {
    /// A stream ID: `1700000000000-0`.
    static let eventID = "[0-9]{1,15}-[0-9]{1,15}"
    /// `QueryTime.parse`'s forms, bounded to values it accepts: now, now minus a duration, unix seconds or ms, RFC 3339.
    static let timePattern =
        "now|(now)?-[0-9]{1,5}(ms|s|m|h|d)|[0-9]{1,15}|[0-9]{1,11}\\.[0-9]{1,9}"
        + "|(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,3})?Z"

    /// `SeriesRoutes` and `EventRoutes`: answers in a `{status, data}` envelope, errors in the one `Error` shape.
    static var history: [APIOperation] {
        typealias S = OpenAPISchemas
        let tag = "history"
        let failures: [APIResponse] = [
            .error(400, "A parameter is unknown, repeated or invalid (invalid_parameter; `field` names it)"),
            .error(503, "Redis cannot be reached, or the server has no reader"),
            .error(500, "Redis refused the read"),
        ]
        func success(_ data: [String: Any]) -> [String: Any] {
            S.object(["status": ["type": "string", "const": "success"], "data": data])
        }
        let series = S.object([
            "name": S.string, "partnership": S.string, "metric": S.string, "labels": ["type": "object", "additionalProperties": S.string],
        ])
        let range = S.object([
            "resolution": S.string, "step_ms": S.integer, "aggregation": S.string, "from_ms": S.integer, "to_ms": S.integer,
            "series": S.array(
                S.object(
                    [
                        "name": S.string, "partnership": S.string, "metric": S.string, "labels": S.anyObject,
                        "points": S.array(["type": "array", "description": "[unix ms, value]", "minItems": 2, "maxItems": 2]),
                    ])),
        ])
        let time = "unix seconds or ms, RFC 3339, now, or now minus a duration (-1h)"
        let timeSchema: [String: Any] = ["type": "string", "pattern": "^(\(timePattern))$"]
        let since = APIParameter.query(
            "since", "Events after this stream ID (1700000000000-0) or after this time: \(time)",
            schema: ["type": "string", "pattern": "^(\(eventID)|\(timePattern))$"])
        // Narrower than what the server takes (the full selector syntax, other labels), so that every value the
        // pattern allows is accepted: `{partnership="brand"}`, or empty for every series.
        let selector: [String: Any] = [
            "type": "string", "pattern": #"^(\{[A-Za-z_][A-Za-z0-9_]{0,30}(=|!=)"[A-Za-z0-9_.]{0,30}"\})?$"#,
        ]
        // One event of the stream, as OpenAPI 3.2's `itemSchema` and SSE-aware tools read a stream's schema.
        let event = S.object(
            [
                "id": ["type": "string", "description": "The stream ID; send it back as Last-Event-ID"],
                "event": ["type": "string", "description": "The event's kind"],
                "data": ["type": "string", "contentMediaType": "application/json", "contentSchema": S.ref("HealthEvent")],
            ], required: ["data"])
        return [
            APIOperation(
                method: "GET", path: "/api/v1/series", tag: tag,
                parameters: [.query("match", "A series selector: {label=\"value\", …}", schema: selector)],
                responses: [.ok("Matching series", .json(success(S.array(series))))] + failures),
            APIOperation(
                method: "GET", path: "/api/v1/query_range", tag: tag,
                parameters: [
                    APIParameter(
                        name: "series", location: "query", required: false,
                        description: "A series name; may repeat. Give series or match, not both (400 otherwise)",
                        schema: S.array(["type": "string", "minLength": 1])),
                    .query("match", "A series selector, instead of series", schema: selector),
                    .query("from", "Start: \(time)", required: true, schema: timeSchema),
                    .query("to", "End (default now): \(time)", schema: timeSchema),
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
                responses: [.ok("Points of each series", .json(success(range)))] + failures),
            APIOperation(
                method: "GET", path: "/api/v1/events", tag: tag,
                parameters: [
                    since,
                    .query(
                        "limit", "Most events (default \(EventRoutes.defaultLimit))",
                        schema: ["type": "integer", "minimum": EventRoutes.limits.lowerBound, "maximum": EventRoutes.limits.upperBound]),
                ],
                responses: [.ok("Stored events, oldest first", .json(success(S.object(["events": S.array(S.ref("HealthEvent"))]))))]
                    + failures),
            APIOperation(
                method: "GET", path: "/api/v1/events/stream", tag: tag,
                parameters: [
                    since,
                    APIParameter(
                        name: "Last-Event-ID", location: "header", required: false,
                        description: "A reconnecting client's last event; wins over since", schema: since.schema),
                ],
                responses: [
                    .ok(
                        "Server-Sent Events, each `data:` a HealthEvent as JSON; idle streams get comment keepalives",
                        APIContent(mediaType: "text/event-stream", schema: event)),
                    .error(400, "since or Last-Event-ID is invalid, or a parameter is unknown"),
                    .error(503, "The server has no event hub"),
                ]),
        ]
    }
}
