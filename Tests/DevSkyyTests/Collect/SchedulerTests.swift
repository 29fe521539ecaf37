import DevSkyyCollect
import DevSkyyCore
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// In-memory collector and sink: the scheduler's logic needs no I/O to be tested.
private struct CountingCollector: Collector {
    let name: String
    let partnership = "p"
    let interval: Duration
    let fails: Bool

    func collect(timestamp: Int64) async throws(CollectError) -> CollectOutcome {
        if fails { throw CollectError(reason: "connect", message: "refused") }
        return CollectOutcome(samples: [Sample(partnership: "p", metric: "m", timestamp: timestamp, value: 1)], problems: [])
    }
}

private final class RecordingSink: CollectionSink {
    let runs = Mutex<[String: [Bool]]>([:])

    func collected(collector: String, result: Result<CollectOutcome, CollectError>, timestamp: Int64, duration: Duration) async {
        let ok = (try? result.get()) != nil
        runs.withLock { $0[collector, default: []].append(ok) }
    }
}

@Suite("Scheduler")
struct SchedulerTests {
    @Test func runsEachCollectorAtItsIntervalAndAFailureStaysLocal() async throws {
        let sink = RecordingSink()
        let beats = Mutex(0)
        let scheduler = Scheduler(
            collectors: [
                CountingCollector(name: "fast", interval: .milliseconds(100), fails: false),
                CountingCollector(name: "slow", interval: .milliseconds(400), fails: false),
                CountingCollector(name: "broken", interval: .milliseconds(100), fails: true),
            ],
            sink: sink,
            heartbeat: (.milliseconds(100), { beats.withLock { $0 += 1 } }),
            logger: .init(label: "test")
        )
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup { group in
                group.addTask { await scheduler.run() }
                try await Task.sleep(for: .milliseconds(1_050))
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        let runs = sink.runs.withLock { $0 }
        // The first run is right at start, then one per interval: 11 and 3 in 1.05 s, give or take scheduling.
        #expect((9...12).contains(runs["fast"]?.count ?? 0))
        #expect((2...4).contains(runs["slow"]?.count ?? 0))
        #expect(runs["fast"]?.allSatisfy { $0 } == true)
        #expect((9...12).contains(runs["broken"]?.count ?? 0))
        #expect(runs["broken"]?.allSatisfy { !$0 } == true)
        #expect(beats.withLock { $0 } >= 8)
    }
}
