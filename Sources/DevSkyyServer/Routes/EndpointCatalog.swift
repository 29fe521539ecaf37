/// One route of the query API, as `GET /api/v1/orchestration/docs/endpoints` lists it.
public struct EndpointDescription: Sendable, Equatable {
    public var method: String
    /// In OpenAPI notation: `/api/v1/collectors/{name}/test`.
    public var path: String
    public var summary: String

    public init(_ method: String, _ path: String, _ summary: String) {
        self.method = method
        self.path = path
        self.summary = summary
    }
}

/// Every route the router serves, with one line each: the route declarations' (`APIRoutes`).
public enum EndpointCatalog {
    public static let all = APIRoutes.all.map { EndpointDescription($0.method.rawValue, $0.path, $0.summary) }
}
