import DevSkyyAuth
import DevSkyyCore
import DevSkyyServer
import DevSkyyStore
import Logging

/// The access layer built from the configuration: who may call what on each listener, and, with a `jwt_secret`, the
/// login routes for `auth.users` and the OAuth token route for `auth.clients` (each without the other too).
///
/// Without an `auth:` section every request is let in as before (the configuration refuses that on a non-loopback
/// TCP address); the `Host` allow-list applies either way.
enum DaemonAccess {
    /// - Parameter stats: where the access layer's decisions are counted (the snapshot store's, for `/metrics`).
    static func build(
        config: DaemonConfig, redis: RedisClient, keys: RedisKeys, stats: AccessStats = AccessStats(), logger: Logger
    ) async throws -> (
        control: AccessControl, auth: AuthRoutes.Dependencies?, oauth: OAuthTokenRoute.Dependencies?
    ) {
        let hosts = HostAllowList(config.listen)
        let allowsHost: @Sendable (String) -> Bool = { hosts.allows($0) }
        guard let settings = config.auth, settings.hasIdentities else {
            let policy = AccessPolicy(anonymous: [], unixSocketTrusted: true, open: true, allowsHost: allowsHost)
            return (AccessControl(policy: policy, stats: stats) { _, _ in .none }, nil, nil)
        }
        var tokens: TokenService?
        if let secret = settings.jwtSecret {
            let tokenSettings = TokenSettings(
                secret: Array(secret.utf8), issuer: settings.issuer, audience: settings.audience, accessTTL: settings.accessTTL,
                refreshTTL: settings.refreshTTL)
            do {
                tokens = try await TokenService(settings: tokenSettings)
            } catch {
                throw DaemonError("auth: \(error.message)")
            }
        }
        let sessions = RefreshTokenStore(client: redis, keys: keys)
        let authenticator = Authenticator(
            tokens: tokens, keys: APIKeyTable(settings.apiKeys.map { .init(name: $0.name, keyHash: $0.keyHash, role: $0.role) }),
            revocations: sessions, logger: logger)
        let policy = AccessPolicy(
            anonymous: settings.anonymous, unixSocketTrusted: settings.unixSocket == .trusted, allowsHost: allowsHost)
        // Shared: counted in Redis on a connection of its own, so that a counted request never waits behind other writes.
        let shared = config.rateLimits.shared ? RedisRateLimits(client: RedisClient(settings: config.redis), keys: keys) : nil
        let limiter = RateLimiter(settings: config.rateLimits, shared: shared, logger: logger)
        let control = AccessControl(policy: policy, limiter: limiter, stats: stats, resolveNow: { authenticator.resolveNow($0) }) {
            request, _ in
            await authenticator.resolve(request)
        }
        guard let tokens else { return (control, nil, nil) }
        var auth: AuthRoutes.Dependencies?
        if !settings.users.isEmpty {
            auth = AuthRoutes.Dependencies(
                tokens: tokens, passwords: try await hasher(for: settings.users.map(\.passwordHash)), users: settings.users,
                sessions: sessions, authenticator: authenticator, limiter: limiter, stats: stats, logger: logger)
        }
        var oauth: OAuthTokenRoute.Dependencies?
        if !settings.clients.isEmpty {
            oauth = OAuthTokenRoute.Dependencies(
                tokens: tokens, secrets: try await hasher(for: settings.clients.map(\.secretHash)), clients: settings.clients,
                limiter: limiter, logger: logger)
        }
        return (control, auth, oauth)
    }

    /// Unknown usernames (or client ids) are checked against a dummy hash of the configured ones' cost, so both take as
    /// long.
    private static func hasher(for hashes: [String]) async throws -> PasswordHasher {
        try await PasswordHasher(dummyCost: hashes.compactMap { PasswordHasher.cost(of: $0) }.max() ?? 12)
    }
}
