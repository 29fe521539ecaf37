/// One request that must fail, and how: its status, `error.code`, and `error.field` or `Allow` where they apply.
struct APIErrorCase: Sendable, CustomStringConvertible {
    var method = "GET"
    var path: String
    var headers: [String: String] = [:]
    var body: String?
    var status: Int
    var code: String
    var field: String?
    var allow: String?

    var description: String { "\(method) \(path)\(body.map { " \($0.prefix(40))" } ?? "")" }

    static let json = ["Content-Type": "application/json"]
    static let deliverable = "/api/v1/partnerships/technical/deliverables/microservices"
    /// Over the 1 KiB limit the tests' router is built with.
    static let large = #"{"status": ""# + String(repeating: "x", count: 2_000) + #""}"#

    static func get(_ path: String, _ status: Int, _ code: String, field: String? = nil) -> APIErrorCase {
        APIErrorCase(path: path, status: status, code: code, field: field)
    }

    /// A query parameter at fault: 400 naming it.
    static func parameter(_ path: String, _ field: String) -> APIErrorCase {
        APIErrorCase(path: path, status: 400, code: "invalid_parameter", field: field)
    }

    static func update(
        _ body: String, _ status: Int, _ code: String, field: String? = nil, path: String = deliverable, headers: [String: String] = json
    ) -> APIErrorCase {
        APIErrorCase(method: "PUT", path: path, headers: headers, body: body, status: status, code: code, field: field)
    }

    static func method(_ method: String, _ path: String, allow: String) -> APIErrorCase {
        APIErrorCase(method: method, path: path, status: 405, code: "method_not_allowed", allow: allow)
    }

    /// Every endpoint's error cases, for a router built without Redis (no reader, event log, hub, deliverable store or
    /// configuration) and a 1 KiB body limit.
    static let all: [APIErrorCase] =
        unknown + seriesParameters + rangeParameters + eventParameters + updateBodies + bodies + methods + withoutRedis + auth

