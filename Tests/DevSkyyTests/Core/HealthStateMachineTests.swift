import DevSkyyCore
import Testing

@Suite("Metric health state machine")
struct HealthStateMachineTests {
    /// One step of a sequence: a sample at `time` seconds, or with no value a clock check; then the state expected.
    struct Step: Sendable {
        var time: Int64
        var value: Double?
        var state: MetricState

        static func sample(_ time: Int64, _ value: Double, _ state: MetricState) -> Step { Step(time: time, value: value, state: state) }
        static func check(_ time: Int64, _ state: MetricState) -> Step { Step(time: time, value: nil, state: state) }
    }

    struct Scenario: Sendable, CustomTestStringConvertible {
        var name: String
        var rule: ThresholdRule
        var steps: [Step]
        var testDescription: String { name }
    }

    /// Uptime: warning below 99.9, critical below 99, data missing after 60 s.
    static func uptime(
        warningClear: Double? = nil, criticalClear: Double? = nil, for duration: Duration = .zero, hits: Int = 1,
        keep: Duration = .zero, missing: MetricState = .unknown
    ) -> ThresholdRule {
        ThresholdRule(
            partnership: "technical", metric: "system_uptime", warning: .init(below: 99.9, clear: warningClear),
            critical: .init(below: 99.0, clear: criticalClear), forDuration: duration, hits: hits, keepFiringFor: keep,
            missingAfter: .seconds(60), missingState: missing
        )
    }

    static let scenarios: [Scenario] = [
        Scenario(
            name: "plain bounds fire on the first breaching sample",
            rule: uptime(),
            steps: [
                .sample(0, 99.95, .ok), .sample(10, 99.5, .warning), .sample(20, 98, .critical), .sample(30, 99.5, .warning),
                .sample(40, 99.95, .ok),
            ]
        ),
        Scenario(
            name: "for: pending until the breach has lasted, then fired by a check",
            rule: uptime(for: .seconds(30)),
            steps: [
                .sample(0, 98, .pending), .sample(10, 98, .pending), .check(29, .pending), .check(30, .critical),
                .sample(40, 99.95, .ok), .sample(50, 98, .pending), .check(79, .pending), .sample(80, 98, .critical),
            ]
        ),
        Scenario(
            name: "hits: consecutive breaching samples, a good one starts over",
            rule: uptime(hits: 3),
            steps: [
                .sample(0, 98, .pending), .sample(10, 99.95, .ok), .sample(20, 98, .pending), .sample(30, 98, .pending),
                .check(35, .pending),
                .sample(40, 98, .critical),
            ]
        ),
        Scenario(
            name: "hits and for: both must hold",
            rule: uptime(for: .seconds(25), hits: 2),
            steps: [.sample(0, 98, .pending), .sample(10, 98, .pending), .check(24, .pending), .check(25, .critical)]
        ),
        Scenario(
            name: "clear: a firing level holds until the value passes its clear level",
            rule: uptime(warningClear: 99.95, criticalClear: 99.5),
            steps: [
                .sample(0, 98.9, .critical), .sample(10, 99.2, .critical), .sample(20, 99.6, .warning), .sample(30, 99.92, .warning),
                .sample(40, 99.96, .ok), .sample(50, 99.92, .ok),
            ]
        ),
        Scenario(
            name: "keep_firing_for: leaving a level waits since its last sample",
            rule: uptime(keep: .seconds(60)),
            steps: [
                .sample(0, 98, .critical), .sample(20, 99.5, .critical), .sample(40, 99.5, .critical), .check(59, .critical),
                .check(60, .warning), .sample(70, 99.95, .warning), .sample(90, 99.95, .warning), .check(99, .warning), .check(100, .ok),
            ]
        ),
        Scenario(
            name: "escalation waits like firing but stays warning meanwhile",
            rule: uptime(for: .seconds(20)),
            steps: [
                .sample(0, 99.5, .pending), .check(20, .warning), .sample(30, 98, .warning), .sample(40, 98, .warning),
                .sample(50, 98, .critical),
                .sample(60, 99.5, .warning),
            ]
        ),
        Scenario(
            name: "missing data goes unknown, the next sample evaluates normally",
            rule: uptime(),
            steps: [.sample(0, 99.95, .ok), .check(59, .ok), .check(60, .unknown), .check(100, .unknown), .sample(110, 98, .critical)]
        ),
        Scenario(
            name: "missing data goes critical where the rule says so, and does not hold like a breach",
            rule: uptime(criticalClear: 99.5, keep: .seconds(60), missing: .critical),
            steps: [.sample(0, 99.95, .ok), .check(60, .critical), .sample(70, 99.95, .ok)]
        ),
        Scenario(
            name: "a never-sampled metric goes to the missing state from its start",
            rule: uptime(criticalClear: 99.5, missing: .critical),
            steps: [.check(59, .unknown), .check(60, .critical), .sample(61, 99.2, .warning)]
        ),
        Scenario(
            name: "a gap as long as missing breaks a run even without a check",
            rule: uptime(hits: 2),
            steps: [.sample(0, 98, .pending), .sample(60, 98, .pending), .sample(70, 98, .critical)]
        ),
        Scenario(
            name: "a gap ends keep_firing_for and hysteresis",
            rule: uptime(criticalClear: 99.5, keep: .seconds(600)),
            steps: [.sample(0, 98, .critical), .sample(60, 99.2, .warning)]
        ),
        Scenario(
            name: "an older sample is ignored",
            rule: uptime(),
            steps: [.sample(10, 99.95, .ok), .sample(5, 98, .ok)]
        ),
    ]

