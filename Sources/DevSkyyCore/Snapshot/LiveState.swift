/// The daemon's live picture: latest samples per collector, collector and Redis status, health.
///
/// A value type driven by events from the scheduler and writer; `snapshot(now:)` renders it.
public struct LiveState: Sendable {
    private let config: DaemonConfig
    private var evaluator: HealthEvaluator
    /// Per collector, in configuration order (see `position`): the last run's samples and the status. Arrays, so
    /// a snapshot shares the statuses as they are instead of looking up a thousand names a second.
    private var latest: [[Sample]]
    fileprivate var statuses: [CollectorStatus]
    private let position: [String: Int]
    private var redis: RedisStatus
    /// Per collector, in ms: its partnership's staleness window, computed once.
    private let staleness: [Int64]
    /// Per collector, the index of its partnership in `config.partnerships` (nil for one not declared).
    private let partnershipIndex: [Int?]
    /// Per collector, its last run's value of its partnership's key metric: found as the run is recorded, so a
    /// snapshot need not read every sample to find it.
    private var keyValues: [Double?]
    /// Transitions not yet drained, oldest first.
    private var events: [HealthEvent] = []
    /// Each partnership's label in the last snapshot; empty before the first.
    private var labels: [String: HealthLabel] = [:]

    /// - Parameters:
    ///   - healthStates: metric states saved before a restart (see `healthStates`).
    ///   - startedAt: unix ms; when metrics without a saved state begin `unknown`.
    public init(config: DaemonConfig, healthStates: [MetricKey: MetricHealth] = [:], startedAt: Int64 = Timestamp.now()) {
        self.config = config
        self.evaluator = HealthEvaluator(rules: config.thresholds, restoring: healthStates, startedAt: startedAt)
        self.statuses = config.collectors.map { CollectorStatus(name: $0.name, partnership: $0.partnership) }
        self.latest = Array(repeating: [], count: config.collectors.count)
        self.position = Dictionary(config.collectors.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.redis = RedisStatus(endpoint: config.redis.endpoint.description)
        let windows = config.stalenessWindows().mapValues(\.milliseconds)
        self.staleness = config.collectors.map { windows[$0.partnership] ?? 60_000 }
        let declared = Dictionary(config.partnerships.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.partnershipIndex = config.collectors.map { declared[$0.partnership] }
        self.keyValues = Array(repeating: nil, count: config.collectors.count)
    }

    public mutating func recordSuccess(
        collector: String, samples: [Sample], at time: Int64, duration: Duration, droppedSeries: Int = 0,
        rateLimitRemaining: Int? = nil
    ) {
        if let index = position[collector] {
            latest[index] = samples
            let keyMetric = partnershipIndex[index].map { config.partnerships[$0].keyMetric }
            keyValues[index] = samples.last { $0.labels.isEmpty && $0.metric == keyMetric }?.value
        }
        if let status = collectorStatus(collector), !status.up, status.runs > 0 {
            record(
                .init(
                    time: time, kind: .collector, entity: collector, partnership: status.partnership, from: "down", to: "up",
                    reason: "run succeeded"))
        }
        for sample in samples where sample.labels.isEmpty {
            if let event = evaluator.observe(
                partnership: sample.partnership, metric: sample.metric, value: sample.value, at: sample.timestamp)
            {
                record(event)
            }
        }
        update(collector) {
            $0.up = true
            $0.lastError = nil
            $0.lastAttempt = time
            $0.lastSuccess = time
            $0.lastDuration = duration
            $0.lastSampleCount = samples.count
            $0.samplesTotal += samples.count
            $0.lastDroppedSeries = droppedSeries
            $0.droppedSeriesTotal += droppedSeries
            if let rateLimitRemaining { $0.rateLimitRemaining = rateLimitRemaining }
            $0.runs += 1
        }
    }

    /// A failed run marks only this collector down; its last values stay until they go stale.
    public mutating func recordFailure(
        collector: String, error: String, reason: String = "error", at time: Int64, duration: Duration, rateLimitRemaining: Int? = nil
    ) {
        // A first run that fails is an event too: the collector never came up.
        if let status = collectorStatus(collector), status.up || status.runs == 0 {
            record(
                .init(
                    time: time, kind: .collector, entity: collector, partnership: status.partnership, from: status.up ? "up" : "unknown",
                    to: "down", reason: error))
        }
        update(collector) {
            $0.errorsByReason[reason, default: 0] += 1
            if let rateLimitRemaining { $0.rateLimitRemaining = rateLimitRemaining }
            $0.up = false
            $0.lastError = error
            $0.lastAttempt = time
            $0.lastDuration = duration
            $0.lastSampleCount = 0
            $0.runs += 1
            $0.failures += 1
        }
    }

    public mutating func recordRedis(up: Bool, error: String?) {
        redis.up = up
        redis.lastError = error
    }

    public var redisStatus: RedisStatus { redis }

    fileprivate mutating func update(_ name: String, _ change: (inout CollectorStatus) -> Void) {
        guard let index = position[name] else { return }
        change(&statuses[index])
    }

    /// Renders the state. Called every second with thousands of samples: each run's sample array is
    /// kept whole (a run's samples share one timestamp, so one check decides freshness) and shared,
    /// never sorted or copied per sample here; renderers order what they need.
    public mutating func snapshot(now: Int64) -> Snapshot {
        for event in evaluator.check(now: now) { record(event) }
        var fresh = SampleGroups()
        var byPartnership = Array(repeating: SampleGroups(), count: config.partnerships.count)
        var keyValue: [Double?] = Array(repeating: nil, count: config.partnerships.count)
        var newest: [Int64?] = Array(repeating: nil, count: config.partnerships.count)
        for index in latest.indices {
            let samples = latest[index]
            guard let first = samples.first, now - first.timestamp <= staleness[index] else { continue }
            fresh.append(samples)
            guard let partnership = partnershipIndex[index] else { continue }
            byPartnership[partnership].append(samples)
            // Later collectors win, as a later sample did when every sample was read here.
            if let value = keyValues[index] { keyValue[partnership] = value }
            newest[partnership] = max(newest[partnership] ?? first.timestamp, first.timestamp)
        }
        var views: [Snapshot.PartnershipView] = []
        for (slot, partnership) in config.partnerships.enumerated() {
            let samples = byPartnership[slot]
            let health = evaluator.health(partnership: partnership.id, hasData: !samples.isEmpty, now: now)
            recordLabel(of: partnership.id, health, at: now)
            views.append(
                .init(
                    partnership: partnership, health: health, samples: samples,
                    keyValue: keyValue[slot], lastUpdated: newest[slot]
                )
            )
        }
        return Snapshot(
            generatedAt: now,
            status: HealthEvaluator.systemStatus(labels: views.map(\.health.label), redisUp: redis.up ?? false),
            redis: redis,
            partnerships: views,
            collectors: statuses,
            samples: fresh
        )
    }
}

extension LiveState {
    public func collectorStatus(_ name: String) -> CollectorStatus? { position[name].map { statuses[$0] } }

    public mutating func recordSkip(collector: String, reason: String, count: Int = 1) {
        update(collector) { $0.skippedTicks[reason, default: 0] += count }
    }

    /// Keeps the collector up but records what it could not extract.
    public mutating func recordProblems(collector: String, _ problems: [String]) {
        update(collector) { $0.lastError = problems.joined(separator: "; ") }
    }
}

extension LiveState {
    /// Every metric's health state, to persist across restarts and pass back as `healthStates`.
    public var healthStates: [MetricKey: MetricHealth] { evaluator.states }

    /// The transitions since the last call, oldest first: metric states, partnership labels, collectors up and down.
    public mutating func drainEvents() -> [HealthEvent] {
        let drained = events
        events = []
        return drained
    }

    /// At most this many undrained events are kept, so a state nobody drains cannot grow without end.
    static let eventLimit = 10_000

    fileprivate mutating func record(_ event: HealthEvent) {
        if events.count >= Self.eventLimit { events.removeFirst(events.count - Self.eventLimit + 1) }
        events.append(event)
    }

    /// A partnership event when the label differs from the last snapshot's (not on the first snapshot).
    fileprivate mutating func recordLabel(of partnership: String, _ health: PartnershipHealth, at now: Int64) {
        let previous = labels.updateValue(health.label, forKey: partnership)
        guard let previous, previous != health.label else { return }
        let why = health.reasons.map(\.message).joined(separator: "; ")
        record(
            .init(
                time: now, kind: .partnership, entity: partnership, partnership: partnership, from: previous.rawValue,
                to: health.label.rawValue, value: health.score,
                reason: "score \(health.score.compactText)" + (why.isEmpty ? "" : ": \(why)")))
    }
}
