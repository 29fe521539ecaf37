import DevSkyyCore
import NIOConcurrencyHelpers

/// What the access layer decided, counted for `/metrics`: `devskyy_auth_requests_total{result}` and
/// `devskyy_rate_limited_total{class}`. Rendered live with each exposition, after the snapshot's part, every result and
/// class listed (at 0 when nothing happened) so that rules and dashboards always find their series.
public final class AccessStats: Sendable {
    /// The outcomes counted: a small fixed set, one label value each.
    public enum Result: String, CaseIterable, Sendable {
        /// Let in with credentials (or by the trusted Unix socket).
        case allowed
        /// Let in without credentials: a route of `auth.anonymous`, or no `auth:` section.
        case anonymous
        /// 401: no credentials where they are needed, or credentials refused.
        case unauthorized
        /// 403: the caller's role lacks the route's permission.
        case forbidden
        /// 421: a TCP request whose `Host` is not in `listen.allowed_hosts`.
        case misdirected
        /// 429: past a rate limit, failed-login throttling included.
        case rateLimited = "rate_limited"
        case loginOK = "login_ok"
        case loginFailed = "login_failed"
        /// A refresh token presented a second time: its login is revoked.
        case refreshReuse = "refresh_reuse"
    }

    /// The rate-limit policies: the endpoint classes, and `login` for failed-login throttling.
    static let policies = RateLimitClass.allCases.map(\.rawValue) + ["login"]

    private struct Counts {
        var results = [Int](repeating: 0, count: Result.allCases.count)
        var limited = [Int](repeating: 0, count: AccessStats.policies.count)
    }

    private let counts = NIOLockedValueBox(Counts())

    public init() {}

    public func count(_ result: Result) {
        let index = Result.allCases.firstIndex(of: result)!
        counts.withLockedValue { $0.results[index] += 1 }
    }

    /// A 429 under `policy` (an endpoint class, or `login`): counted as `rate_limited` and under its class.
    public func countRateLimited(_ policy: String) {
        let rateLimited = Result.allCases.firstIndex(of: .rateLimited)!
        let index = Self.policies.firstIndex(of: policy)
        counts.withLockedValue { counts in
            counts.results[rateLimited] += 1
            if let index { counts.limited[index] += 1 }
        }
    }

    public func count(of result: Result) -> Int {
        counts.withLockedValue { $0.results[Result.allCases.firstIndex(of: result)!] }
    }

    /// The counters in the Prometheus text format.
    public func exposition() -> String {
        let counts = counts.withLockedValue { $0 }
        var out = """
            # HELP devskyy_auth_requests_total Requests by what the access layer decided, and logins and refreshes by outcome.
            # TYPE devskyy_auth_requests_total counter

            """
        for (result, value) in zip(Result.allCases, counts.results) {
            out += "devskyy_auth_requests_total{result=\"\(result.rawValue)\"} \(value)\n"
        }
        out += """
            # HELP devskyy_rate_limited_total Requests answered 429 by rate-limit class (login: failed-login throttling).
            # TYPE devskyy_rate_limited_total counter

            """
        for (policy, value) in zip(Self.policies, counts.limited) {
            out += "devskyy_rate_limited_total{class=\"\(policy)\"} \(value)\n"
        }
        return out
    }
}
