import DevSkyyCollect
import DevSkyyCore
import DevSkyyServer
import DevSkyyStore
import DevSkyySystemd
import Foundation
import Logging
import ServiceLifecycle

/// The daemon's live state: receives collector results and Redis status, publishes snapshots,
/// hands samples to the writer and keeps systemd informed.
actor DaemonState: CollectionSink {
    private var live: LiveState
    private let store: SnapshotStore
    private let notifier: SystemdNotifier
    private let logger: Logger
    private var submit: (@Sendable ([Sample]) -> Void)?
    private var storeStatus: (@Sendable () -> StoreStatus)?
    private var onEvents: (@Sendable ([HealthEvent]) -> Void)?
    private var eventStatus: (@Sendable () -> EventStatus)?
    /// Partnerships whose health changed since it was last saved to Redis.
    private var healthChanged: Set<String> = []
    private var lastViews: [Snapshot.PartnershipView] = []
    private var startup: StartupGate
    private var lastSummary = ""
    private var dirty = false
    private var sequence = 0
    private var lastPublished = ContinuousClock.now

    init(
        config: DaemonConfig, store: SnapshotStore, notifier: SystemdNotifier, logger: Logger,
        healthStates: [MetricKey: MetricHealth] = [:]
    ) {
        self.live = LiveState(config: config, healthStates: healthStates)
        self.store = store
        self.notifier = notifier
        self.logger = logger
        let listeners = config.listen.enabledCount
        self.startup = StartupGate(listeners: listeners)
    }

    /// Where collected samples go once the writer exists, and where its counters are read.
    func attach(writer: @escaping @Sendable ([Sample]) -> Void, storeStatus: @escaping @Sendable () -> StoreStatus) {
        submit = writer
        self.storeStatus = storeStatus
    }

    /// Where health transitions go (the events stream, live subscribers, the alert notifiers) as they happen.
    func attach(events: @escaping @Sendable ([HealthEvent]) -> Void, status: @escaping @Sendable () -> EventStatus) {
        onEvents = events
        eventStatus = status
    }

    func collected(collector: String, result: Result<CollectOutcome, CollectError>, timestamp: Int64, duration: Duration) {
        switch result {
        case .success(let outcome):
            let wasDown = live.collectorStatus(collector).map { !$0.up && $0.runs > 0 } ?? false
            live.recordSuccess(
                collector: collector, samples: outcome.samples, at: timestamp, duration: duration, droppedSeries: outcome.droppedSeries,
                rateLimitRemaining: outcome.rateLimit?.remaining
            )
            if !outcome.problems.isEmpty { live.recordProblems(collector: collector, outcome.problems) }
            if wasDown { logger.info("collector recovered", metadata: ["collector": "\(collector)"]) }
            submit?(outcome.samples)
        case .failure(let error):
            let previous = live.collectorStatus(collector)
            let wasUp = previous.map { $0.up || $0.runs == 0 } ?? true
            live.recordFailure(
                collector: collector, error: error.message, reason: error.reason, at: timestamp, duration: duration,
                rateLimitRemaining: error.rateLimit?.remaining
            )
            if wasUp {
                logger.warning("collector down: \(error.message)", metadata: ["collector": "\(collector)", "reason": "\(error.reason)"])
            }
        }
        // Transitions go out at once (a subscriber sees them within the run that caused them); the
        // snapshot, which runs can finish thousands of times a second, waits for the publisher's beat.
        forwardEvents()
        dirty = true
    }

    private func forwardEvents() {
        let events = live.drainEvents()
        guard !events.isEmpty else { return }
        for event in events { if let partnership = event.partnership { healthChanged.insert(partnership) } }
        onEvents?(events)
    }

    /// The health of partnerships that changed since the last call, to save in Redis.
    func takeChangedHealth() -> [HealthStateStore.PartnershipRecord] {
        guard !healthChanged.isEmpty else { return [] }
        defer { healthChanged = [] }
        // One pass over the rules' states, whatever the number of partnerships that changed.
        var metrics: [String: [HealthStateStore.MetricRecord]] = [:]
        for (key, health) in live.healthStates where healthChanged.contains(key.partnership) {
            metrics[key.partnership, default: []].append(
                HealthStateStore.MetricRecord(
                    partnership: key.partnership, metric: key.metric, state: health.state.rawValue, since: health.since,
                    value: health.value, lastSampleAt: health.lastSampleAt))
        }
        let now = Timestamp.now()
        return lastViews.filter { healthChanged.contains($0.partnership.id) }.map { view in
            .init(
                partnership: view.partnership.id, label: view.health.label.rawValue, score: view.health.score,
                reasons: view.health.reasons.map(\.message),
                metrics: (metrics[view.partnership.id] ?? []).sorted { $0.metric < $1.metric }, updated: now
            )
        }
    }

    /// Marks partnerships whose save failed, so the next beat tries again.
    func healthNotSaved(_ partnerships: [String]) {
        healthChanged.formUnion(partnerships)
    }

    func skipped(collector: String, reason: SkipReason, count: Int) {
        live.recordSkip(collector: collector, reason: reason.rawValue, count: count)
        dirty = true
    }

    /// Called after every write and probe: publishes at once only when Redis changed state
    /// (or the start is waiting for the first attempt), otherwise on the publisher's beat.
    func redis(up: Bool, error: String?) {
        let previous = live.redisStatus
        live.recordRedis(up: up, error: error)
        guard previous.up != up || previous.lastError != error || !startup.isReady else { return }
        if previous.up != up {
            if up {
                logger.info("redis up", metadata: ["redis": "\(live.redisStatus.endpoint)"])
            } else {
                logger.error("redis down: \(error ?? "unknown error")", metadata: ["redis": "\(live.redisStatus.endpoint)"])
            }
        }
        startup.redisAttempted()
        publish()
    }

    func listenerBound(_ description: String) {
        logger.info("listening on \(description)")
        startup.listenerBound()
        publish()
    }

    /// A new snapshot when runs finished since the last one, and at least every second so stale values
    /// age out; the caller installs it (bodies are encoded later, on request, off this actor).
    func snapshotIfNeeded() -> Snapshot? {
        guard dirty || ContinuousClock.now - lastPublished >= .seconds(1) else { return nil }
        return takeSnapshot()
    }

    /// Renders and publishes a snapshot at once (for rare events: Redis changing state, a listener bound).
    func publish() {
        store.publish(takeSnapshot())
    }

    /// Tells systemd once ready, then whenever the summary changes.
    private func takeSnapshot() -> Snapshot {
        dirty = false
        lastPublished = .now
        var snapshot = live.snapshot(now: Timestamp.now())
        forwardEvents()
        lastViews = snapshot.partnerships
        if let storeStatus { snapshot.store = storeStatus() }
        if let eventStatus { snapshot.events = eventStatus() }
        sequence += 1
        snapshot.sequence = sequence
        defer { notify(snapshot) }
        return snapshot
    }

    private func notify(_ snapshot: Snapshot) {
        switch startup.check() {
        case .becameReady:
            lastSummary = snapshot.summary
            notifier.ready(status: snapshot.summary)
            logger.info("ready: \(snapshot.summary)")
            let released = MemoryTuning.releaseStartupPages()
            logger.debug("start-up pages of the executable handed back: \(released / 1_048_576) MiB of mappings")
        case .ready where snapshot.summary != lastSummary:
            lastSummary = snapshot.summary
            notifier.status(snapshot.summary)
        default:
            break
        }
    }
}

