import DevSkyyCore
import Testing

@Suite("Health roll-up")
struct HealthRollUpTests {
    @Test(arguments: [
        ([MetricState](), [Double](), true, 100.0),
        ([], [], false, 50),
        ([.ok, .ok, .ok, .ok], [1, 1, 1, 1], true, 100),
        ([.ok, .ok, .ok, .unknown], [1, 1, 1, 1], true, 87.5),
        ([.ok, .unknown, .unknown, .unknown], [1, 1, 1, 1], true, 62.5),
        ([.ok, .ok, .ok, .warning], [1, 1, 1, 1], true, 90),
        ([.ok, .ok, .ok, .critical], [1, 1, 1, 1], true, 75),
        ([.ok, .pending], [1, 1], true, 95),
        ([.ok, .critical], [1, 3], true, 25),
        ([.warning, .unknown], [2, 1], true, 56.7),
        ([.critical, .ok], [0.5, 1.5], false, 75),
    ])
    func scoreIsTheWeightedMeanOfPoints(states: [MetricState], weights: [Double], hasData: Bool, score: Double) {
        let weighted = zip(states, weights).map { (state: $0, weight: $1) }
        #expect(HealthEvaluator.score(weighted, hasData: hasData) == score)
    }

    @Test(arguments: [
        ([MetricState.ok], 100.0, true, HealthLabel.excellent),
        ([], 100, true, .excellent),
        ([.ok, .pending], 95, true, .good),
        ([.ok, .unknown], 75, true, .good),
        ([.ok], 100, false, .good),
        ([], 50, false, .degraded),
        ([.ok, .unknown, .unknown, .unknown], 62.5, true, .degraded),
        ([.ok, .warning], 80, true, .degraded),
        ([.ok, .critical], 50, true, .critical),
        ([.warning, .critical], 30, false, .critical),
    ])
    func labelIsTheWorstThatApplies(states: [MetricState], score: Double, hasData: Bool, label: HealthLabel) {
        #expect(HealthEvaluator.label(states: states, score: score, hasData: hasData) == label)
    }

    @Test func weightsComeFromTheRules() {
        let rules = [
            ThresholdRule(partnership: "brand", metric: "engagement_rate", critical: .init(below: 2), weight: 3),
            ThresholdRule(partnership: "brand", metric: "followers", warning: .init(below: 100)),
        ]
        var evaluator = HealthEvaluator(rules: rules, startedAt: 0)
        _ = evaluator.observe(partnership: "brand", metric: "engagement_rate", value: 1.5, at: 1_000)
        _ = evaluator.observe(partnership: "brand", metric: "followers", value: 500, at: 1_000)
        let health = evaluator.health(partnership: "brand", hasData: true, now: 2_000)
        #expect(health.score == 25)
        #expect(health.label == .critical)
        #expect(health.states == ["engagement_rate": .critical, "followers": .ok])
        #expect(
            health.reasons == [
                HealthReason(
                    metric: "engagement_rate", state: .critical, value: 1.5, message: "engagement_rate 1.5 < 2 (critical)", bound: 2,
                    since: 1_000)
            ])
    }

    @Test func systemStatusIsTheWorstPartnershipAndDegradedWithoutRedis() {
        #expect(HealthEvaluator.systemStatus(labels: [.excellent, .good], redisUp: true) == .healthy)
        #expect(HealthEvaluator.systemStatus(labels: [.excellent, .degraded], redisUp: true) == .degraded)
        #expect(HealthEvaluator.systemStatus(labels: [.critical, .degraded], redisUp: true) == .critical)
        #expect(HealthEvaluator.systemStatus(labels: [.excellent], redisUp: false) == .degraded)
    }
}
