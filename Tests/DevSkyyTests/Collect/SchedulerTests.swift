import DevSkyyCollect
import DevSkyyCore
import DevSkyyTestSupport
import Foundation
import NIOConcurrencyHelpers
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

/// In-memory collectors and sink: the scheduler's logic needs no I/O to be tested.
private struct FakeCollector: Collector {
    let name: String
    let partnership = "p"
    let interval: Duration
    var fails = false
    var takes: Duration = .zero
    var gauge: InFlightGauge?

    func collect(timestamp: Int64) async throws(CollectError) -> CollectOutcome {
        gauge?.enter()
        defer { gauge?.leave() }
        if takes > .zero { try? await Task.sleep(for: takes) }
        if fails { throw CollectError(reason: "connect", message: "refused") }
        return CollectOutcome(samples: [Sample(partnership: "p", metric: "m", timestamp: timestamp, value: 1)], problems: [])
    }
}

private final class InFlightGauge: Sendable {
    private let state = NIOLockedValueBox((now: 0, peak: 0))
    func enter() {
        state.withLockedValue {
            $0.now += 1; $0.peak = max($0.peak, $0.now)
        }
    }
    func leave() { state.withLockedValue { $0.now -= 1 } }
    var peak: Int { state.withLockedValue { $0.peak } }
}

private final class RecordingSink: CollectionSink {
    let runs = NIOLockedValueBox<[String: [(ok: Bool, at: Int64)]]>([:])
    let skips = NIOLockedValueBox<[String: [SkipReason]]>([:])

    func collected(collector: String, result: Result<CollectOutcome, CollectError>, timestamp: Int64, duration: Duration) async {
        let ok = (try? result.get()) != nil
        runs.withLockedValue { $0[collector, default: []].append((ok, timestamp)) }
    }

    func skipped(collector: String, reason: SkipReason, count: Int) async {
        skips.withLockedValue { $0[collector, default: []] += Array(repeating: reason, count: count) }
    }
}

@Suite("Scheduler")
struct SchedulerTests {
    /// Runs the scheduler for at least `minimum`, then until `done` holds (polled every 20 ms) or `atMost` passes:
    /// tests that count runs wait for enough of them instead of assuming an idle machine wakes them on time.
    fileprivate func run(
        _ collectors: [any Collector], for minimum: Duration, until done: @escaping @Sendable (RecordingSink) -> Bool = { _ in true },
        atMost: Duration = .seconds(20), maxInFlight: Int = 64, beats: Counter? = nil
    ) async throws -> RecordingSink {
        let sink = RecordingSink()
        let scheduler = Scheduler(
            collectors: collectors, sink: sink, maxInFlight: maxInFlight, backoffCap: .seconds(60),
            heartbeat: (.milliseconds(100), { _ = beats?.next() }), logger: .init(label: "test")
        )
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup { group in
                group.addTask { await scheduler.run() }
                let clock = ContinuousClock()
                let deadline = clock.now + atMost
                try await Task.sleep(for: minimum)
                while !done(sink) && clock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                #expect(done(sink), "the awaited runs did not happen within \(atMost)")
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        return sink
    }

    @Test func twentyCollectorsAtOneSecondRunTenTimesInTenSecondsWithSpreadOffsets() async throws {
        let collectors = (0..<20).map { FakeCollector(name: "collector-\($0)", interval: .seconds(1)) }
        let sink = try await run(collectors, for: .milliseconds(10_000))
        let runs = sink.runs.withLockedValue { $0 }
        for collector in collectors {
            let count = runs[collector.name]?.count ?? 0
            #expect((9...11).contains(count), "\(collector.name) ran \(count) times")
        }
        // After the first run at start, each collector keeps its own phase within the second.
        let phases: [[Int64]] = collectors.map { c in (runs[c.name] ?? []).dropFirst().map { $0.at % 1_000 } }
        let offsets = collectors.map { Scheduler.offset(name: $0.name, interval: .seconds(1)) }
        for (phase, offset) in zip(phases, offsets) {
            // Most runs start within 150 ms of the offset; a loaded machine may wake a few later.
            let onPhase = phase.filter { abs($0 - offset) < 150 || abs($0 - offset) > 850 }.count
            #expect(onPhase * 5 >= phase.count * 4, "phase \(phase) vs offset \(offset)")
        }
        #expect(Set(offsets.map { $0 / 100 }).count >= 7, "offsets spread over the interval: \(offsets.sorted())")
        #expect(offsets.max()! - offsets.min()! > 600)
    }

    @Test func aFailingCollectorBacksOffAndOthersKeepTheirPace() async throws {
        let beats = Counter()
        let sink = try await run(
            [
                FakeCollector(name: "fine", interval: .milliseconds(100)),
                FakeCollector(name: "broken", interval: .milliseconds(100), fails: true),
            ], for: .milliseconds(2_050), until: { ($0.runs.withLockedValue { $0["fine"]?.count ?? 0 }) >= 20 && beats.value >= 10 },
            beats: beats)
        let runs = sink.runs.withLockedValue { $0 }
        let fine = runs["fine"]?.count ?? 0
        #expect(runs["fine"]?.allSatisfy(\.ok) == true)
        // 100 ms, then 200, 400, 800 ms (each jittered down to half at most): far fewer runs than the healthy one,
        // even when a loaded machine wakes the loop late.
        let broken = runs["broken"]?.count ?? 0
        #expect(broken >= 3 && broken < fine, "broken ran \(broken) times, fine \(fine)")
        #expect(sink.skips.withLockedValue { $0["broken"] ?? [] }.contains(.backoff))
        // A loaded machine may wake the loop late (`late`), but the healthy collector never backs off.
        #expect(sink.skips.withLockedValue { $0["fine"] ?? [] }.allSatisfy { $0 == .late })
    }

    @Test func aRunStillGoingMakesItsTickSkip() async throws {
        let gauge = InFlightGauge()
        let sink = try await run(
            [FakeCollector(name: "slow", interval: .milliseconds(100), takes: .milliseconds(250), gauge: gauge)],
            for: .milliseconds(1_000),
            until: { sink in
                sink.runs.withLockedValue { $0["slow"]?.count ?? 0 } >= 3
                    && sink.skips.withLockedValue { $0["slow"] ?? [] }.contains(.inFlight)
            })
        #expect(sink.skips.withLockedValue { $0["slow"] ?? [] }.contains(.inFlight))
        // Ticks every 100 ms, runs of 250 ms: never two at once.
        #expect(gauge.peak == 1)
    }

    @Test func fetchesInFlightStayUnderTheGlobalLimit() async throws {
        let gauge = InFlightGauge()
        let collectors = (0..<12).map {
            FakeCollector(name: "c\($0)", interval: .milliseconds(500), takes: .milliseconds(100), gauge: gauge)
        }
        _ = try await run(
            collectors, for: .milliseconds(1_200), until: { $0.runs.withLockedValue { $0.values.map(\.count).reduce(0, +) } >= 24 },
            maxInFlight: 3)
        // All twelve are due at start: the limit is reached and never passed.
        #expect(gauge.peak == 3)
    }

    @Test func offsetsAreStable() {
        #expect(
            Scheduler.offset(name: "brand-http", interval: .seconds(10)) == Scheduler.offset(name: "brand-http", interval: .seconds(10)))
        #expect((0..<10_000).contains(Scheduler.offset(name: "brand-http", interval: .seconds(10))))
    }
}

