import DevSkyyCore
import Dispatch
import HTTPTypes
import NIOConcurrencyHelpers

/// The seeds' rate limits, counted in this daemon: per identity (an API key's name, a user, an OAuth client, else the
/// client's address) and per endpoint class, each a GCRA bucket (`RateLimitState`) in one bounded table.
public final class RateLimiter: Sendable {
    struct Key: Hashable, Sendable {
        var identity: String
        var policy: String
    }

    let settings: RateLimitSettings
    private let table = NIOLockedValueBox(RateLimiterTable<Key>())
    /// Milliseconds on a monotonic clock: a wall-clock step neither refills nor empties a bucket.
    private let now: @Sendable () -> Int64

    public init(settings: RateLimitSettings, now: @escaping @Sendable () -> Int64 = RateLimiter.monotonicMilliseconds) {
        self.settings = settings
        self.now = now
    }

    @Sendable public static func monotonicMilliseconds() -> Int64 {
        Int64(clamping: DispatchTime.now().uptimeNanoseconds / 1_000_000)
    }

    /// Who a request counts against: an API key's name, a user, an OAuth client, else the client's address.
    static func identity(_ caller: Identity?, clientAddress: String?) -> String {
        guard let caller else { return "ip:\(clientAddress ?? "unknown")" }
        return "\(caller.kind.rawValue):\(caller.subject)"
    }

    /// Counts one request of `identity` against `policy`'s `limit`; the decision and the header fields to send.
    func attempt(identity: String, policy: String, limit: RateLimit) -> (allowed: Bool, fields: HTTPFields) {
        let time = now()
        let decision = table.withLockedValue { $0.attempt(Key(identity: identity, policy: policy), limit: limit, now: time) }
        return (decision.allowed, Self.fields(policy: policy, limit: limit, decision: decision))
    }

    /// `RateLimitHeaders`' fields as HTTP fields.
    private static func fields(policy: String, limit: RateLimit, decision: RateLimitState.Decision) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in RateLimitHeaders.fields(policy: policy, limit: limit, decision: decision) {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        return fields
    }

    /// Failed logins, 5 a minute per username and per address (`RateLimitSettings.loginThrottle`): whether another
    /// attempt may be checked now, and if not the header fields of the refusal. Only failures count (`loginFailed`).
    func loginAllowed(username: String, clientAddress: String?) -> (allowed: Bool, fields: HTTPFields) {
        let time = now()
        let limit = RateLimitSettings.loginThrottle
        let keys = Self.loginKeys(username: username, clientAddress: clientAddress)
        let decisions = table.withLockedValue { table in keys.map { table.peek($0, limit: limit, now: time) } }
        guard let refused = decisions.first(where: { !$0.allowed }) else { return (true, [:]) }
        return (false, Self.fields(policy: "login", limit: limit, decision: refused))
    }

    /// Counts a failed login against its username and its address.
    func loginFailed(username: String, clientAddress: String?) {
        let time = now()
        let keys = Self.loginKeys(username: username, clientAddress: clientAddress)
        table.withLockedValue { table in
            for key in keys { _ = table.attempt(key, limit: RateLimitSettings.loginThrottle, now: time) }
        }
    }

    private static func loginKeys(username: String, clientAddress: String?) -> [Key] {
        [Key(identity: "user:\(username)", policy: "login")] + (clientAddress.map { [Key(identity: "ip:\($0)", policy: "login")] } ?? [])
    }

    /// Counts a request of an endpoint class.
    func attempt(identity: String, endpointClass: RateLimitClass) -> (allowed: Bool, fields: HTTPFields) {
        attempt(identity: identity, policy: endpointClass.rawValue, limit: settings.limit(for: endpointClass))
    }
}
