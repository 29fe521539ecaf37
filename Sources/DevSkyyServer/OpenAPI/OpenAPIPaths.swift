/// Every operation of the query API, grouped as the route files are.
enum OpenAPIPaths {
    static var all: [APIOperation] { orchestration + partnerships + collectors + history + exposition + documentation }

    /// The collector routes `QueryRouter` serves itself.
    static var collectors: [APIOperation] {
        typealias S = OpenAPISchemas
        let collector = [
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
        return [
            APIOperation(
                method: "GET", path: "/api/v1/collectors", tag: "collectors",
                responses: [.ok("Every collector", .json(S.object(["collectors": S.array(collector), "last_updated": S.time])))]),
            APIOperation(
                method: "POST", path: "/api/v1/collectors/{name}/test", tag: "collectors",
                parameters: [.path("name", "A collector name from the configuration")],
                responses: [.ok("What the run fetched and extracted", .json(S.anyObject)), .error(404, "No such collector")]),
        ]
    }

    static var exposition: [APIOperation] {
        [
            APIOperation(
                method: "GET", path: "/metrics", tag: "exposition",
                responses: [
                    .ok(
                        "Prometheus text format 0.0.4 (\(PrometheusExposition.contentType))",
                        APIContent(mediaType: "text/plain", schema: OpenAPISchemas.string))
                ])
        ]
    }

    static var documentation: [APIOperation] {
        [
            APIOperation(
                method: "GET", path: "/openapi.json", tag: "documentation",
                responses: APIResponse.cached("This document (OpenAPI 3.1)", OpenAPISchemas.anyObject)),
            APIOperation(
                method: "GET", path: "/docs", tag: "documentation",
                responses: [
                    .ok("This document as an HTML page", APIContent(mediaType: "text/html", schema: OpenAPISchemas.string))
                ]),
        ]
    }
}
