import DevSkyyCore
import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Runs each collector at its interval: first right at start, then on a grid shifted by a stable
/// per-collector offset (so start times spread over the interval and stay put across restarts).
/// Ticks never drift; a tick that finds the previous run still going, or the collector backing off,
/// is skipped and reported. At most `maxInFlight` runs fetch at once.
///
/// Its loop also sends the watchdog heartbeat, so a stuck scheduler stops the heartbeat.
public struct Scheduler: Service {
    private let collectors: [any Collector]
    private let sink: any CollectionSink
    private let heartbeat: (interval: Duration, send: @Sendable () -> Void)?
    private let maxInFlight: Int
    private let backoffCap: Duration
    private let logger: Logger

    public init(
        collectors: [any Collector], sink: any CollectionSink, maxInFlight: Int = 64, backoffCap: Duration = .seconds(300),
        heartbeat: (interval: Duration, send: @Sendable () -> Void)?, logger: Logger
    ) {
        self.collectors = collectors
        self.sink = sink
        self.maxInFlight = maxInFlight
        self.backoffCap = backoffCap
        self.heartbeat = heartbeat
        self.logger = logger
    }

    /// The collector's offset into its interval, from its name: stable across restarts.
    public static func offset(name: String, interval: Duration) -> Int64 {
        Int64(FNV1a.hash(name.utf8) % UInt64(max(1, interval.milliseconds)))
    }

    /// How long ticks may wait to start together: a fortieth of the shortest interval, or, where ticks are sparse,
    /// long enough for about `ticksPerWakeUp` of them up to a tenth of the shortest interval; between 25 and 250 ms.
    /// Every wake-up costs the fetch thread and the task pool a round of context switches, so gathering more ticks
    /// per wake-up saves more than the delay costs: 50 collectors every second wake up 10 times a second, not 40.
    /// - Parameter intervals: every collector's interval in milliseconds.
    static func gatheringWindow(intervals: [Int64]) -> Duration {
        let shortest = max(1, intervals.min() ?? 1_000)
        let ticksPerSecond = intervals.reduce(0.0) { $0 + 1_000 / Double(max(1, $1)) }
        let sparse =
            ticksPerSecond > 0
            ? Checked.int64(1_000 * ticksPerWakeUp / ticksPerSecond, clampedTo: 0...shortest) ?? shortest : shortest
        return .milliseconds(min(250, max(25, shortest / 40, min(shortest / 10, sparse))))
    }

    /// Ticks a wake-up gathers where collectors are few.
    static let ticksPerWakeUp = 8.0

    /// The first grid tick of a collector strictly after `time` (unix ms).
    static func nextTick(after time: Int64, interval: Int64, offset: Int64) -> Int64 {
        let steps = (time - offset) / interval + 1
        return offset + steps * interval
    }

    public func run() async {
        // One watcher for the whole loop, which then sleeps plainly: wrapping each sleep in its own watcher cost
        // two child tasks and their wake-ups per tick. Runs in flight when the loop is cancelled still finish
        // (nothing in a run stops on cancellation), and leaving the group below waits for them.
        await cancelWhenGracefulShutdown { await schedule() }
    }

