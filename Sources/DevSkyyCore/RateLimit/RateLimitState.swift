/// One identity's rate-limit state for one limit: GCRA (the generic cell rate algorithm), as a value type.
///
/// Kept in its leaky-bucket form so that all arithmetic stays in integers: time is in milliseconds and the bucket
/// is measured in `1/count` ms. Each allowed request adds one emission interval (`period / count` ms, that is
/// `period` units) to `debt`; every millisecond that passes drains `count` units. A request is allowed while the
/// debt after it stays within `count × period` units, so `count` requests at once are allowed (the burst equals
/// the limit), and after that one more every `period / count` ms. Equivalent to GCRA's theoretical arrival time
/// `TAT = last + debt / count`.
public struct RateLimitState: Sendable, Equatable {
    /// What one attempt came to, and what the answer's headers say.
    public struct Decision: Sendable, Equatable {
        public var allowed: Bool
        /// Requests that would be allowed right after this one, at once.
        public var remaining: Int
        /// Milliseconds until the bucket is full again (`X-RateLimit-Reset`, the draft's `t`).
        public var resetAfter: Int64
        /// Milliseconds until one more request is allowed (`Retry-After`); zero when one is allowed now.
        public var retryAfter: Int64

        public init(allowed: Bool, remaining: Int, resetAfter: Int64, retryAfter: Int64) {
            self.allowed = allowed
            self.remaining = remaining
            self.resetAfter = resetAfter
            self.retryAfter = retryAfter
        }
    }

    public let limit: RateLimit
    /// In `1/count` ms; from zero (full) to `capacity`.
    private var debt: Int64 = 0
    /// The latest clock reading seen; nil before the first attempt.
    private var last: Int64?

    public init(limit: RateLimit) {
        self.limit = limit
    }

    private var count: Int64 { Int64(truncatingIfNeeded: limit.count) }  // at most 1,000,000
    /// One request's cost: the period in ms (an emission interval of `period / count` ms, counted in `1/count` ms).
    private var cost: Int64 { limit.period.milliseconds }
    /// At most 1,000,000 × 3,600,000, far below `Int64.max`.
    private var capacity: Int64 { count * cost }

    /// Whether the bucket is back to full at `now`: such a state can be forgotten without granting anything.
    public func isFull(at now: Int64) -> Bool {
        var copy = self
        copy.drain(until: now)
        return copy.debt == 0
    }

    /// Counts a request arriving at `now` (ms on a monotonic clock) if it is allowed.
    ///
    /// A clock reading older than the latest one seen drains nothing and is not remembered, so a clock that goes
    /// backwards never grants extra requests (it only delays the refill until the clock is past its old reading).
    public mutating func attempt(now: Int64) -> Decision {
        drain(until: now)
        let allowed = debt <= capacity - cost
        if allowed { debt += cost }
        return decision(allowed: allowed)
    }

    /// What `attempt` would say, without counting a request.
    public func peek(now: Int64) -> Decision {
        var copy = self
        return copy.attempt(now: now)
    }

    private mutating func drain(until now: Int64) {
        guard let last else {
            self.last = now
            return
        }
        guard now > last else { return }
        // Both readings may be anywhere in Int64: a difference that overflows is simply a very long time.
        let (elapsed, overflow) = now.subtractingReportingOverflow(last)
        let drained = overflow ? Int64.max : Checked.multiplying(elapsed, count)
        debt = drained >= debt ? 0 : debt - drained
        self.last = now
    }

    private func decision(allowed: Bool) -> Decision {
        Self.decision(limit: limit, debt: debt, allowed: allowed)
    }

    /// The decision for a bucket holding `debt` (in `1/count` ms, after the request was counted if it was allowed):
    /// also for buckets kept elsewhere (Redis, `RedisRateLimits`), so that their headers are these to the byte.
    public static func decision(limit: RateLimit, debt: Int64, allowed: Bool) -> Decision {
        let count = Int64(truncatingIfNeeded: limit.count)
        let cost = limit.period.milliseconds
        let capacity = count * cost
        // Whatever a store hands back, the debt stays within the bucket: no header promises more than `count`.
        let debt = min(max(0, debt), capacity)
        let free = capacity - debt
        // How far the debt is above the level at which one more request fits, in ms, rounded up.
        let excess = debt - (capacity - cost)
        return Decision(
            allowed: allowed,
            remaining: Int(truncatingIfNeeded: free / cost),  // at most `count`
            resetAfter: divideRoundingUp(debt, count),
            retryAfter: excess > 0 ? divideRoundingUp(excess, count) : 0
        )
    }

    /// `a / b` rounded up, for `a ≥ 0`, `b > 0`.
    private static func divideRoundingUp(_ a: Int64, _ b: Int64) -> Int64 {
        a / b + (a % b == 0 ? 0 : 1)
    }
}
