import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport
import NIOConcurrencyHelpers
import Testing

/// The shared buckets (`rate_limits.shared`) against a real redis-server: the Lua GCRA counts as `RateLimitState` does.
@Suite("Rate limits: buckets in Redis")
struct RedisRateLimitsTests {
    private static let keys = RedisKeys(prefix: "rl")

    private static func withRedis(_ body: (RedisServer) async throws -> Void) async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        try await body(redis)
    }

    @Test func attemptsPastTheLimitAreRefusedOnRedisOwnClock() async throws {
        try await Self.withRedis { redis in
            let limits = RedisRateLimits(client: try redis.client(), keys: Self.keys)
            let limit = try #require(RateLimit.parse("5/min"))
            var allowed = 0
            for _ in 0..<8 where try await limits.attempt([("metrics", "key:a")], limit: limit)[0].allowed { allowed += 1 }
            #expect(allowed == 5)
            // Another identity and another class keep their own buckets.
            #expect(try await limits.attempt([("metrics", "key:b")], limit: limit)[0].allowed)
            #expect(try await limits.attempt([("default", "key:a")], limit: limit)[0].allowed)
            // The bucket lives under the key prefix and expires when it would be full again (within the minute).
            let ttl = try await redis.client().command(["PTTL", Self.keys.rateLimit(policy: "metrics", identity: "key:a")]).integer
            #expect(ttl.map { $0 > 0 && $0 <= 60_000 } == true, "PTTL \(String(describing: ttl))")
        }
    }

    @Test func twoLimitersOnOneRedisShareOneCount() async throws {
        try await Self.withRedis { redis in
            // Two daemons: each its own connection.
            let first = RedisRateLimits(client: try redis.client(), keys: Self.keys)
            let second = RedisRateLimits(client: try redis.client(), keys: Self.keys)
            let limit = try #require(RateLimit.parse("4/min"))
            var allowed: [Bool] = []
            for i in 0..<10 {
                allowed.append(try await (i.isMultiple(of: 2) ? first : second).attempt([("metrics", "key:a")], limit: limit)[0].allowed)
            }
            #expect(allowed == [true, true, true, true, false, false, false, false, false, false])
        }
    }

    /// The same sequence of times through the Lua script and through `RateLimitState` gives the same decisions, and so
    /// the same header fields: a burst, refills, a clock going back, a long pause.
    @Test func decisionsAndHeadersMatchTheLocalLimiter() async throws {
        try await Self.withRedis { redis in
            let clock = NIOLockedValueBox<Int64>(0)
            let limits = RedisRateLimits(client: try redis.client(), keys: Self.keys, now: { clock.withLockedValue { $0 } })
            let base: Int64 = 1_800_000_000_000
            let offsets: [Int64] = [0, 0, 0, 0, 1, 333, 334, 666, 667, 700, 500, 1_000, 1_001, 1_002, 1_002, 3_500, 3_500, 3_501, 9_000]
            // Periods of a minute or more: Redis expires a bucket on its own (real) clock, which must not overtake the
            // replayed one. Offsets are per mille of the period.
            for limitText in ["3/min", "7/min", "1/h"] {
                let limit = try #require(RateLimit.parse(limitText))
                var local = RateLimitState(limit: limit)
                for permille in offsets {
                    let offset = permille * limit.period.milliseconds / 1_000
                    clock.withLockedValue { $0 = base + offset }
                    let shared = try await limits.attempt([("default", "key:\(limitText)")], limit: limit)[0]
                    let expected = local.attempt(now: base + offset)
                    #expect(shared == expected, "\(limitText) at +\(offset) ms")
                    let fields = RateLimitHeaders.fields(policy: "default", limit: limit, decision: shared)
                    let expectedFields = RateLimitHeaders.fields(policy: "default", limit: limit, decision: expected)
                    #expect(fields.map { "\($0.name): \($0.value)" } == expectedFields.map { "\($0.name): \($0.value)" })
                }
            }
        }
    }

    @Test func peekingCountsNothingAndEachBucketCountsOnItsOwn() async throws {
        try await Self.withRedis { redis in
            let limits = RedisRateLimits(client: try redis.client(), keys: Self.keys)
            let limit = try #require(RateLimit.parse("2/min"))
            for _ in 0..<5 { #expect(try await limits.attempt([("login", "user:ada")], limit: limit, counting: false)[0].allowed) }
            // Two buckets in one call: the username's fills, the address's too, independently.
            let both = [("login", "user:ada"), ("login", "ip:10.0.0.1")]
            #expect(try await limits.attempt(both, limit: limit).map(\.allowed) == [true, true])
            #expect(try await limits.attempt([("login", "user:ada")], limit: limit)[0].allowed)
            #expect(try await limits.attempt(both, limit: limit, counting: false).map(\.allowed) == [false, true])
            // A changed limit (a reload) starts the bucket over, as the local table does.
            let decision = try await limits.attempt([("login", "user:ada")], limit: try #require(RateLimit.parse("3/min")))[0]
            #expect(decision.allowed && decision.remaining == 2)
        }
    }

    /// After a restart Redis has lost its script cache: the script is loaded again and counting goes on.
    @Test func aRestartedRedisGetsTheScriptAgain() async throws {
        try await Self.withRedis { redis in
            let limits = RedisRateLimits(client: try redis.client(), keys: Self.keys)
            let limit = try #require(RateLimit.parse("2/min"))
            #expect(try await limits.attempt([("metrics", "key:a")], limit: limit)[0].allowed)
            _ = try await redis.client().command(["SCRIPT", "FLUSH"])
            #expect(try await limits.attempt([("metrics", "key:a")], limit: limit)[0].allowed)
            #expect(try await !limits.attempt([("metrics", "key:a")], limit: limit)[0].allowed)
        }
    }
}