/// READY=1 waits for every listener to be bound and for the first attempt to reach Redis.
struct StartupGate {
    enum State { case waiting, becameReady, ready }

    private let listeners: Int
    private var bound = 0
    private var redisTried = false
    private var announced = false

    init(listeners: Int) {
        self.listeners = listeners
    }

    var isReady: Bool { announced }

    mutating func listenerBound() { bound += 1 }
    mutating func redisAttempted() { redisTried = true }

    mutating func check() -> State {
        if announced { return .ready }
        guard bound >= listeners, redisTried else { return .waiting }
        announced = true
        return .becameReady
    }
}

/// Renders the snapshot on a steady beat rather than after every collector run.
///
/// The beat stretches to ten times the last render's cost, so rendering never takes more than
/// about a tenth of a core however many series there are.
struct SnapshotPublisher: Service {
    let state: DaemonState
    let store: SnapshotStore
    let interval: Duration
    /// Where changed health is saved after each render; nil keeps it in memory only.
    var health: HealthStateStore?
    var logger: Logger

    func run() async {
        // The beat stretches to ten times the last render's cost.
        await Periodic.run(pause: { [interval] lastRun in max(interval, (lastRun ?? .zero) * 10) }) { [self] in
            if let snapshot = await state.snapshotIfNeeded() { store.publish(snapshot) }
            await saveHealth()
        }
        // The last changes before a stop, so the next start resumes from them: rendered first, so the
        // saved label, score and reasons include the last runs.
        await state.publish()
        await saveHealth()
    }

    /// Saves what changed; a failed save is retried on the next beat (the states stay in memory meanwhile).
    private func saveHealth() async {
        guard let health else { return }
        let records = await state.takeChangedHealth()
        guard !records.isEmpty else { return }
        do {
            try await health.save(records)
        } catch {
            logger.debug("health not saved yet: \(error.message)")
            await state.healthNotSaved(records.map(\.partnership))
        }
    }
}
