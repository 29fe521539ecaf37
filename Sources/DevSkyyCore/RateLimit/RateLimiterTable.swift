/// The rate-limit states of many identities, bounded in size. Not thread-safe: the caller keeps it under a lock (`NIOLockedValueBox`) or
/// an actor.
///
/// A state whose bucket is full again says nothing a fresh state would not, so such entries are dropped when the
/// table fills up (and whenever the caller calls `removeFull(now:)`). When the table is still at its bound after
/// that, because that many identities are all mid-burst (a flood from many client addresses), a new identity is
/// not given an entry: all such newcomers share one overflow state per limit, so memory stays bounded, identities
/// already in the table keep their counts, and the flood is held to one limit between all of its newcomers. Nothing
/// is ever forgotten before its bucket is full, so the bound never grants a request the limit would refuse.
public struct RateLimiterTable<Key: Hashable & Sendable>: Sendable {
    /// The default bound: about 100 bytes an entry (key, state, hash table), so some 10 MB at most.
    public static var defaultMaxEntries: Int { 100_000 }

    public let maxEntries: Int
    /// How long after a sweep that freed nothing the next one may run: at the bound, a sweep is O(entries), and a
    /// flood of newcomers must not pay one each.
    public let sweepInterval: Int64
    private var states: [Key: RateLimitState] = [:]
    private var overflow: [RateLimit: RateLimitState] = [:]
    private var nextSweep = Int64.min

    public init(maxEntries: Int = defaultMaxEntries, sweepInterval: Int64 = 1_000) {
        self.maxEntries = max(1, maxEntries)
        self.sweepInterval = max(0, sweepInterval)
    }

    /// Identities with a state of their own.
    public var count: Int { states.count }

    /// Counts a request of `key` under `limit` at `now` (ms, monotonic) if it is allowed.
    ///
    /// A key whose limit changed (a reload) starts over under the new one.
    public mutating func attempt(_ key: Key, limit: RateLimit, now: Int64) -> RateLimitState.Decision {
        if var state = states[key], state.limit == limit {
            let decision = state.attempt(now: now)
            states[key] = state
            return decision
        }
        if states[key] == nil && states.count >= maxEntries && now >= nextSweep {
            removeFull(now: now)
            if states.count >= maxEntries { nextSweep = Checked.adding(now, sweepInterval) }
        }
        guard states[key] != nil || states.count < maxEntries else {
            var shared = overflow[limit] ?? RateLimitState(limit: limit)
            let decision = shared.attempt(now: now)
            overflow[limit] = shared
            return decision
        }
        var state = RateLimitState(limit: limit)
        let decision = state.attempt(now: now)
        states[key] = state
        return decision
    }

    /// What `attempt` would say for `key`, without counting a request (a key never seen is allowed).
    public func peek(_ key: Key, limit: RateLimit, now: Int64) -> RateLimitState.Decision {
        if let state = states[key], state.limit == limit { return state.peek(now: now) }
        return RateLimitState(limit: limit).peek(now: now)
    }

    /// Drops every state whose bucket is full at `now`, the overflow states included.
    public mutating func removeFull(now: Int64) {
        states = states.filter { !$0.value.isFull(at: now) }
        overflow = overflow.filter { !$0.value.isFull(at: now) }
    }
}