    @Test(arguments: scenarios)
    func sequences(scenario: Scenario) {
        var machine = MetricHealth(since: 0)
        for step in scenario.steps {
            let before = machine.state
            let transition =
                if let value = step.value {
                    machine.observe(value, at: step.time * 1_000, rule: scenario.rule)
                } else {
                    machine.check(now: step.time * 1_000, rule: scenario.rule)
                }
            #expect(machine.state == step.state, "at \(step.time)s")
            // A transition exactly when the state changes, and it says so.
            #expect(transition?.from == (before == step.state ? nil : before), "at \(step.time)s")
            #expect(transition?.to == (before == step.state ? nil : step.state), "at \(step.time)s")
            if transition != nil { #expect(machine.since == step.time * 1_000) }
        }
    }

    /// Around the critical bound 99: 98.9, 99.1, 98.9, ... every 10 s.
    static func flapping(_ rule: ThresholdRule) -> [MetricTransition] {
        var machine = MetricHealth(state: .ok, since: 0)
        return (0..<20).compactMap { i in
            machine.observe(i.isMultiple(of: 2) ? 98.9 : 99.1, at: Int64(i) * 10_000, rule: rule)
        }
    }

    static let criticalOnly = ThresholdRule(partnership: "technical", metric: "system_uptime", critical: .init(below: 99))

    @Test(arguments: [
        ("plain", criticalOnly, 20, 10),
        ("clear", ThresholdRule(partnership: "technical", metric: "system_uptime", critical: .init(below: 99, clear: 99.5)), 1, 1),
        ("hits", ThresholdRule(partnership: "technical", metric: "system_uptime", critical: .init(below: 99), hits: 2), 20, 0),
        (
            "for", ThresholdRule(partnership: "technical", metric: "system_uptime", critical: .init(below: 99), forDuration: .seconds(15)),
            20, 0
        ),
        (
            "keep",
            ThresholdRule(partnership: "technical", metric: "system_uptime", critical: .init(below: 99), keepFiringFor: .seconds(15)), 1, 1
        ),
    ])
    func flappingInputFiresLessWithClearHitsAndKeep(name: String, rule: ThresholdRule, transitions: Int, firing: Int) {
        let seen = Self.flapping(rule)
        #expect(seen.count == transitions, "\(name)")
        #expect(seen.filter { $0.to == .critical }.count == firing, "\(name)")
    }

    @Test func reasonsNameValueBoundAndWhatIsAwaited() throws {
        var machine = MetricHealth(since: 0)
        let rule = Self.uptime(for: .seconds(30), hits: 3)
        let pendingResult = machine.observe(98.7, at: 1_000, rule: rule)
        let pending = try #require(pendingResult)
        #expect(pending.reason == "system_uptime 98.7 < 99 (critical), pending: needs 3 samples over 30s")
        #expect(pending.bound == 99)
        #expect(pending.value == 98.7)
        _ = machine.observe(98.7, at: 11_000, rule: rule)
        _ = machine.observe(98.6, at: 21_000, rule: rule)
        let firedResult = machine.check(now: 31_000, rule: rule)
        let fired = try #require(firedResult)
        #expect(
            fired
                == MetricTransition(
                    from: .pending, to: .critical, value: 98.6, reason: "system_uptime 98.6 < 99 (critical)", bound: 99, at: 31_000))
        let missingResult = machine.check(now: 81_000, rule: rule)
        let missing = try #require(missingResult)
        #expect(missing.to == .unknown)
        #expect(missing.value == nil)
        #expect(missing.reason == "system_uptime: no sample for 1m")
    }

