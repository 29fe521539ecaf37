import DevSkyyCore

/// Rate-limit buckets kept in Redis (`rate_limits.shared`), so that every daemon on one Redis counts against one limit:
/// one `EVALSHA` of `RateLimitScript` per counted request, the same GCRA as `RateLimitState`, whose decisions (and so
/// headers) it reproduces.
///
/// Time comes from Redis's own clock by default: the daemons sharing a bucket then agree on it whatever their own
/// clocks say, and a bucket never refills faster because one daemon's clock runs ahead.
public struct RedisRateLimits: Sendable {
    private let client: RedisClient
    private let keys: RedisKeys
    /// Unix ms handed to the script; nil uses Redis's `TIME`.
    private let now: (@Sendable () -> Int64)?
    private static let script = RedisScript(RateLimitScript.source)

    /// - Parameter now: a clock of the caller's instead of Redis's (tests replay a sequence of times).
    public init(client: RedisClient, keys: RedisKeys, now: (@Sendable () -> Int64)? = nil) {
        self.client = client
        self.keys = keys
        self.now = now
    }

    /// Counts a request of each `(policy, identity)` bucket under `limit` if it is allowed there, each on its own; with
    /// `counting: false` only says what counting would. One round trip.
    public func attempt(
        _ buckets: [(policy: String, identity: String)], limit: RateLimit, counting: Bool = true
    ) async throws(RedisError) -> [RateLimitState.Decision] {
        let bucketKeys = buckets.map { keys.rateLimit(policy: $0.policy, identity: $0.identity) }
        let arguments = [
            String(limit.count), String(limit.period.milliseconds), counting ? "attempt" : "peek", now.map { String($0()) } ?? "",
        ]
        let reply = try await Self.script.run(on: client, keys: bucketKeys, arguments: arguments)
        guard let answers = reply.array, answers.count == bucketKeys.count else {
            throw .reply("unexpected reply to the rate-limit script")
        }
        return try answers.map { answer throws(RedisError) in
            guard let pair = answer.array, pair.count == 2, let allowed = pair[0].integer, let debt = pair[1].integer else {
                throw .reply("unexpected reply to the rate-limit script")
            }
            return RateLimitState.decision(limit: limit, debt: debt, allowed: allowed == 1)
        }
    }
}
