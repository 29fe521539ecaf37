import DevSkyyCore
import Hummingbird

/// CORS for the origins `listen.cors_allowed_origins` lists (or any, for `*`); the router adds it only when the list
/// is not empty.
///
/// Hummingbird's `CORSMiddleware` takes an allowlist only as literal arguments and answers every preflight, listed
/// origin or not. Here a request from an unlisted origin is served exactly as without CORS: no `Access-Control-*`
/// header, and a preflight `OPTIONS` gets the router's 405.
struct CORSAllowlistMiddleware<Context: RequestContext>: RouterMiddleware {
    static var allowMethods: String { "GET, PUT, POST, OPTIONS" }
    static var allowHeaders: String { "Content-Type, If-None-Match, Last-Event-ID, Authorization" }
    /// Ten minutes: browsers cap it anyway (Chromium at two hours), and a changed list reaches them soon.
    static var maxAge: String { "600" }

    private let origins: Set<String>
    private let anyOrigin: Bool
    private let varies: Bool

    /// Whether answers depend on `Origin` (an allowlist, not `*`): then every answer, to a request with an `Origin`
    /// or without, carries `Vary: Origin` so shared caches key on it. The listeners' fast path adds it too.
    static func variesByOrigin(_ origins: [String]) -> Bool { !origins.isEmpty && !origins.contains("*") }

    /// - Parameter origins: normalized as `CORSOrigin.normalize` does, or `["*"]`.
    init(origins: [String]) {
        self.origins = Set(origins)
        self.anyOrigin = origins.contains("*")
        self.varies = Self.variesByOrigin(origins)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let allowed = request.headers[.origin].flatMap(allowOrigin)
        if let allowed, request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var headers: HTTPFields = [
                .accessControlAllowOrigin: allowed, .accessControlAllowMethods: Self.allowMethods,
                .accessControlAllowHeaders: Self.allowHeaders, .accessControlMaxAge: Self.maxAge,
            ]
            if varies { headers[.vary] = "Origin" }
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        if let allowed {
            response.headers[.accessControlAllowOrigin] = allowed
            response.headers[.accessControlExposeHeaders] = "ETag"
        }
        if varies { response.headers[values: .vary].append("Origin") }
        return response
    }

    /// The `Access-Control-Allow-Origin` value for a request's `Origin`, or nil when it is not listed.
    private func allowOrigin(_ origin: String) -> String? {
        if anyOrigin { return "*" }
        guard case .success(let normalized) = CORSOrigin.normalize(origin), origins.contains(normalized) else { return nil }
        return origin
    }
}
