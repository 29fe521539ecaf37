import DevSkyyCore
import Testing

@Suite("Live state health events")
struct LiveStateHealthTests {
    static let config = DaemonConfig(
        partnerships: [Partnership(id: "technical", name: "Technical", kind: .technical, keyMetric: "system_uptime")],
        collectors: [
            CollectorConfig(
                name: "tech", partnership: "technical", url: "http://127.0.0.1:1/t.json", interval: .seconds(10),
                metrics: [MetricSpec(name: "system_uptime", path: "up")]
            )
        ],
        thresholds: [
            ThresholdRule(
                partnership: "technical", metric: "system_uptime", warning: .init(below: 99.9), critical: .init(below: 99),
                missingAfter: .seconds(30)
            )
        ]
    )

    static func samples(_ uptime: Double, at time: Int64) -> [Sample] {
        [
            Sample(partnership: "technical", metric: "system_uptime", timestamp: time, value: uptime),
            // Labeled samples have no rule of their own.
            Sample(partnership: "technical", metric: "system_uptime", labels: [.init("region", "eu")], timestamp: time, value: 1),
        ]
    }

    static func run(_ state: inout LiveState, _ uptime: Double, at time: Int64) {
        state.recordSuccess(collector: "tech", samples: samples(uptime, at: time), at: time, duration: .milliseconds(5))
    }

    @Test func samplesAndSnapshotsYieldMetricAndPartnershipEvents() {
        var state = LiveState(config: Self.config, startedAt: 0)
        Self.run(&state, 98, at: 1_000)
        #expect(
            state.drainEvents().map { "\($0.kind) \($0.entity) \($0.from)→\($0.to)" } == ["metric technical.system_uptime unknown→critical"]
        )
        #expect(state.drainEvents().isEmpty, "drained")

        let first = state.snapshot(now: 1_500)
        #expect(first.partnerships.first?.health.label == .critical)
        #expect(first.partnerships.first?.keyValue == 98)
        #expect(state.drainEvents().isEmpty, "no label event on the first snapshot")

        Self.run(&state, 99.95, at: 11_000)
        _ = state.snapshot(now: 11_500)
        let events = state.drainEvents()
        #expect(events.map(\.kind) == [.metric, .partnership])
        #expect(events.last?.from == "critical")
        #expect(events.last?.to == "excellent")
        #expect(events.last?.value == 100)
        #expect(events.last?.time == 11_500)
    }

    @Test func missingDataIsNoticedWhenASnapshotIsTaken() {
        var state = LiveState(config: Self.config, startedAt: 0)
        Self.run(&state, 99.95, at: 1_000)
        _ = state.snapshot(now: 2_000)
        _ = state.drainEvents()
        let snapshot = state.snapshot(now: 31_000)
        #expect(snapshot.partnerships.first?.health.states == ["system_uptime": .unknown])
        let events = state.drainEvents()
        #expect(events.map(\.to) == ["unknown", "degraded"])
        #expect(events.first?.reason == "system_uptime: no sample for 30s")
    }

    @Test func collectorEventsOnlyWhenUpFlips() {
        var state = LiveState(config: Self.config, startedAt: 0)
        Self.run(&state, 99.95, at: 1_000)
        #expect(state.drainEvents().allSatisfy { $0.kind != .collector }, "the first success is no event")
        state.recordFailure(collector: "tech", error: "timeout after 2s", reason: "timeout", at: 2_000, duration: .seconds(2))
        state.recordFailure(collector: "tech", error: "timeout after 2s", reason: "timeout", at: 3_000, duration: .seconds(2))
        Self.run(&state, 99.95, at: 4_000)
        Self.run(&state, 99.95, at: 5_000)
        let events = state.drainEvents()
        #expect(events.map { "\($0.entity) \($0.from)→\($0.to) at \($0.time)" } == ["tech up→down at 2000", "tech down→up at 4000"])
        #expect(events.first?.reason == "timeout after 2s")
        #expect(events.first?.partnership == "technical")

        var fresh = LiveState(config: Self.config, startedAt: 0)
        fresh.recordFailure(collector: "tech", error: "refused", at: 1_000, duration: .zero)
        #expect(fresh.drainEvents().map(\.to) == ["down"], "a first run that fails is an event")
    }

    @Test func healthStatesSurviveARestart() {
        var state = LiveState(config: Self.config, startedAt: 0)
        Self.run(&state, 98, at: 1_000)
        let saved = state.healthStates
        #expect(saved[MetricKey(partnership: "technical", metric: "system_uptime")]?.state == .critical)

        var restarted = LiveState(config: Self.config, healthStates: saved, startedAt: 2_000)
        let snapshot = restarted.snapshot(now: 2_500)
        #expect(snapshot.partnerships.first?.health.states == ["system_uptime": .critical])
        #expect(snapshot.partnerships.first?.health.reasons.first?.since == 1_000)
        Self.run(&restarted, 98.5, at: 3_000)
        #expect(restarted.drainEvents().isEmpty, "still critical: no event")
    }
}
