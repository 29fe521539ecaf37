import DevSkyyCore
import Testing

@Suite("Rate limits: the GCRA state machine")
struct RateLimitStateTests {
    private static func limit(_ text: String) -> RateLimit { RateLimit.parse(text)! }

    /// Attempts at `now` until one is refused (at most `cap`); how many were allowed.
    private func allowedInARow(_ state: inout RateLimitState, at now: Int64, cap: Int = 2_000_000) -> Int {
        var allowed = 0
        while allowed < cap, state.attempt(now: now).allowed { allowed += 1 }
        return allowed
    }

    @Test func theLimitIsTheBurstAndTheNextOneIsRefused() {
        var state = RateLimitState(limit: Self.limit("5/min"))
        var decisions: [RateLimitState.Decision] = []
        for _ in 0..<6 { decisions.append(state.attempt(now: 1_000)) }
        #expect(decisions.map(\.allowed) == [true, true, true, true, true, false])
        #expect(decisions.map(\.remaining) == [4, 3, 2, 1, 0, 0])
        #expect(decisions.map(\.retryAfter) == [0, 0, 0, 0, 12_000, 12_000])
        #expect(decisions.map(\.resetAfter) == [12_000, 24_000, 36_000, 48_000, 60_000, 60_000])
    }

    @Test func oneMoreIsAllowedEachEmissionIntervalAndAllAfterThePeriod() {
        var state = RateLimitState(limit: Self.limit("5/min"))
        #expect(allowedInARow(&state, at: 0) == 5)
        #expect(!state.attempt(now: 11_999).allowed)
        #expect(state.peek(now: 11_999).retryAfter == 1)
        #expect(allowedInARow(&state, at: 12_000) == 1)
        #expect(!state.isFull(at: 71_999))
        #expect(state.isFull(at: 72_000))
        #expect(allowedInARow(&state, at: 72_000) == 5)
        // Refill is proportional: half the period later, half the burst.
        #expect(allowedInARow(&state, at: 72_000 + 30_000) == 2)
    }

    @Test func anIntervalThatIsNotAWholeNumberOfMillisecondsIsKeptExactly() {
        // 7/min: one every 8571.43 ms. Rounding the interval down would allow an 8th request too early.
        var seven = RateLimitState(limit: Self.limit("7/min"))
        #expect(allowedInARow(&seven, at: 0) == 7)
        #expect(seven.peek(now: 0).retryAfter == 8_572)
        #expect(!seven.attempt(now: 8_571).allowed)
        #expect(seven.attempt(now: 8_572).allowed)
        // Kept busy, the k-th request past the burst is allowed at ceil(k × 60000 / 7) ms: k = 2…70 up to 600 000 ms.
        var counted = 0
        for now in stride(from: Int64(8_573), through: 600_000, by: 1) where seven.attempt(now: now).allowed { counted += 1 }
        #expect(counted == 69)

        // A million a second: one every microsecond, so a thousand per millisecond after the burst.
        var fast = RateLimitState(limit: Self.limit("1000000/s"))
        #expect(allowedInARow(&fast, at: 5) == 1_000_000)
        #expect(fast.peek(now: 5).retryAfter == 1)
        #expect(allowedInARow(&fast, at: 6) == 1_000)
    }

    @Test func aClockGoingBackwardsNeverGrantsMore() {
        var state = RateLimitState(limit: Self.limit("5/min"))
        #expect(allowedInARow(&state, at: 100_000) == 5)
        for now in [Int64(99_999), 0, -1, Int64.min, 50_000] {
            let decision = state.attempt(now: now)
            #expect(!decision.allowed, "\(now)")
            #expect(decision.retryAfter == 12_000 && decision.resetAfter == 60_000)
        }
        // Back at the old reading nothing has drained; one interval past it, one request.
        #expect(!state.attempt(now: 100_000).allowed)
        #expect(allowedInARow(&state, at: 112_000) == 1)

        // Used halfway, then the clock steps back: the half left is all there is until the clock passes the old reading.
        var half = RateLimitState(limit: Self.limit("4/min"))
        #expect(allowedInARow(&half, at: 1_000_000, cap: 2) == 2)
        #expect(allowedInARow(&half, at: 10) == 2)
        #expect(allowedInARow(&half, at: 1_000_000) == 0)
    }

    @Test func readingsAtTheEndsOfInt64NeverTrap() {
        var late = RateLimitState(limit: Self.limit("5/min"))
        #expect(allowedInARow(&late, at: Int64.max - 10) == 5)
        let refused = late.attempt(now: Int64.max)
        #expect(!refused.allowed && refused.retryAfter == 11_990 && refused.resetAfter == 59_990)
        #expect(!late.isFull(at: .max))

        var early = RateLimitState(limit: Self.limit("1000000/h"))
        #expect(allowedInARow(&early, at: Int64.min) == 1_000_000)
        #expect(!early.attempt(now: Int64.min + 3).allowed)
        // From Int64.min to Int64.max the difference overflows: it is simply a very long time, and the bucket is full.
        #expect(early.isFull(at: .max))
        #expect(allowedInARow(&early, at: Int64.max) == 1_000_000)
        #expect(early.peek(now: .max).resetAfter == 3_600_000)
    }

    @Test func peekCountsNothing() {
        var state = RateLimitState(limit: Self.limit("2/s"))
        for _ in 0..<10 { #expect(state.peek(now: 0) == .init(allowed: true, remaining: 1, resetAfter: 500, retryAfter: 0)) }
        #expect(state.isFull(at: 0))
        #expect(allowedInARow(&state, at: 0) == 2)
    }
}
