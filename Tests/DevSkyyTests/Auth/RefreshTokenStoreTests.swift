import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport
import Testing

@testable import DevSkyyAuth

@Suite("Refresh families and revocations in Redis")
struct RefreshTokenStoreTests {
    let clock = TestClock()
    let keys = RedisKeys(prefix: "auth-test")

    func store(_ redis: RedisServer) throws -> RefreshTokenStore {
        RefreshTokenStore(client: try redis.client(), keys: keys, now: clock.now)
    }

    @Test func eachRefreshRotatesTheFamilysCurrentToken() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let store = try store(redis)
        try await store.start(family: "fam1", jti: "r1", subject: "alice", ttl: .seconds(600))
        #expect(try await store.rotate(family: "fam1", presented: "r1", next: "r2", ttl: .seconds(600)) == .rotated)
        #expect(try await store.rotate(family: "fam1", presented: "r2", next: "r3", ttl: .seconds(600)) == .rotated)
        #expect(try await store.rotate(family: "nope", presented: "r1", next: "r2", ttl: .seconds(600)) == .unknown)
        // The family's TTL is the current refresh token's lifetime.
        let ttl = try await redis.client().command(["PTTL", keys.refreshFamily("fam1")]).integer ?? -1
        #expect((1...600_000).contains(ttl))
    }

    @Test func reuseRevokesTheWholeFamily() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let store = try store(redis)
        try await store.start(family: "fam", jti: "r1", subject: "alice", ttl: .seconds(600))
        #expect(try await store.rotate(family: "fam", presented: "r1", next: "r2", ttl: .seconds(600)) == .rotated)
        // r1 was stolen and is presented again: the family goes, and the legitimate holder of r2 is logged out too.
        #expect(try await store.rotate(family: "fam", presented: "r1", next: "x", ttl: .seconds(600)) == .reused(subject: "alice"))
        #expect(try await store.rotate(family: "fam", presented: "r2", next: "r3", ttl: .seconds(600)) == .unknown)
        #expect(try await redis.client().command(["EXISTS", keys.refreshFamily("fam")]).integer == 0)
    }

    @Test func stateIsSharedByStoresAndSurvivesARedisRestart() async throws {
        let redis = try await RedisServer(appendOnly: true)
        defer { redis.stop() }
        let first = try store(redis)
        try await first.start(family: "fam", jti: "r1", subject: "alice", ttl: .seconds(600))
        try await first.start(family: "other", jti: "o1", subject: "bob", ttl: .seconds(600))
        #expect(try await first.rotate(family: "fam", presented: "r1", next: "r2", ttl: .seconds(600)) == .rotated)
        try await first.revokeAccess(jti: "a1", until: clock.now() + 600)

        // Another daemon on the same Redis sees the rotation: r1 is a reuse there too.
        let second = try store(redis)
        #expect(try await second.isRevoked(jti: "a1"))
        #expect(try await second.rotate(family: "fam", presented: "r1", next: "x", ttl: .seconds(600)) == .reused(subject: "alice"))

        // Redis restarts from its append-only file; a new client (a restarted daemon) finds the state as it was.
        redis.kill()
        try await redis.start()
        let third = try store(redis)
        #expect(await eventually { (try? await third.isRevoked(jti: "a1")) == true })
        #expect(try await third.rotate(family: "fam", presented: "r2", next: "r3", ttl: .seconds(600)) == .unknown)
        #expect(try await third.rotate(family: "other", presented: "o1", next: "o2", ttl: .seconds(600)) == .rotated)
    }

    @Test func logoutRevokesTheFamilyAndTheAccessTokenUntilItsExpiry() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let store = try store(redis)
        try await store.start(family: "fam", jti: "r1", subject: "alice", ttl: .seconds(600))
        try await store.revokeFamily("fam")
        #expect(try await store.rotate(family: "fam", presented: "r1", next: "r2", ttl: .seconds(600)) == .unknown)

        #expect(try await !store.isRevoked(jti: "a1"))
        try await store.revokeAccess(jti: "a1", until: clock.now() + 900)
        #expect(try await store.isRevoked(jti: "a1"))
        let ttl = try await redis.client().command(["PTTL", keys.revokedAccess("a1")]).integer ?? -1
        // Set to the token's expiry: at most 900 s, and more than what any run could spend since (not a timing bound:
        // a sanitized run took 1 s between the write and this read).
        #expect((600_000...900_000).contains(ttl), "\(ttl)")
        // A token already past its expiry needs no entry.
        try await store.revokeAccess(jti: "a2", until: clock.now() - 1)
        #expect(try await !store.isRevoked(jti: "a2"))
        // The entry goes when the token would have expired anyway.
        try await store.revokeAccess(jti: "a3", until: clock.now() + 1)
        #expect(try await store.isRevoked(jti: "a3"))
        #expect(try await eventually { try await !store.isRevoked(jti: "a3") })
    }

    @Test func aTokenServiceAndTheStoreTogetherRefuseAReplayedRefreshToken() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let store = try store(redis)
        let service = try await TokenService(settings: TokenForge.settings(), now: clock.now)
        let family = TokenService.newFamily()
        let first = try await service.issueRefresh(subject: "alice", family: family)
        try await store.start(family: family, jti: first.jti, subject: "alice", ttl: .seconds(600))

        let presented = try await service.verifyRefresh(first.token)
        let second = try await service.issueRefresh(subject: presented.subject, family: presented.family)
        #expect(
            try await store.rotate(family: presented.family, presented: presented.jti, next: second.jti, ttl: .seconds(600)) == .rotated)
        let replayed = try await service.verifyRefresh(first.token)
        #expect(
            try await store.rotate(family: replayed.family, presented: replayed.jti, next: "x", ttl: .seconds(600))
                == .reused(subject: "alice"))
        let legitimate = try await service.verifyRefresh(second.token)
        #expect(try await store.rotate(family: legitimate.family, presented: legitimate.jti, next: "y", ttl: .seconds(600)) == .unknown)
    }
}
