import DevSkyyCore
import Testing

@testable import DevSkyyAuth

@Suite("Verified-token cache")
struct VerifiedTokenCacheTests {
    let clock = TestClock()

    func identity(_ jti: String, expiresIn seconds: Int64) -> Identity {
        Identity(subject: "alice", kind: .user, role: .metricsViewer, jti: jti, expiresAt: clock.now() + seconds)
    }

    @Test func entriesAreNeverReturnedAtOrPastTheirExpiry() {
        let cache = VerifiedTokenCache(maximumAge: 3_600, now: clock.now)
        cache.store(identity("a", expiresIn: 10), for: "token-a")
        #expect(cache.identity(for: "token-a")?.jti == "a")
        #expect(cache.identity(for: "token-b") == nil)
        clock.advance(9)
        #expect(cache.identity(for: "token-a")?.jti == "a")
        clock.advance(1)
        #expect(cache.identity(for: "token-a") == nil)
        #expect(cache.count == 0)
        // Already expired when stored: not kept.
        cache.store(identity("old", expiresIn: 0), for: "token-old")
        #expect(cache.count == 0)
    }

    @Test func entriesLastAtMostTheMaximumAge() {
        // So that a revocation made by another daemon is seen here within that time.
        let cache = VerifiedTokenCache(maximumAge: 30, now: clock.now)
        cache.store(identity("a", expiresIn: 900), for: "token-a")
        clock.advance(29)
        #expect(cache.identity(for: "token-a") != nil)
        clock.advance(1)
        #expect(cache.identity(for: "token-a") == nil)
    }

    @Test func revocationEvictsByJTI() {
        let cache = VerifiedTokenCache(now: clock.now)
        cache.store(identity("a", expiresIn: 900), for: "token-a")
        cache.store(identity("b", expiresIn: 900), for: "token-b")
        cache.evict(jti: "a")
        #expect(cache.identity(for: "token-a") == nil)
        #expect(cache.identity(for: "token-b")?.jti == "b")
        cache.evict(jti: "unknown")
        #expect(cache.count == 1)
    }

    @Test func theCacheHoldsAtMostItsCapacityAndDropsExpiredEntriesFirst() {
        let cache = VerifiedTokenCache(capacity: 100, maximumAge: 3_600, now: clock.now)
        for index in 0..<50 { cache.store(identity("short\(index)", expiresIn: 5), for: "short-\(index)") }
        for index in 0..<50 { cache.store(identity("long\(index)", expiresIn: 900), for: "long-\(index)") }
        #expect(cache.count == 100)
        clock.advance(5)
        cache.store(identity("new", expiresIn: 900), for: "new")
        // The 50 expired ones made room; every live one stayed.
        #expect(cache.count == 51)
        #expect((0..<50).allSatisfy { cache.identity(for: "long-\($0)") != nil })
        for index in 0..<1_000 { cache.store(identity("more\(index)", expiresIn: 900), for: "more-\(index)") }
        #expect(cache.count <= 100)
        #expect(cache.identity(for: "more-999")?.jti == "more999")
    }

    @Test func apiKeyIdentitiesAreNotStored() {
        let cache = VerifiedTokenCache(now: clock.now)
        cache.store(Identity(subject: "ci", kind: .apiKey, role: .metricsViewer), for: "dsk_x")
        #expect(cache.count == 0)
    }
}