    /// The router is built without logins or clients (no `auth:` users, clients and secret): 404; logout reads no body.
    static let auth: [APIErrorCase] = [
        APIErrorCase(
            method: "POST", path: "/api/v1/auth/login", headers: json, body: #"{"username":"u","password":"p"}"#, status: 404,
            code: "not_found"),
        APIErrorCase(
            method: "POST", path: "/api/v1/auth/refresh", headers: json, body: #"{"refresh_token":"t"}"#, status: 404, code: "not_found"),
        APIErrorCase(method: "POST", path: "/api/v1/auth/logout", headers: json, body: "{}", status: 400, code: "unexpected_body"),
        APIErrorCase(
            method: "POST", path: "/api/v1/auth/token", headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: "grant_type=client_credentials", status: 404, code: "not_found"),
    ]

    static let unknown: [APIErrorCase] = [
        get("/api/v1/orchestration/metrics/robots", 404, "not_found"),
        get("/api/v1/partnerships/nobody/status", 404, "not_found"),
        get("/api/v1/partnerships/nobody/deliverables", 404, "not_found"),
        APIErrorCase(method: "POST", path: "/api/v1/collectors/nobody/test", status: 404, code: "not_found"),
        update(#"{"status": "x"}"#, 404, "not_found", path: "/api/v1/partnerships/nobody/deliverables/microservices"),
        update(#"{"status": "x"}"#, 404, "not_found", path: "/api/v1/partnerships/technical/deliverables/nothing"),
        update("not json", 404, "not_found", path: "/api/v1/partnerships/technical/deliverables/nothing"),
        get("/api/v1/no-such-route", 404, "not_found"),
        get("/", 404, "not_found"),
    ]

    static let seriesParameters: [APIErrorCase] = [
        parameter("/api/v1/series?metric=x", "metric"),
        parameter("/api/v1/series?match=%7B", "match"),
        parameter("/api/v1/series?match=a&match=b", "match"),
    ]

    static let rangeParameters: [APIErrorCase] = [
        parameter("/api/v1/query_range?from=-1h", "series"),
        parameter("/api/v1/query_range?series=p.m", "from"),
        parameter("/api/v1/query_range?series=p.m&from=yesterday", "from"),
        parameter("/api/v1/query_range?series=p.m&from=-1h&step=0", "step"),
        parameter("/api/v1/query_range?series=p.m&from=-1h&agg=median", "agg"),
        parameter("/api/v1/query_range?series=p.m&from=-1h&resolution=5m", "resolution"),
        parameter("/api/v1/query_range?series=p.m&from=-1h&max_points=0", "max_points"),
        parameter("/api/v1/query_range?match=%7Bmetric%3D%22x%22&from=-1h", "match"),
        parameter("/api/v1/query_range?series=p.m&from=-1h&aggregation=avg", "aggregation"),
    ]

    static let eventParameters: [APIErrorCase] = [
        parameter("/api/v1/events?since=yesterday", "since"),
        parameter("/api/v1/events?limit=0", "limit"),
        parameter("/api/v1/events?limit=ten", "limit"),
        parameter("/api/v1/events?limit=1&limit=2", "limit"),
        parameter("/api/v1/events?from=-1h", "from"),
        parameter("/api/v1/events/stream?since=soon", "since"),
        parameter("/api/v1/events/stream?limit=5", "limit"),
        APIErrorCase(
            path: "/api/v1/events/stream", headers: ["Last-Event-ID": "soon"], status: 400, code: "invalid_parameter",
            field: "Last-Event-ID"),
    ]

    static let updateBodies: [APIErrorCase] = [
        update(#"{"completion_percentage": 60"#, 400, "malformed_json"),
        update(#"{"status": "x"}"#, 415, "unsupported_media_type", field: "Content-Type", headers: ["Content-Type": "text/plain"]),
        update(#"{"status": "x"}"#, 415, "unsupported_media_type", field: "Content-Type", headers: [:]),
        update(#"{"completion": 60}"#, 422, "invalid_field", field: "completion"),
        update(#"{"completion_percentage": "60"}"#, 422, "invalid_field", field: "completion_percentage"),
        update(#"{"status": 5}"#, 422, "invalid_field", field: "status"),
        update(#"{"completion_percentage": 101}"#, 422, "invalid_field", field: "completion_percentage"),
        update(#"{"completion_percentage": -1}"#, 422, "invalid_field", field: "completion_percentage"),
        update("[60]", 422, "invalid_field", field: "body"),
    ]

    static let bodies: [APIErrorCase] = [
        // Over the limit: declared, declared far beyond what is sent (answered before the body is read), chunked.
        update(large, 413, "payload_too_large"),
        update("{", 413, "payload_too_large", headers: json.merging(["Content-Length": "10485760"]) { $1 }),
        update(large, 413, "payload_too_large", headers: json.merging(["Transfer-Encoding": "chunked"]) { $1 }),
        APIErrorCase(path: "/api/v1/collectors", body: large, status: 413, code: "payload_too_large"),
        // Routes that read no body refuse one.
        APIErrorCase(path: "/api/v1/orchestration/health", body: "x", status: 400, code: "unexpected_body"),
        APIErrorCase(path: "/api/v1/orchestration/deployment/readiness", body: "{}", status: 400, code: "unexpected_body"),
        APIErrorCase(path: "/api/v1/orchestration/docs/endpoints", body: "{}", status: 400, code: "unexpected_body"),
        APIErrorCase(path: "/openapi.json", body: "{}", status: 400, code: "unexpected_body"),
        APIErrorCase(path: "/metrics", body: "{}", status: 400, code: "unexpected_body"),
        APIErrorCase(method: "POST", path: "/api/v1/collectors/tech/test", headers: json, body: "{}", status: 400, code: "unexpected_body"),
        APIErrorCase(
            path: "/api/v1/series", headers: ["Transfer-Encoding": "chunked"], body: "x", status: 400, code: "unexpected_body"),
    ]

    static let methods: [APIErrorCase] = [
        method("DELETE", "/api/v1/orchestration/health", allow: "GET"),
        method("POST", "/api/v1/orchestration/status", allow: "GET"),
        method("PUT", "/api/v1/orchestration/metrics", allow: "GET"),
        method("DELETE", "/api/v1/orchestration/partnerships", allow: "GET"),
        method("POST", "/api/v1/events", allow: "GET"),
        method("POST", "/docs", allow: "GET"),
        method("GET", "/api/v1/collectors/tech/test", allow: "POST"),
        method("POST", deliverable, allow: "PUT"),
        method("PATCH", "/metrics", allow: "GET"),
        method("PUT", "/api/v1/query_range", allow: "GET"),
        method("OPTIONS", "/api/v1/partnerships", allow: "GET"),
    ]

    static let withoutRedis: [APIErrorCase] = [
        get("/api/v1/series", 503, "unavailable"),
        get("/api/v1/query_range?series=p.m&from=-1h", 503, "unavailable"),
        get("/api/v1/events", 503, "unavailable"),
        get("/api/v1/events/stream", 503, "unavailable"),
        get("/api/v1/partnerships", 503, "unavailable"),
        get("/api/v1/partnerships/technical/status", 503, "unavailable"),
        get("/api/v1/partnerships/technical/deliverables", 503, "unavailable"),
        update(#"{"completion_percentage": 5}"#, 503, "unavailable"),
        get("/api/v1/orchestration/config", 503, "unavailable"),
    ]
}
