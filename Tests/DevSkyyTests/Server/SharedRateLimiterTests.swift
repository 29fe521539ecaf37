import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport
import HTTPTypes
import Testing

@testable import DevSkyyServer

/// `rate_limits.shared`: the limiter counts in Redis, falls back to its own table while Redis is away, says so, and
/// goes back to Redis when it answers again.
@Suite("Rate limits: shared through Redis, with a local fallback")
struct SharedRateLimiterTests {
    private static let settings = RateLimitSettings(limits: [.metrics: RateLimit.parse("2/min")!], shared: true)

    private static func limiter(_ redis: RedisServer, _ log: LogCapture) throws -> RateLimiter {
        RateLimiter(
            settings: settings, shared: RedisRateLimits(client: try redis.client(), keys: RedisKeys(prefix: "srl")), logger: log.logger)
    }

    @Test func twoDaemonsHoldOneLimitAndFallBackWhileRedisIsAway() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let log = LogCapture()
        let (first, second) = (try Self.limiter(redis, log), try Self.limiter(redis, log))

        // One bucket for both: the third request is refused whichever daemon gets it.
        #expect(await first.attempt(identity: "key:a", endpointClass: .metrics).allowed)
        #expect(await second.attempt(identity: "key:a", endpointClass: .metrics).allowed)
        let refused = await first.attempt(identity: "key:a", endpointClass: .metrics)
        #expect(!refused.allowed)
        #expect(refused.fields[HTTPField.Name("Retry-After")!] != nil)
        #expect(first.isShared && first.counting == .redis)

        // Redis away: each daemon counts alone, still to the limit, with the same fields.
        redis.kill()
        var statuses: [Bool] = []
        for _ in 0..<3 { statuses.append(await first.attempt(identity: "key:a", endpointClass: .metrics).allowed) }
        #expect(statuses == [true, true, false])
        #expect(first.counting == .local)
        let local = await first.attempt(identity: "key:a", endpointClass: .metrics)
        #expect(local.fields[HTTPField.Name("X-RateLimit-Limit")!] == "2")
        #expect(local.fields[HTTPField.Name("RateLimit-Policy")!] == #""metrics";q=2;w=60"#)

        // Redis back: both go back to it, and share one bucket again.
        try await redis.start()
        for limiter in [first, second] {
            let back = await eventually(timeout: .seconds(30)) {
                _ = await limiter.attempt(identity: "key:probe", endpointClass: .metrics)
                return limiter.counting == .redis
            }
            #expect(back, "counting in Redis again")
        }
        #expect(await second.attempt(identity: "key:b", endpointClass: .metrics).allowed)
        #expect(await first.attempt(identity: "key:b", endpointClass: .metrics).allowed)
        #expect(await !second.attempt(identity: "key:b", endpointClass: .metrics).allowed)

        // Each switch logged once per daemon, whatever the number of requests meanwhile.
        let lines = log.all
        #expect(lines.filter { $0.contains("rate limits: Redis cannot be reached") }.count == 2, "\(lines)")
        #expect(lines.filter { $0.contains("rate limits: counting in Redis again") }.count == 2, "\(lines)")
    }

    @Test func failedLoginsAreThrottledAcrossDaemons() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let log = LogCapture()
        let (first, second) = (try Self.limiter(redis, log), try Self.limiter(redis, log))
        for i in 0..<RateLimitSettings.loginThrottle.count {
            #expect(await (i.isMultiple(of: 2) ? first : second).loginAllowed(username: "ada", clientAddress: "10.0.0.\(i)").allowed)
            await (i.isMultiple(of: 2) ? first : second).loginFailed(username: "ada", clientAddress: "10.0.0.\(i)")
        }
        // Five failures for `ada` between the two daemons: a sixth attempt waits on either, from any address.
        #expect(await !first.loginAllowed(username: "ada", clientAddress: "10.0.0.99").allowed)
        #expect(await !second.loginAllowed(username: "ada", clientAddress: "10.0.0.98").allowed)
        #expect(await second.loginAllowed(username: "bob", clientAddress: "10.0.0.98").allowed)
    }
}
