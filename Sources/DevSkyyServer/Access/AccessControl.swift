import DevSkyyCore
import HTTPTypes
import Hummingbird

/// The access layer as the listeners use it: the policy, how a request's credentials are resolved, and what the fast
/// path may answer without the router.
public struct AccessControl: Sendable {
    public let policy: AccessPolicy
    public let resolve: @Sendable (Request, APIRequestContext) async -> AccessPolicy.Credentials
    /// What a request's credential fields come to when that is known without waiting (none sent, an API key, a bearer
    /// token verified before), or nil when only `resolve` can tell.
    public let resolveNow: @Sendable (HTTPFields) -> AccessPolicy.Credentials?
    /// The rate limits; nil counts nothing.
    public let limiter: RateLimiter?
    /// What was decided, for `/metrics` (`SnapshotStore.access` in the daemon).
    public let stats: AccessStats
    /// The declarations of the paths the fast path serves.
    private let fastPathRoutes: [String: APIRoute]

    /// - Parameter resolveNow: by default, requests that carry credentials are left to `resolve`.
    public init(
        policy: AccessPolicy, limiter: RateLimiter? = nil, stats: AccessStats = AccessStats(),
        resolveNow: @escaping @Sendable (HTTPFields) -> AccessPolicy.Credentials? = AccessControl.noCredentialsOnly,
        resolve: @escaping @Sendable (Request, APIRequestContext) async -> AccessPolicy.Credentials
    ) {
        self.policy = policy
        self.resolve = resolve
        self.resolveNow = resolveNow
        self.limiter = limiter
        self.stats = stats
        var routes: [String: APIRoute] = [:]
        for path in SnapshotRoutes.byPath.keys {
            routes[path] = APIRoutes.all.first { $0.method == .get && $0.matches(path) }
        }
        fastPathRoutes = routes
    }

    /// Header fields that carry credentials.
    static let credentialFields: [HTTPField.Name] = [.authorization, Authenticator.apiKeyField]

    /// `.none` for a request without credential fields; nil, for `resolve` to check, for one with.
    @Sendable public static func noCredentialsOnly(_ fields: HTTPFields) -> AccessPolicy.Credentials? {
        credentialFields.contains { fields.contains($0) } ? nil : AccessPolicy.Credentials.none
    }

    /// Whether the snapshot fast path may answer `request` itself, and if so the rate-limit fields its answer carries.
    /// It cannot wait, so a request whose credentials need checking (a token not verified yet), that the policy would
    /// refuse, or that is over its rate limit goes to the router (nil), which decides, answers and audits it.
    func fastPathAdmission(_ request: HTTPRequest, on transport: APIRequestContext.Transport, clientAddress: String?) -> HTTPFields? {
        guard let path = request.path, let route = fastPathRoutes[path],
            let credentials = resolveNow(request.headerFields)
        else { return nil }
        let decision = policy.decide(
            method: .get, path: Substring(path), route: route, transport: transport, host: request.authority, credentials: credentials)
        guard case .allow(let caller) = decision else { return nil }
        // The trusted Unix socket is the operator's own: not counted, as in `AccessMiddleware`.
        var fields: HTTPFields = [:]
        if let limiter, caller?.kind != .unixSocket {
            // Shared limits are counted in Redis, which the fast path cannot wait for: the router counts them (nil).
            guard
                let counted = limiter.attemptNow(
                    identity: RateLimiter.identity(caller, clientAddress: clientAddress), endpointClass: route.rateLimit),
                counted.allowed
            else { return nil }
            fields = counted.fields
        }
        stats.count(caller == nil ? .anonymous : .allowed)
        return fields
    }
}
