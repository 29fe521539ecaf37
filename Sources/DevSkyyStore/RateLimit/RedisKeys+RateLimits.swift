import DevSkyyCore

extension RedisKeys {
    /// One identity's bucket for one policy (an endpoint class, or `login`) when `rate_limits.shared` is on: a string
    /// `debt:last:count:period_ms` (`RateLimitScript`) whose PX ends when the bucket is full again.
    public func rateLimit(policy: String, identity: String) -> String { "\(prefix):ratelimit:\(policy):\(identity)" }
}