@Suite("Run gate")
struct RunGateTests {
    @Test func backoffDoublesUpToTheCapAndRecoversOnSuccess() {
        var gate = RunGate(interval: .seconds(10), cap: .seconds(60))
        gate.failed(now: 0, retryAfter: nil, rateLimit: nil, jitter: 1)
        #expect(gate.blocked(now: 0) == nil, "the first failure waits for the next tick only")
        var delays: [Int64] = []
        for _ in 0..<5 {
            gate.failed(now: 0, retryAfter: nil, rateLimit: nil, jitter: 1)
            delays.append(gate.notBefore ?? -1)
        }
        #expect(delays == [20_000, 40_000, 60_000, 60_000, 60_000])
        gate.failed(now: 0, retryAfter: nil, rateLimit: nil, jitter: 0)
        #expect(gate.notBefore == 30_000, "jitter scales the delay down to half")
        #expect(gate.blocked(now: 29_999) == .backoff)
        #expect(gate.blocked(now: 30_000) == nil)
        gate.succeeded(now: 1, rateLimit: nil)
        #expect(gate.failures == 0 && gate.blocked(now: 1) == nil)
    }

    @Test func retryAfterIsHonouredExactly() {
        var gate = RunGate(interval: .seconds(1), cap: .seconds(60))
        gate.failed(now: 1_000, retryAfter: .seconds(7), rateLimit: nil, jitter: 0.3)
        #expect(gate.blocked(now: 7_999) == .rateLimited)
        #expect(gate.blocked(now: 8_000) == nil)
    }

    @Test func aSpentBudgetPausesUntilTheReset() {
        var gate = RunGate(interval: .seconds(1), cap: .seconds(60))
        gate.succeeded(now: 1_000, rateLimit: RateLimit(remaining: 0, resetAt: 5_000))
        #expect(gate.blocked(now: 4_999) == .rateLimited)
        #expect(gate.blocked(now: 5_000) == nil)
        gate.succeeded(now: 5_000, rateLimit: RateLimit(remaining: 3, resetAt: 9_000))
        #expect(gate.blocked(now: 5_001) == nil)
    }
}
