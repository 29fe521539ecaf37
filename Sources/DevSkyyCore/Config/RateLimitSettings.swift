/// The `rate_limits:` section: one limit per endpoint class, counted per identity.
public struct RateLimitSettings: Sendable, Equatable {
    /// The seeds' limits.
    public static let defaults: [RateLimitClass: RateLimit] = [
        .metrics: RateLimit(count: 100, period: .minute)!,
        .decisions: RateLimit(count: 10, period: .minute)!,
        .content: RateLimit(count: 50, period: .minute)!,
        .reports: RateLimit(count: 20, period: .minute)!,
        .default: RateLimit(count: 100, period: .minute)!,
    ]

    /// Failed logins, counted per username and per client address whatever the endpoint class: fixed, since
    /// raising it only helps someone guessing passwords.
    public static let loginThrottle = RateLimit(count: 5, period: .minute)!

    /// Every class has a limit: the ones the file does not give keep their defaults.
    public private(set) var limits: [RateLimitClass: RateLimit]
    /// Whether the counts are kept in Redis, so that several daemons on one Redis enforce one limit.
    public var shared: Bool

    public init(limits: [RateLimitClass: RateLimit] = [:], shared: Bool = false) {
        self.limits = Self.defaults.merging(limits) { _, given in given }
        self.shared = shared
    }

    public func limit(for endpointClass: RateLimitClass) -> RateLimit {
        limits[endpointClass] ?? Self.defaults[endpointClass]!
    }

    public mutating func setLimit(_ limit: RateLimit, for endpointClass: RateLimitClass) {
        limits[endpointClass] = limit
    }
}