    private func schedule() async {
        let clock = ContinuousClock()
        let startInstant = clock.now
        let startWall = Timestamp.now()
        func instant(_ wall: Int64) -> ContinuousClock.Instant { startInstant + .milliseconds(wall - startWall) }
        // The scheduler's own time in unix ms: the loop's ticks and the runs' gates read the same timeline.
        let timeline: @Sendable () -> Int64 = { startWall + (ContinuousClock.now - startInstant).milliseconds }
        let intervals = collectors.map { max(1, $0.interval.milliseconds) }
        let offsets = collectors.map { Self.offset(name: $0.name, interval: $0.interval) }
        let gather = Self.gatheringWindow(intervals: intervals)
        // The first run is now; the next is the first grid tick at least half an interval later.
        var due = Array(repeating: startWall, count: collectors.count)
        let state = SchedulerState(gates: collectors.map { RunGate(interval: $0.interval, cap: backoffCap) })
        let slots = FetchSlots(limit: maxInFlight)
        var nextHeartbeat = startInstant
        await withDiscardingTaskGroup { group in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                // The grid and the gates run on the monotonic clock (wall time at start plus elapsed time), so a
                // clock step or NTP slew neither stalls collection nor floods it: stepped back an hour, a
                // collector in backoff used to wait that hour.
                let now = timeline()
                for index in collectors.indices where due[index] <= now {
                    let collector = collectors[index]
                    let tick = due[index]
                    let first = tick == startWall
                    due[index] = Self.nextTick(
                        after: first ? now + intervals[index] / 2 : now, interval: intervals[index], offset: offsets[index]
                    )
                    let missed = first ? 0 : Int((now - tick) / intervals[index])
                    if missed > 0 { group.addTask { await sink.skipped(collector: collector.name, reason: .late, count: missed) } }
                    if let pause = state.blocked(index, now: now) {
                        let reason: SkipReason = pause == .backoff ? .backoff : .rateLimited
                        group.addTask { await sink.skipped(collector: collector.name, reason: reason, count: 1) }
                        continue
                    }
                    guard state.start(index) else {
                        group.addTask { await sink.skipped(collector: collector.name, reason: .inFlight, count: 1) }
                        continue
                    }
                    group.addTask {
                        await runOnce(collector, index: index, state: state, slots: slots, timeline: timeline)
                    }
                }
                // Ticks due within one gathering window are taken together: thousands of collectors do not
                // mean thousands of wake-ups (each scanning every collector, each waking the fetch thread) a second.
                var wake = max(instant(due.min() ?? now + 1_000), clock.now + gather)
                if let heartbeat {
                    if nextHeartbeat <= clock.now {
                        heartbeat.send()
                        nextHeartbeat = clock.now + heartbeat.interval
                    }
                    wake = min(wake, nextHeartbeat)
                }
                try? await Task.sleep(until: wake, clock: clock)
            }
            // Leaving the group waits for runs in flight: their fetches are bounded by their timeouts.
        }
    }

    /// Fetches within a slot, then hands the result on with the slot already free.
    /// - Parameter timeline: the scheduler's monotonic time in unix ms, which the gates run on.
    private func runOnce(
        _ collector: any Collector, index: Int, state: SchedulerState, slots: FetchSlots, timeline: @Sendable () -> Int64
    ) async {
        await slots.acquire()
        let timestamp = Timestamp.now()
        let started = ContinuousClock.now
        let result: Result<CollectOutcome, CollectError>
        do {
            result = .success(try await collector.collect(timestamp: timestamp))
        } catch {
            result = .failure(error)
        }
        slots.release()
        state.record(index, result, now: timeline(), wallNow: Timestamp.now())
        defer { state.finish(index) }
        await sink.collected(collector: collector.name, result: result, timestamp: timestamp, duration: ContinuousClock.now - started)
    }
}

/// What the loop and the runs share: which collectors have a run going, and their gates.
private final class SchedulerState: Sendable {
    private struct Shared {
        var running: Set<Int> = []
        var gates: [RunGate]
    }

    private let shared: NIOLockedValueBox<Shared>

    init(gates: [RunGate]) {
        shared = NIOLockedValueBox(Shared(gates: gates))
    }

    /// False when the collector is already running.
    func start(_ index: Int) -> Bool { shared.withLockedValue { $0.running.insert(index).inserted } }
    func finish(_ index: Int) { shared.withLockedValue { _ = $0.running.remove(index) } }
    func blocked(_ index: Int, now: Int64) -> RunGate.Pause? { shared.withLockedValue { $0.gates[index].blocked(now: now) } }

    /// - Parameters:
    ///   - now: the scheduler's monotonic time (unix ms at its start plus elapsed time).
    ///   - wallNow: the wall clock now: a rate-limit reset is a wall time, moved onto the monotonic timeline.
    func record(_ index: Int, _ result: Result<CollectOutcome, CollectError>, now: Int64, wallNow: Int64) {
        func onTimeline(_ limit: RateLimit?) -> RateLimit? {
            guard var limit else { return nil }
            limit.resetAt = limit.resetAt.map { Checked.adding($0, Checked.adding(now, -wallNow)) }
            return limit
        }
        shared.withLockedValue {
            switch result {
            case .success(let outcome): $0.gates[index].succeeded(now: now, rateLimit: onTimeline(outcome.rateLimit))
            case .failure(let error):
                $0.gates[index].failed(
                    now: now, retryAfter: error.retryAfter, rateLimit: onTimeline(error.rateLimit), jitter: Double.random(in: 0...1))
            }
        }
    }
}
