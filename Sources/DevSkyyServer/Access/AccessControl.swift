import DevSkyyCore
import HTTPTypes
import Hummingbird

/// The access layer as the listeners use it: the policy, how a request's credentials are resolved, and what the fast
/// path may answer without the router.
public struct AccessControl: Sendable {
    public let policy: AccessPolicy
    public let resolve: @Sendable (Request, APIRequestContext) async -> AccessPolicy.Credentials
    /// The rate limits; nil counts nothing.
    public let limiter: RateLimiter?
    /// What was decided, for `/metrics` (`SnapshotStore.access` in the daemon).
    public let stats: AccessStats
    /// The fast path's paths open without credentials, by transport: decided once, since without credentials the
    /// decision depends only on the path and the listener (the `Host` is checked per request).
    private let openFastPaths: [APIRequestContext.Transport: Set<String>]

    public init(
        policy: AccessPolicy, limiter: RateLimiter? = nil, stats: AccessStats = AccessStats(),
        resolve: @escaping @Sendable (Request, APIRequestContext) async -> AccessPolicy.Credentials
    ) {
        self.policy = policy
        self.resolve = resolve
        self.limiter = limiter
        self.stats = stats
        var anyHost = policy
        anyHost.allowsHost = { _ in true }
        var open: [APIRequestContext.Transport: Set<String>] = [:]
        for transport in [APIRequestContext.Transport.tcp, .unix] {
            open[transport] = Set(
                SnapshotRoutes.byPath.keys.filter { path in
                    let route = APIRoutes.all.first { $0.method == .get && $0.matches(path) }
                    let decision = anyHost.decide(
                        method: .get, path: Substring(path), route: route, transport: transport, host: nil, credentials: .none)
                    if case .allow = decision { return true }
                    return false
                })
        }
        openFastPaths = open
    }

    /// Header fields that carry credentials.
    static let credentialFields: [HTTPField.Name] = [.authorization, Authenticator.apiKeyField]

    /// Whether the snapshot fast path may answer `request` on `transport` itself. It cannot wait for a credential
    /// check, so a request that carries credentials, or that needs them, goes to the router, which checks them.
    func fastPathAdmits(_ request: HTTPRequest, on transport: APIRequestContext.Transport) -> Bool {
        guard let path = request.path, openFastPaths[transport]?.contains(path) == true else { return false }
        if transport == .tcp && !policy.allowsHost(request.authority ?? "") { return false }
        return !Self.credentialFields.contains { request.headerFields.contains($0) }
    }
}
