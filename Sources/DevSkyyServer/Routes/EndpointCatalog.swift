/// One route of the query API, as `GET /api/v1/orchestration/docs/endpoints` lists it.
public struct EndpointDescription: Sendable, Equatable {
    public var method: String
    /// In the router's notation: `/api/v1/collectors/{name}/test`.
    public var path: String
    public var summary: String

    public init(_ method: String, _ path: String, _ summary: String) {
        self.method = method
        self.path = path
        self.summary = summary
    }
}

/// Every route the router serves, with one line each; a test keeps it and the router in step.
public enum EndpointCatalog {
    public static let all: [EndpointDescription] = [
        .init("GET", "/api/v1/orchestration/health", "System status and every partnership's health label and score"),
        .init("GET", "/api/v1/orchestration/metrics", "Latest metric values of every partnership"),
        .init(
            "GET", "/api/v1/orchestration/metrics/{partnership_type}",
            "Latest metric values of the partnerships of one type: technical, brand, visual or customer"),
        .init("GET", "/api/v1/orchestration/partnerships", "Every partnership with its health, progress and deliverables"),
        .init(
            "GET", "/api/v1/orchestration/status",
            "Version, uptime, collectors, Redis, outbox, process CPU and memory, recent events"),
        .init("GET", "/api/v1/orchestration/config", "The effective configuration with every secret redacted"),
        .init("GET", "/api/v1/orchestration/deployment/readiness", "A readiness score from live checks, with recommendations"),
        .init("GET", "/api/v1/orchestration/docs/endpoints", "This list of endpoints"),
        .init("GET", "/api/v1/partnerships", "Every partnership with its health, score, progress and deliverables"),
        .init("GET", "/api/v1/partnerships/{id}/status", "One partnership's health, reasons, key metric and progress"),
        .init("GET", "/api/v1/partnerships/{id}/deliverables", "One partnership's deliverables with their completion and status"),
        .init(
            "PUT", "/api/v1/partnerships/{id}/deliverables/{deliverable_id}",
            "Sets a deliverable's completion percentage and status (stored in Redis, recorded as an event)"),
        .init("GET", "/api/v1/collectors", "Every collector with its run counters and last error"),
        .init("POST", "/api/v1/collectors/{name}/test", "Runs one collector once without storing anything and explains it"),
        .init("GET", "/api/v1/series", "Stored series names, optionally filtered by a matcher"),
        .init("GET", "/api/v1/query_range", "A series' history from Redis over a time range"),
        .init("GET", "/api/v1/events", "Stored health events, oldest first"),
        .init("GET", "/api/v1/events/stream", "Health events as they happen (Server-Sent Events)"),
        .init("GET", "/metrics", "Prometheus text exposition of every series and the daemon's self-metrics"),
        .init("GET", "/openapi.json", "The OpenAPI 3.1 document of every route"),
        .init("GET", "/docs", "The OpenAPI document as a readable HTML page"),
    ]
}
