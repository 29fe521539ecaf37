import DevSkyyCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs each collector at its interval, first right at start, never two runs of one collector at once.
///
/// Its loop also sends the watchdog heartbeat, so a stuck scheduler stops the heartbeat.
public struct Scheduler: Service {
    private let collectors: [any Collector]
    private let sink: any CollectionSink
    private let heartbeat: (interval: Duration, send: @Sendable () -> Void)?
    private let logger: Logger

    public init(
        collectors: [any Collector], sink: any CollectionSink,
        heartbeat: (interval: Duration, send: @Sendable () -> Void)?, logger: Logger
    ) {
        self.collectors = collectors
        self.sink = sink
        self.heartbeat = heartbeat
        self.logger = logger
    }

    public func run() async {
        let clock = ContinuousClock()
        let start = clock.now
        var due = Array(repeating: start, count: collectors.count)
        var nextHeartbeat = start
        let running = InFlight()
        await withDiscardingTaskGroup { group in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let now = clock.now
                for index in collectors.indices where due[index] <= now {
                    let collector = collectors[index]
                    // A missed tick is skipped, and ticks stay on the collector's grid.
                    while due[index] <= now { due[index] += collector.interval }
                    guard running.start(index) else {
                        logger.warning("previous run still in flight; tick skipped", metadata: ["collector": "\(collector.name)"])
                        continue
                    }
                    group.addTask {
                        await runOnce(collector)
                        running.finish(index)
                    }
                }
                var wake = due.min() ?? now + .seconds(1)
                if let heartbeat {
                    if nextHeartbeat <= now {
                        heartbeat.send()
                        nextHeartbeat = now + heartbeat.interval
                    }
                    wake = min(wake, nextHeartbeat)
                }
                let wakeAt = wake
                try? await cancelWhenGracefulShutdown {
                    try await Task.sleep(until: wakeAt, clock: clock)
                }
            }
            // Leaving the group waits for runs in flight: their fetches are bounded by their timeouts.
        }
    }

    private func runOnce(_ collector: any Collector) async {
        let timestamp = Int64(Date().timeIntervalSince1970 * 1_000)
        let started = ContinuousClock.now
        let result: Result<CollectOutcome, CollectError>
        do {
            result = .success(try await collector.collect(timestamp: timestamp))
        } catch {
            result = .failure(error)
        }
        await sink.collected(collector: collector.name, result: result, timestamp: timestamp, duration: .now - started)
    }
}

/// Which collectors have a run in flight, shared between the loop and the runs.
private final class InFlight: Sendable {
    private let indexes = Mutex(Set<Int>())

    /// False when the collector is already running.
    func start(_ index: Int) -> Bool { indexes.withLock { $0.insert(index).inserted } }
    func finish(_ index: Int) { indexes.withLock { _ = $0.remove(index) } }
}
