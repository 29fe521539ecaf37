import DevSkyyCore
import Testing

@Suite("Rate limits: the table of identities")
struct RateLimiterTableTests {
    private static let twoPerMinute = RateLimit.parse("2/min")!
    private static let threePerMinute = RateLimit.parse("3/min")!

    @Test func eachKeyHasItsOwnCount() {
        var table = RateLimiterTable<String>()
        #expect(table.attempt("key:grafana", limit: Self.twoPerMinute, now: 0).allowed)
        #expect(table.attempt("key:grafana", limit: Self.twoPerMinute, now: 0).allowed)
        #expect(!table.attempt("key:grafana", limit: Self.twoPerMinute, now: 0).allowed)
        #expect(table.attempt("ip:10.0.0.1", limit: Self.twoPerMinute, now: 0).allowed)
        #expect(table.count == 2)
    }

    @Test func aChangedLimitStartsOver() {
        var table = RateLimiterTable<String>()
        for _ in 0..<2 { _ = table.attempt("a", limit: Self.twoPerMinute, now: 0) }
        #expect(!table.attempt("a", limit: Self.twoPerMinute, now: 0).allowed)
        let decision = table.attempt("a", limit: Self.threePerMinute, now: 0)
        #expect(decision.allowed && decision.remaining == 2)
    }

    @Test func atTheBoundNewcomersShareOneStateAndKnownKeysKeepTheirs() {
        var table = RateLimiterTable<String>(maxEntries: 3)
        for key in ["a", "b", "c"] { #expect(table.attempt(key, limit: Self.twoPerMinute, now: 0).allowed) }
        #expect(table.count == 3)
        // Nobody's bucket is full again: nothing can be forgotten, so d, e and f share one overflow state.
        #expect(table.attempt("d", limit: Self.twoPerMinute, now: 1).allowed)
        #expect(table.attempt("e", limit: Self.twoPerMinute, now: 1).allowed)
        #expect(!table.attempt("f", limit: Self.twoPerMinute, now: 1).allowed)
        #expect(!table.attempt("d", limit: Self.twoPerMinute, now: 1).allowed)
        #expect(table.count == 3)
        // a, b and c keep their own counts: one request each left.
        for key in ["a", "b", "c"] {
            #expect(table.attempt(key, limit: Self.twoPerMinute, now: 2).allowed)
            #expect(!table.attempt(key, limit: Self.twoPerMinute, now: 2).allowed)
        }
    }

    @Test func fullBucketsAreForgottenToMakeRoom() {
        var table = RateLimiterTable<String>(maxEntries: 3, sweepInterval: 0)
        for key in ["a", "b", "c"] { _ = table.attempt(key, limit: Self.twoPerMinute, now: 0) }
        // 30 s later every bucket is full again: the newcomer gets a state of its own and the others are dropped.
        let decision = table.attempt("d", limit: Self.twoPerMinute, now: 30_000)
        #expect(decision.allowed && decision.remaining == 1)
        #expect(table.count == 1)
        // A forgotten key starts from a full bucket, which is what it had.
        #expect(table.attempt("a", limit: Self.twoPerMinute, now: 30_000).remaining == 1)
        table.removeFull(now: 30_000 + 60_000)
        #expect(table.count == 0)
    }

    @Test func aFloodOfAddressesIsHeldToTheBound() {
        var table = RateLimiterTable<String>()
        #expect(table.maxEntries == 100_000)
        var allowed = 0
        for i in 0..<150_000 where table.attempt("ip:\(i)", limit: Self.twoPerMinute, now: 7).allowed { allowed += 1 }
        #expect(table.count == 100_000)
        // 100 000 own states, and the 50 000 newcomers past the bound share one limit of 2.
        #expect(allowed == 100_002)
    }
}
