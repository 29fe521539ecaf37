import DevSkyyCore
import Testing

@Suite("Health evaluation")
struct HealthEvaluatorTests {
    static let uptime = ThresholdRule(
        partnership: "technical", metric: "uptime", warning: .init(below: 99.9), critical: .init(below: 99.0), missingAfter: .seconds(30)
    )
    static let latency = ThresholdRule(
        partnership: "technical", metric: "latency", warning: .init(above: 200), missingAfter: .seconds(30))

    @Test(arguments: [
        (99.95, MetricState.ok, HealthLabel.excellent, 100.0),
        (99.5, .warning, .degraded, 60),
        (98.0, .critical, .critical, 0),
    ])
    func boundsGiveStates(value: Double, state: MetricState, label: HealthLabel, score: Double) {
        var evaluator = HealthEvaluator(rules: [Self.uptime], startedAt: 0)
        _ = evaluator.observe(partnership: "technical", metric: "uptime", value: value, at: 0)
        let health = evaluator.health(partnership: "technical", hasData: true, now: 0)
        #expect(health.states["uptime"] == state)
        #expect(health.label == label)
        #expect(health.score == score)
        #expect(health.reasons.count == (state == .ok ? 0 : 1))
    }

    @Test func reasonNamesValueBoundAndSince() {
        var evaluator = HealthEvaluator(rules: [Self.latency], startedAt: 0)
        _ = evaluator.observe(partnership: "technical", metric: "latency", value: 250, at: 5_000)
        let reason = evaluator.health(partnership: "technical", hasData: true, now: 6_000).reasons.first
        #expect(
            reason
                == HealthReason(
                    metric: "latency", state: .warning, value: 250, message: "latency 250 > 200 (warning)", bound: 200, since: 5_000))
    }

    @Test func aMetricWithoutSamplesIsUnknown() {
        var evaluator = HealthEvaluator(rules: [Self.uptime, Self.latency], startedAt: 0)
        _ = evaluator.observe(partnership: "technical", metric: "latency", value: 10, at: 0)
        let health = evaluator.health(partnership: "technical", hasData: true, now: 0)
        #expect(health.states == ["uptime": .unknown, "latency": .ok])
        #expect(health.label == .good)
        #expect(health.score == 75)
        #expect(health.reasons.map(\.message) == ["uptime: no sample yet"])
    }

    @Test func breachMustLastForItsDuration() {
        var rule = Self.uptime
        rule.forDuration = .seconds(30)
        var evaluator = HealthEvaluator(rules: [rule], startedAt: 0)
        func state() -> MetricState? { evaluator.state(partnership: "technical", metric: "uptime")?.state }
        _ = evaluator.observe(partnership: "technical", metric: "uptime", value: 98, at: 0)
        #expect(state() == .pending)
        _ = evaluator.observe(partnership: "technical", metric: "uptime", value: 98, at: 20_000)
        #expect(evaluator.check(now: 29_999).isEmpty)
        #expect(evaluator.check(now: 30_000).map(\.to) == ["critical"])
        // Recovery clears the pending breach: the next breach waits its full duration again.
        _ = evaluator.observe(partnership: "technical", metric: "uptime", value: 100, at: 31_000)
        _ = evaluator.observe(partnership: "technical", metric: "uptime", value: 98, at: 32_000)
        #expect(state() == .pending)
    }

    @Test func eventsNameTheMetricAndTheChange() {
        var evaluator = HealthEvaluator(rules: [Self.uptime], startedAt: 0)
        let event = evaluator.observe(partnership: "technical", metric: "uptime", value: 98.5, at: 7_000)
        #expect(
            event
                == HealthEvent(
                    time: 7_000, kind: .metric, entity: "technical.uptime", partnership: "technical", metric: "uptime", from: "unknown",
                    to: "critical", value: 98.5, reason: "uptime 98.5 < 99 (critical)"))
        #expect(evaluator.observe(partnership: "technical", metric: "uptime", value: 98.4, at: 8_000) == nil, "no change, no event")
    }

    @Test func checkMovesEveryRuleOnWithTheClock() {
        var evaluator = HealthEvaluator(rules: [Self.uptime, Self.latency], startedAt: 0)
        _ = evaluator.observe(partnership: "technical", metric: "uptime", value: 99.95, at: 0)
        _ = evaluator.observe(partnership: "technical", metric: "latency", value: 10, at: 10_000)
        #expect(evaluator.check(now: 30_000).map(\.entity) == ["technical.uptime"])
        #expect(evaluator.check(now: 40_000).map(\.entity) == ["technical.latency"])
        let reasons = evaluator.health(partnership: "technical", hasData: false, now: 45_000).reasons
        #expect(reasons.map(\.message) == ["uptime: no sample for 45s", "latency: no sample for 35s"])
    }

    @Test func otherPartnershipsAndMetricsAreNotAffected() {
        var evaluator = HealthEvaluator(rules: [Self.uptime], startedAt: 0)
        #expect(evaluator.observe(partnership: "brand", metric: "uptime", value: 1, at: 0) == nil)
        #expect(evaluator.observe(partnership: "technical", metric: "followers", value: 1, at: 0) == nil)
        let health = evaluator.health(partnership: "brand", hasData: true, now: 0)
        #expect(health.states.isEmpty)
        #expect(health.label == .excellent)
        #expect(evaluator.state(partnership: "technical", metric: "uptime")?.state == .unknown)
    }

    @Test func statesRoundTripThroughARestart() {
        var evaluator = HealthEvaluator(rules: [Self.uptime, Self.latency], startedAt: 0)
        _ = evaluator.observe(partnership: "technical", metric: "uptime", value: 98, at: 1_000)
        let saved = evaluator.states
        #expect(saved.count == 2)
        // Only the public fields are persisted.
        let stored = saved.mapValues { MetricHealth(state: $0.state, since: $0.since, value: $0.value, lastSampleAt: $0.lastSampleAt) }
        var restarted = HealthEvaluator(rules: [Self.uptime, Self.latency], restoring: stored, startedAt: 50_000)
        let uptime = restarted.state(partnership: "technical", metric: "uptime")
        #expect(uptime?.state == .critical)
        #expect(uptime?.since == 1_000)
        #expect(uptime?.lastSampleAt == 50_000, "the downtime is not counted as missing data")
        #expect(restarted.state(partnership: "technical", metric: "latency")?.since == 0)
        #expect(restarted.check(now: 50_100).isEmpty)
        #expect(restarted.observe(partnership: "technical", metric: "uptime", value: 98, at: 51_000) == nil, "still critical: no event")
    }

    /// A restart longer than `missingAfter`, with `for`, `hits` and a `clear` band: the restored level holds
    /// through the first check and the first samples, as if the daemon had never stopped.
    @Test func aLongRestartNeitherResolvesNorReFires() {
        let rule = ThresholdRule(
            partnership: "technical", metric: "uptime", critical: .init(below: 99.0, clear: 99.5), forDuration: .seconds(30), hits: 3,
            keepFiringFor: .seconds(60), missingAfter: .seconds(30)
        )
        let restored = [
            MetricKey(partnership: "technical", metric: "uptime"): MetricHealth(
                state: .critical, since: 1_000, value: 98, lastSampleAt: 5_000)
        ]
        var evaluator = HealthEvaluator(rules: [rule], restoring: restored, startedAt: 3_600_000)
        #expect(evaluator.check(now: 3_600_010).isEmpty, "the first check does not see an hour of missing data")
        #expect(evaluator.observe(partnership: "technical", metric: "uptime", value: 98.2, at: 3_601_000) == nil)
        #expect(evaluator.observe(partnership: "technical", metric: "uptime", value: 99.2, at: 3_602_000) == nil, "inside the clear band")
        #expect(evaluator.check(now: 3_603_000).isEmpty)
        #expect(evaluator.state(partnership: "technical", metric: "uptime")?.state == .critical)
    }

    @Test func aSecondRuleForTheSameMetricIsIgnored() {
        var evaluator = HealthEvaluator(rules: [Self.uptime, Self.latency, Self.uptime], startedAt: 0)
        #expect(evaluator.states.count == 2)
        #expect(evaluator.check(now: 0).isEmpty)
    }

    @Test func noRulesAndNoDataIsDegradedWithAReason() {
        let health = HealthEvaluator(rules: [], startedAt: 0).health(partnership: "technical", hasData: false, now: 0)
        #expect(health.label == .degraded)
        #expect(health.score == 50)
        #expect(health.reasons.map(\.message) == ["no fresh data from any collector"])
    }
}
