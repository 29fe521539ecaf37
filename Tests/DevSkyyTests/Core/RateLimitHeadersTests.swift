import DevSkyyCore
import Testing

@Suite("Rate limits: the answer's header fields")
struct RateLimitHeadersTests {
    private func fields(_ policy: String, _ limit: String, attempts: Int, now: Int64 = 0) -> [String: String] {
        let rate = RateLimit.parse(limit)!
        var state = RateLimitState(limit: rate)
        var decision = state.attempt(now: now)
        for _ in 1..<attempts { decision = state.attempt(now: now) }
        let list = RateLimitHeaders.fields(policy: policy, limit: rate, decision: decision)
        #expect(Set(list.map(\.name)).count == list.count, "each field once")
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0.value) })
    }

    @Test func anAllowedAnswerSaysWhatIsLeftInBothFamilies() {
        #expect(
            fields("metrics", "5/min", attempts: 3) == [
                "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "2", "X-RateLimit-Reset": "36",
                "RateLimit": "\"metrics\";r=2;t=36", "RateLimit-Policy": "\"metrics\";q=5;w=60",
            ])
        #expect(fields("reports", "20/h", attempts: 1)["RateLimit-Policy"] == "\"reports\";q=20;w=3600")
        #expect(fields("default", "10/s", attempts: 1)["RateLimit-Policy"] == "\"default\";q=10;w=1")
    }

    @Test func aRefusedAnswerAddsRetryAfterRoundedUp() {
        let refused = fields("decisions", "10/min", attempts: 11)
        #expect(refused["Retry-After"] == "6")
        #expect(refused["X-RateLimit-Remaining"] == "0" && refused["X-RateLimit-Reset"] == "60")
        #expect(refused["RateLimit"] == "\"decisions\";r=0;t=60")
        // One more in a microsecond still means a whole second, never 0.
        #expect(fields("metrics", "1000000/s", attempts: 1_000_001)["Retry-After"] == "1")
        #expect(fields("content", "7/min", attempts: 8)["Retry-After"] == "9")
    }

    @Test func policyNamesStayValidStructuredFieldStrings() {
        #expect(fields("a\"b\\c", "1/s", attempts: 1)["RateLimit-Policy"] == "\"a\\\"b\\\\c\";q=1;w=1")
        #expect(fields("lo\r\ngin\u{7F}é", "1/s", attempts: 1)["RateLimit"] == "\"login\";r=0;t=1")
    }
}
