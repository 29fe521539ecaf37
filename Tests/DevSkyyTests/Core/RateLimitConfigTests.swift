import DevSkyyCore
import DevSkyyDaemon
import Testing

@Suite("Configuration: rate_limits")
struct RateLimitConfigTests {
    private static let head = "listen:\n  unix: \"\"\n  tcp: 127.0.0.1:0\nrate_limits:\n"

    private func load(_ text: String) throws(ConfigError) -> DaemonConfig {
        try ConfigLoader(environment: [:]).load(yaml: Self.head + text, file: "rl.yaml")
    }

    private func issues(_ text: String) -> [String] {
        ConfigLoader(environment: [:]).issues(yaml: Self.head + text, file: "rl.yaml")
    }

    @Test func theSeedsLimitsAreTheDefaults() throws {
        let settings = try ConfigLoader(environment: [:]).load(yaml: "listen:\n  unix: \"\"\n", file: "rl.yaml").rateLimits
        #expect(settings == RateLimitSettings())
        #expect(!settings.shared)
        let expected: [RateLimitClass: String] = [
            .metrics: "100/min", .decisions: "10/min", .content: "50/min", .reports: "20/min", .default: "100/min",
        ]
        for endpointClass in RateLimitClass.allCases {
            #expect(settings.limit(for: endpointClass).description == expected[endpointClass], "\(endpointClass)")
        }
        #expect(RateLimitSettings.loginThrottle.description == "5/min")
    }

    @Test func givenLimitsReplaceOnlyTheirClass() throws {
        let settings = try load("  metrics: 5/s\n  decisions: 3/h\n  reports: 1000000/min\n  shared: true").rateLimits
        #expect(settings.limit(for: .metrics) == RateLimit(count: 5, period: .second))
        #expect(settings.limit(for: .decisions) == RateLimit(count: 3, period: .hour))
        #expect(settings.limit(for: .reports) == RateLimit(count: 1_000_000, period: .minute))
        #expect(settings.limit(for: .content).description == "50/min")
        #expect(settings.limit(for: .default).description == "100/min")
        #expect(settings.shared)
        #expect(try load("  { metrics: 7/min }").rateLimits.limit(for: .metrics).description == "7/min")
    }

    static let badRates = [
        "0/min", "-1/min", "+5/min", "1.5/min", "1e3/min", "10/day", "10/m", "10", "/min", "10/", "1000001/min", "abc/min",
        "10/min/", "99999999999999999999999/min", " 10/min", "１０/min", "10 / min",
    ]

    @Test(arguments: badRates) func badRatesAreReportedWithFileAndLine(rate: String) {
        let found = issues("  content: \"\(rate)\"")
        #expect(
            found == [
                "rl.yaml:5: config.rate_limits.content: expected a rate such as 100/min (a whole number from 1 to 1000000 per s, min or h), "
                    + "found '\(rate)'"
            ], "\(found)")
    }

    @Test func unknownClassesAndBadFlagsAreReported() {
        #expect(issues("  login: 5/min").first?.hasPrefix("rl.yaml:5: config.rate_limits: unknown key 'login'") == true)
        #expect(issues("  shared: sometimes") == ["rl.yaml:5: config.rate_limits.shared: expected true or false, found 'sometimes'"])
        #expect(issues("  - 5/min").first?.hasPrefix("rl.yaml:5: config.rate_limits: expected a mapping") == true)
    }

    @Test func rateTextParsesOnlyTheThreeUnits() {
        #expect(RateLimit.parse("1/s") == RateLimit(count: 1, period: .second))
        #expect(RateLimit.parse("007/h") == RateLimit(count: 7, period: .hour))
        #expect(RateLimit(count: 0, period: .second) == nil)
        #expect(RateLimit(count: 1_000_001, period: .second) == nil)
        #expect(RateLimit(count: -1, period: .second) == nil)
        #expect(RateLimit.Period.allCases.map(\.milliseconds) == [1_000, 60_000, 3_600_000])
    }
}
