import DevSkyyCore
import Testing

@Suite("Health evaluation")
struct HealthEvaluatorTests {
    static let uptime = ThresholdRule(
        partnership: "technical", metric: "uptime", warning: .init(below: 99.9), critical: .init(below: 99.0)
    )
    static let latency = ThresholdRule(partnership: "technical", metric: "latency", warning: .init(above: 200))

    @Test(arguments: [
        (99.95, MetricState.ok, HealthLabel.excellent, 100.0),
        (99.5, .warning, .degraded, 60),
        (98.0, .critical, .critical, 0),
    ])
    func boundsGiveStates(value: Double, state: MetricState, label: HealthLabel, score: Double) {
        var evaluator = HealthEvaluator(rules: [Self.uptime])
        let health = evaluator.evaluate(partnership: "technical", values: ["uptime": value], hasData: true, now: 0)
        #expect(health.states["uptime"] == state)
        #expect(health.label == label)
        #expect(health.score == score)
        #expect(health.reasons.count == (state == .ok ? 0 : 1))
    }

    @Test func reasonNamesValueAndBound() {
        var evaluator = HealthEvaluator(rules: [Self.latency])
        let health = evaluator.evaluate(partnership: "technical", values: ["latency": 250], hasData: true, now: 0)
        #expect(health.reasons.first?.message == "latency 250 > 200")
    }

    @Test func missingValueIsUnknown() {
        var evaluator = HealthEvaluator(rules: [Self.uptime, Self.latency])
        let health = evaluator.evaluate(partnership: "technical", values: ["latency": 10], hasData: true, now: 0)
        #expect(health.states == ["uptime": .unknown, "latency": .ok])
        #expect(health.label == .good)
        #expect(health.score == 75)
    }

    @Test func breachMustLastForItsDuration() {
        var rule = Self.uptime
        rule.forDuration = .seconds(30)
        var evaluator = HealthEvaluator(rules: [rule])
        let values = ["uptime": 98.0]
        #expect(evaluator.evaluate(partnership: "technical", values: values, hasData: true, now: 0).states["uptime"] == .ok)
        #expect(evaluator.evaluate(partnership: "technical", values: values, hasData: true, now: 29_999).states["uptime"] == .ok)
        #expect(evaluator.evaluate(partnership: "technical", values: values, hasData: true, now: 30_000).states["uptime"] == .critical)
        // Recovery clears the pending breach: the next breach waits its full duration again.
        _ = evaluator.evaluate(partnership: "technical", values: ["uptime": 100], hasData: true, now: 31_000)
        #expect(evaluator.evaluate(partnership: "technical", values: values, hasData: true, now: 32_000).states["uptime"] == .ok)
    }

    @Test func otherPartnershipsAreNotAffected() {
        var evaluator = HealthEvaluator(rules: [Self.uptime])
        let health = evaluator.evaluate(partnership: "brand", values: ["uptime": 1], hasData: true, now: 0)
        #expect(health.states.isEmpty)
        #expect(health.label == .excellent)
    }

    @Test func noDataAtAllIsGoodAtBestWithAReason() {
        let health = HealthEvaluator.rollUp(states: [:], reasons: [], hasData: false)
        #expect(health.label == .degraded)
        #expect(health.score == 50)
        #expect(health.reasons.count == 1)
    }

    @Test(arguments: [
        ([MetricState.ok, .ok, .ok, .ok], HealthLabel.excellent, 100.0),
        ([.ok, .ok, .ok, .unknown], .good, 87.5),
        ([.ok, .unknown, .unknown, .unknown], .degraded, 62.5),
        ([.ok, .ok, .ok, .warning], .degraded, 90),
        ([.ok, .ok, .ok, .critical], .critical, 75),
    ])
    func rollUpTable(states: [MetricState], label: HealthLabel, score: Double) {
        let named = Dictionary(uniqueKeysWithValues: states.enumerated().map { ("m\($0.offset)", $0.element) })
        let health = HealthEvaluator.rollUp(states: named, reasons: [], hasData: true)
        #expect(health.label == label)
        #expect(health.score == score)
    }

    @Test func systemStatusIsTheWorstPartnershipAndDegradedWithoutRedis() {
        #expect(HealthEvaluator.systemStatus(labels: [.excellent, .good], redisUp: true) == .healthy)
        #expect(HealthEvaluator.systemStatus(labels: [.excellent, .degraded], redisUp: true) == .degraded)
        #expect(HealthEvaluator.systemStatus(labels: [.critical, .degraded], redisUp: true) == .critical)
        #expect(HealthEvaluator.systemStatus(labels: [.excellent], redisUp: false) == .degraded)
    }
}
