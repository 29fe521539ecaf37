import DevSkyyCollect
import DevSkyyCore
import DevSkyyTestSupport
import Foundation
import Testing

/// Numbers a source sends in headers and token answers: each of these took the whole daemon down with a
/// trapping `Int64(Double)` conversion (SIGILL) before `Checked` held them to their bounds.
@Suite("Hostile numbers from sources")
struct HostileNumbersTests {
    static let now: Int64 = 1_760_000_000_000

    @Test(arguments: ["1e20", "inf", "Infinity", "1e308", "99999999999999999999999"])
    func absurdRetryAfterIsHeldToAYear(_ value: String) {
        let delay = ResponseHeaders.retryAfter(["retry-after": value], now: Self.now)
        #expect(delay?.milliseconds == ResponseHeaders.maximumDelay)
    }

    @Test(arguments: ["nan", "-1", "-inf", "soon", ""])
    func meaninglessRetryAfterIsIgnored(_ value: String) {
        #expect(ResponseHeaders.retryAfter(["retry-after": value], now: Self.now) == nil)
    }

    @Test func ordinaryRetryAfterIsRead() {
        #expect(ResponseHeaders.retryAfter(["retry-after": "3"], now: Self.now) == .seconds(3))
        #expect(ResponseHeaders.retryAfter(["retry-after": "0.5"], now: Self.now) == .milliseconds(500))
        // An HTTP date far in the future is held like a number of seconds.
        let far = ResponseHeaders.retryAfter(["retry-after": "Fri, 31 Dec 9999 23:59:59 GMT"], now: Self.now)
        #expect(far?.milliseconds == ResponseHeaders.maximumDelay)
        let past = ResponseHeaders.retryAfter(["retry-after": "Thu, 01 Jan 1970 00:00:00 GMT"], now: Self.now)
        #expect(past == .zero)
    }

    /// Read by hand: Foundation's DateFormatter leaked 128 bytes per formatter (fuzz-headers' leak check).
    @Test func httpDatesAreReadAsRFC9110WritesThem() {
        #expect(IMFFixdate.milliseconds("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777_000)
        #expect(IMFFixdate.milliseconds("Thu, 29 Feb 2024 23:59:60 GMT") == 1_709_251_200_000)
        for text in [
            "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 0x Nov 1994 08:49:37 GMT",
            "", "\u{FFFF}",
        ] {
            #expect(IMFFixdate.milliseconds(text) == nil, "\(text)")
        }
        let delay = ResponseHeaders.retryAfter(["retry-after": "Sun, 06 Nov 1994 08:50:37 GMT"], now: 784_111_777_000)
        #expect(delay == .seconds(60))
    }

    @Test(arguments: ["99999999999999999999999", "1e300", "inf", "1e19"])
    func absurdRateLimitResetIsHeldToAYear(_ value: String) {
        let limit = ResponseHeaders.rateLimit(["x-ratelimit-remaining": "0", "x-ratelimit-reset": value], now: Self.now)
        #expect(limit?.resetAt == Self.now + ResponseHeaders.maximumDelay)
    }

    @Test func rateLimitDelayAndEpochAreBothRead() {
        let delay = ResponseHeaders.rateLimit(["x-ratelimit-reset": "30"], now: Self.now)
        #expect(delay?.resetAt == Self.now + 30_000)
        let epoch = ResponseHeaders.rateLimit(["ratelimit-reset": "1760000060"], now: Self.now)
        #expect(epoch?.resetAt == 1_760_000_060_000)
        let huge = ResponseHeaders.rateLimit(["x-ratelimit-remaining": "99999999999999999999999"], now: Self.now)
        #expect(huge == nil, "a remaining count that fits no integer is not a rate limit")
    }

    /// `collection.backoff_max` is the longest any source can pause its collector.
    @Test func sourcePausesAreHeldToTheBackoffCap() {
        var gate = RunGate(interval: .seconds(1), cap: .seconds(60))
        gate.failed(now: Self.now, retryAfter: .milliseconds(ResponseHeaders.maximumDelay), rateLimit: nil, jitter: 0.5)
        #expect(gate.notBefore == Self.now + 60_000)
        #expect(gate.pause == .rateLimited)

        gate.succeeded(now: Self.now, rateLimit: RateLimit(remaining: 0, resetAt: .max))
        #expect(gate.notBefore == Self.now + 60_000)

        gate.failed(now: Self.now, retryAfter: .seconds(5), rateLimit: nil, jitter: 0.5)
        #expect(gate.notBefore == Self.now + 5_000, "a shorter Retry-After is kept as it is")
    }

    @Test func backoffNeverOverflowsWhateverTheCapOrJitter() {
        var gate = RunGate(interval: .seconds(1), cap: .milliseconds(Int64.max))
        for jitter in [0, 1, .nan, .infinity, -.infinity] as [Double] {
            for _ in 0..<40 { gate.failed(now: .max - 1, retryAfter: nil, rateLimit: nil, jitter: jitter) }
            #expect(gate.notBefore == .max)
        }
        var huge = RunGate(interval: .seconds(1), cap: .seconds(60))
        huge.failed(now: .max - 1, retryAfter: Duration.milliseconds(Int64.max), rateLimit: nil, jitter: 0)
        #expect(huge.notBefore == .max)
    }

    @Test func durationsBeyondInt64MillisecondsSaturate() {
        #expect(Duration.seconds(Int64.max).milliseconds == .max)
        #expect(Duration.seconds(Int64.min).milliseconds == .min)
        #expect(DurationParser.parse("365000d") != nil)
        #expect(DurationParser.parse("365001d") == nil)
        #expect(DurationParser.parse("9223372036854775807ms") == nil)
    }

    /// Token answers with absurd lifetimes: `1e300` is kept (for at most a day), a negative one is fetched
    /// again on the next use; both used to trap converting `expires_in × 900` to Int64.
    @Test(arguments: [("1e300", 1), ("-1e308", 2), ("1e-300", 2), ("3600", 1)])
    func absurdTokenLifetimesAreHeld(_ expiresIn: String, _ fetchesForTwoUses: Int) async throws {
        let source = try await HTTPSource()
        source.serve("/token", #"{"access_token":"abc","token_type":"bearer","expires_in":\#(expiresIn)}"#)
        let engine = CurlEngine()
        let tokens = OAuth2TokenSource(
            settings: .init(tokenURL: source.url("/token"), clientID: "c", clientSecret: "s"), engine: engine,
            timeout: .seconds(5))
        #expect(try await tokens.token() == "abc")
        #expect(try await tokens.token() == "abc")
        #expect(source.requestCount("/token") == fetchesForTwoUses)
        await engine.shutdown()
        await source.stop()
    }
}
