import DevSkyyCore
import HTTPTypes
import Hummingbird
import Logging

/// Puts `AccessPolicy` in front of every route: resolves the request's credentials, decides, and either sets the
/// caller on the context and goes on, or answers 401, 403 or 421 in the API's error shape.
///
/// Router middleware runs once the router has matched the path, so the matched route's declaration (and with it its
/// permission) is known here; a path or method no route serves comes with none.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    /// What the request's credentials resolve to; the access layer's token, API key and client checks.
    typealias Resolve = @Sendable (Request, APIRequestContext) async -> AccessPolicy.Credentials

    let policy: AccessPolicy
    let resolve: Resolve
    let limiter: RateLimiter?
    let stats: AccessStats
    let logger: Logger
    /// Declarations by method and router path (`GET /api/v1/partnerships/:id/status`), as the router reports the match.
    private let routes: [String: APIRoute]

    init(access: AccessControl, logger: Logger, routes: [APIRoute] = APIRoutes.all) {
        policy = access.policy
        resolve = access.resolve
        limiter = access.limiter
        stats = access.stats
        self.logger = logger
        self.routes = Dictionary(
            routes.map { ("\($0.method.rawValue) \($0.routerPath.description)", $0) }, uniquingKeysWith: { first, _ in first })
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let route = context.endpointPath.flatMap { routes["\(request.method.rawValue) \($0)"] }
        let credentials = await resolve(request, context)
        let decision = policy.decide(
            method: request.method, path: Substring(request.uri.path), route: route, transport: context.transport,
            host: request.head.authority, credentials: credentials)
        switch decision {
        case .allow(let caller):
            var context = context
            context.caller = caller
            var fields: HTTPFields = [:]
            // The trusted Unix socket is the operator's own: not counted.
            if let limiter, caller?.kind != .unixSocket {
                let endpointClass = route?.rateLimit ?? .default
                let counted = await limiter.attempt(
                    identity: RateLimiter.identity(caller, clientAddress: context.clientAddress), endpointClass: endpointClass)
                guard counted.allowed else {
                    stats.countRateLimited(endpointClass.rawValue)
                    audit(request, context, route, "refused: rate limited (\(endpointClass.rawValue))", caller: credentials)
                    return APIError.rateLimited(endpointClass.rawValue).answer(with: counted.fields)
                }
                fields = counted.fields
            }
            stats.count(caller == nil ? .anonymous : .allowed)
            var response = try await next(request, context)
            response.headers.append(contentsOf: fields)
            return response
        case .unauthorized(let invalidToken):
            stats.count(.unauthorized)
            audit(request, context, route, "refused: unauthorized\(invalidToken ? " (invalid credentials)" : "")")
            return APIError.unauthorized(invalidToken: invalidToken).answer(
                with: [.wwwAuthenticate: APIError.bearerChallenge(invalidToken: invalidToken)])
        case .forbidden(let permission):
            stats.count(.forbidden)
            audit(request, context, route, "refused: forbidden, needs \(permission.rawValue)", caller: credentials)
            return APIError.forbidden(permission).answer
        case .misdirected:
            stats.count(.misdirected)
            audit(request, context, route, "refused: misdirected (Host not in listen.allowed_hosts)")
            return APIError.misdirected.answer
        }
    }

    /// One line per refused request: the route and who asked, never a credential.
    private func audit(
        _ request: Request, _ context: Context, _ route: APIRoute?, _ outcome: String, caller credentials: AccessPolicy.Credentials = .none
    ) {
        var metadata: Logger.Metadata = [
            "route": "\(route?.key ?? "\(request.method.rawValue) (no route)")",
            "transport": "\(context.transport == .tcp ? "tcp" : "unix")",
        ]
        if let address = context.clientAddress { metadata["client"] = "\(address)" }
        if case .valid(let caller) = credentials {
            metadata["caller"] = "\(caller.kind.rawValue):\(caller.subject)"
            metadata["role"] = "\(caller.role.rawValue)"
        }
        logger.notice("access \(outcome)", metadata: metadata)
    }
}