    @Test func heldLevelsSayWhy() throws {
        var machine = MetricHealth(since: 0)
        let rule = Self.uptime(criticalClear: 99.5, keep: .seconds(60))
        _ = machine.observe(98, at: 0, rule: rule)
        _ = machine.observe(99.2, at: 10_000, rule: rule)
        #expect(machine.reason(rule: rule, now: 10_000)?.message == "system_uptime 99.2, not yet past 99.5 (critical until cleared)")
        #expect(machine.reason(rule: rule, now: 10_000)?.bound == 99.5)
        _ = machine.observe(99.95, at: 20_000, rule: rule)
        let held = try #require(machine.reason(rule: rule, now: 20_000))
        #expect(held.state == .critical)
        #expect(held.message == "system_uptime 99.95 (critical, kept for 1m after the last breach)")
        #expect(held.since == 0)
        #expect(machine.observe(99.95, at: 40_000, rule: rule) == nil)
        #expect(machine.observe(99.95, at: 60_000, rule: rule) == nil)
        let clearedResult = machine.check(now: 70_000, rule: rule)
        let cleared = try #require(clearedResult)
        #expect(cleared.to == .ok)
        #expect(cleared.reason == "system_uptime 99.95 within bounds")
        #expect(machine.reason(rule: rule, now: 70_000) == nil)
    }

    @Test func restoredFiringStateKeepsFiringFromItsLastSample() {
        let rule = Self.uptime(criticalClear: 99.5, keep: .seconds(60))
        var machine = MetricHealth(state: .critical, since: 1_000, value: 98, lastSampleAt: 5_000)
        #expect(machine.check(now: 20_000, rule: rule) == nil)
        // Hysteresis and keep_firing_for apply as before the restart.
        #expect(machine.observe(99.2, at: 20_000, rule: rule) == nil)
        #expect(machine.observe(99.95, at: 30_000, rule: rule) == nil)
        #expect(machine.observe(99.95, at: 60_000, rule: rule) == nil)
        #expect(machine.check(now: 79_999, rule: rule) == nil)
        #expect(machine.check(now: 80_000, rule: rule)?.to == .ok)
    }

    @Test func restoredStatesStartTheirCountsAgain() {
        let rule = Self.uptime(hits: 2)
        var pending = MetricHealth(state: .pending, since: 1_000, value: 98, lastSampleAt: 1_000)
        #expect(pending.check(now: 5_000, rule: rule) == nil)
        #expect(pending.observe(98, at: 10_000, rule: rule) == nil)
        #expect(pending.observe(98, at: 20_000, rule: rule)?.to == .critical)

        var unknown = MetricHealth(state: .unknown, since: 1_000, value: 99.95, lastSampleAt: 1_000)
        #expect(unknown.check(now: 5_000, rule: rule) == nil, "an unknown state waits for a sample")
        #expect(unknown.state == .unknown)
    }

    @Test func restoredMissingCriticalDoesNotHoldLikeABreach() {
        let rule = Self.uptime(criticalClear: 99.5, keep: .seconds(600), missing: .critical)
        // It went critical 60 s after the last sample: the data went missing, and the next sample starts afresh.
        var machine = MetricHealth(state: .critical, since: 65_000, value: 99.95, lastSampleAt: 5_000)
        #expect(machine.check(now: 70_000, rule: rule) == nil)
        #expect(machine.observe(99.2, at: 75_000, rule: rule)?.to == .warning)
    }
}
