import DevSkyyCore
import DevSkyyStore
import Dispatch
import HTTPTypes
import Logging
import NIOConcurrencyHelpers

/// The seeds' rate limits: per identity (an API key's name, a user, an OAuth client, else the client's address) and per
/// endpoint class, each a GCRA bucket (`RateLimitState`), counted in this daemon's bounded table or, with
/// `rate_limits.shared`, in Redis (`RedisRateLimits`) so that several daemons on one Redis hold one limit.
///
/// While Redis cannot be reached the shared limiter counts in its own table (each daemon then allows the whole limit),
/// says so in `/status` and logs the switch once each way; it asks Redis again at most once a second, so requests do not
/// queue behind a Redis that does not answer.
public final class RateLimiter: Sendable {
    struct Key: Hashable, Sendable {
        var identity: String
        var policy: String
    }

    /// Where the counts are kept now.
    public enum Counting: String, Sendable {
        case redis, local
    }

    let settings: RateLimitSettings
    private let table = NIOLockedValueBox(RateLimiterTable<Key>())
    /// Milliseconds on a monotonic clock: a wall-clock step neither refills nor empties a bucket.
    private let now: @Sendable () -> Int64
    private let shared: RedisRateLimits?
    /// Where the last decision was counted, and when Redis may be asked again after a failure (monotonic ms).
    private let state = NIOLockedValueBox<(counting: Counting, retryAt: Int64)>((.redis, .min))
    private let logger: Logger

    /// How long after a failure Redis is asked again; meanwhile requests are counted here.
    static let retryInterval: Int64 = 1_000

    /// - Parameter shared: the buckets in Redis, for `rate_limits.shared`; nil counts in this daemon only.
    public init(
        settings: RateLimitSettings, shared: RedisRateLimits? = nil, logger: Logger = Logger(label: "devskyy.access"),
        now: @escaping @Sendable () -> Int64 = RateLimiter.monotonicMilliseconds
    ) {
        self.settings = settings
        self.shared = shared
        self.logger = logger
        self.now = now
    }

    /// Where the counts are kept now: `redis` while the shared limiter reaches Redis, else `local`.
    public var counting: Counting { shared == nil ? .local : state.withLockedValue { $0.counting } }

    /// Whether the counts are meant to be kept in Redis (`rate_limits.shared`).
    public var isShared: Bool { shared != nil }

    @Sendable public static func monotonicMilliseconds() -> Int64 {
        Int64(clamping: DispatchTime.now().uptimeNanoseconds / 1_000_000)
    }

    /// Who a request counts against: an API key's name, a user, an OAuth client, else the client's address.
    static func identity(_ caller: Identity?, clientAddress: String?) -> String {
        guard let caller else { return "ip:\(clientAddress ?? "unknown")" }
        return "\(caller.kind.rawValue):\(caller.subject)"
    }

    /// Counts one request of `identity` against `policy`'s `limit`; the decision and the header fields to send.
    func attempt(identity: String, policy: String, limit: RateLimit) async -> (allowed: Bool, fields: HTTPFields) {
        let decision = await decide([Key(identity: identity, policy: policy)], limit: limit, counting: true)[0]
        return (decision.allowed, Self.fields(policy: policy, limit: limit, decision: decision))
    }

    /// The decisions for `keys` under `limit`, each bucket on its own, counted unless `counting` is false: in Redis when
    /// shared and reachable, else here.
    private func decide(_ keys: [Key], limit: RateLimit, counting: Bool) async -> [RateLimitState.Decision] {
        let time = now()
        if let shared, state.withLockedValue({ $0.counting == .redis || time >= $0.retryAt }) {
            do {
                let decisions = try await shared.attempt(keys.map { ($0.policy, $0.identity) }, limit: limit, counting: counting)
                switchTo(.redis, at: time, error: nil)
                return decisions
            } catch {
                switchTo(.local, at: time, error: error)
            }
        }
        return countLocally(keys, limit: limit, counting: counting, at: time)
    }

    private func countLocally(_ keys: [Key], limit: RateLimit, counting: Bool, at time: Int64) -> [RateLimitState.Decision] {
        table.withLockedValue { table in
            keys.map { counting ? table.attempt($0, limit: limit, now: time) : table.peek($0, limit: limit, now: time) }
        }
    }

    /// Records where counting happens; logs only a change.
    private func switchTo(_ counting: Counting, at time: Int64, error: RedisError?) {
        let previous = state.withLockedValue { state in
            defer { state = (counting, counting == .local ? Checked.adding(time, Self.retryInterval) : .min) }
            return state.counting
        }
        guard previous != counting else { return }
        if let error {
            logger.warning(
                "rate limits: Redis cannot be reached (\(error.message)): counting in this daemon alone until it answers again")
        } else {
            logger.notice("rate limits: counting in Redis again, shared with the other daemons")
        }
    }

    /// `RateLimitHeaders`' field names, parsed once: this runs for every counted request, the fast path's included.
    private static let names: [String: HTTPField.Name] = Dictionary(
        ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "RateLimit", "RateLimit-Policy", "Retry-After"]
            .compactMap { text in HTTPField.Name(text).map { (text, $0) } },
        uniquingKeysWith: { first, _ in first })

    /// `RateLimitHeaders`' fields as HTTP fields.
    private static func fields(policy: String, limit: RateLimit, decision: RateLimitState.Decision) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in RateLimitHeaders.fields(policy: policy, limit: limit, decision: decision) {
            if let name = names[name] ?? HTTPField.Name(name) { fields[name] = value }
        }
        return fields
    }

    /// Failed logins, 5 a minute per username and per address (`RateLimitSettings.loginThrottle`): whether another
    /// attempt may be checked now, and if not the header fields of the refusal. Only failures count (`loginFailed`).
    func loginAllowed(username: String, clientAddress: String?) async -> (allowed: Bool, fields: HTTPFields) {
        let limit = RateLimitSettings.loginThrottle
        let keys = Self.loginKeys(username: username, clientAddress: clientAddress)
        let decisions = await decide(keys, limit: limit, counting: false)
        guard let refused = decisions.first(where: { !$0.allowed }) else { return (true, [:]) }
        return (false, Self.fields(policy: "login", limit: limit, decision: refused))
    }

    /// Counts a failed login against its username and its address.
    func loginFailed(username: String, clientAddress: String?) async {
        _ = await decide(
            Self.loginKeys(username: username, clientAddress: clientAddress), limit: RateLimitSettings.loginThrottle, counting: true)
    }

    private static func loginKeys(username: String, clientAddress: String?) -> [Key] {
        [Key(identity: "user:\(username)", policy: "login")] + (clientAddress.map { [Key(identity: "ip:\($0)", policy: "login")] } ?? [])
    }

    /// Counts a request of an endpoint class.
    func attempt(identity: String, endpointClass: RateLimitClass) async -> (allowed: Bool, fields: HTTPFields) {
        await attempt(identity: identity, policy: endpointClass.rawValue, limit: settings.limit(for: endpointClass))
    }

    /// Counts a request of an endpoint class without waiting, for the fast path on its event loop: nil when the counts
    /// are shared, since only Redis can say (the router then counts the request).
    func attemptNow(identity: String, endpointClass: RateLimitClass) -> (allowed: Bool, fields: HTTPFields)? {
        guard shared == nil else { return nil }
        let (policy, limit) = (endpointClass.rawValue, settings.limit(for: endpointClass))
        let decision = countLocally([Key(identity: identity, policy: policy)], limit: limit, counting: true, at: now())[0]
        return (decision.allowed, Self.fields(policy: policy, limit: limit, decision: decision))
    }
}
