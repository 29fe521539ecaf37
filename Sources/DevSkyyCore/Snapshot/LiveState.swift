/// The daemon's live picture: latest samples per collector, collector and Redis status, health.
///
/// A value type driven by events from the scheduler and writer; `snapshot(now:)` renders it.
public struct LiveState: Sendable {
    private let config: DaemonConfig
    private var evaluator: HealthEvaluator
    private var latest: [String: [Sample]] = [:]
    fileprivate var collectors: [String: CollectorStatus]
    private var redis: RedisStatus
    /// Per partnership, in ms: computed once, as snapshots are rendered many times a second.
    private let staleness: [String: Int64]
    /// Collector names and partnerships in configuration order, without copying whole configs per snapshot.
    private let order: [(name: String, partnership: String)]
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
        self.collectors = Dictionary(
            uniqueKeysWithValues: config.collectors.map { ($0.name, CollectorStatus(name: $0.name, partnership: $0.partnership)) }
        )
        self.redis = RedisStatus(endpoint: config.redis.endpoint.description)
        self.staleness = config.stalenessWindows().mapValues(\.milliseconds)
        self.order = config.collectors.map { ($0.name, $0.partnership) }
    }

    public mutating func recordSuccess(
        collector: String, samples: [Sample], at time: Int64, duration: Duration, droppedSeries: Int = 0,
        rateLimitRemaining: Int? = nil
    ) {
        latest[collector] = samples
        if let status = collectors[collector], !status.up, status.runs > 0 {
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
        if let status = collectors[collector], status.up || status.runs == 0 {
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
        guard var status = collectors[name] else { return }
        change(&status)
        collectors[name] = status
    }

    /// Renders the state. Called every second with thousands of samples: each run's sample array is
    /// kept whole (a run's samples share one timestamp, so one check decides freshness) and shared,
    /// never sorted or copied per sample here; renderers order what they need.
    public mutating func snapshot(now: Int64) -> Snapshot {
        for event in evaluator.check(now: now) { record(event) }
        var fresh = SampleGroups()
        var byPartnership: [String: SampleGroups] = [:]
        for collector in order {
            guard let samples = latest[collector.name], let first = samples.first else { continue }
            let window = staleness[collector.partnership] ?? 60_000
            guard now - first.timestamp <= window else { continue }
            fresh.append(samples)
            byPartnership[collector.partnership, default: []].append(samples)
        }
        var views: [Snapshot.PartnershipView] = []
        for partnership in config.partnerships {
            let samples = byPartnership[partnership.id] ?? []
            var keyValue: Double?
            var newest: Int64?
            for sample in samples {
                if sample.labels.isEmpty && sample.metric == partnership.keyMetric { keyValue = sample.value }
                newest = max(newest ?? sample.timestamp, sample.timestamp)
            }
            let health = evaluator.health(partnership: partnership.id, hasData: !samples.isEmpty, now: now)
            recordLabel(of: partnership.id, health, at: now)
            views.append(
                .init(
                    partnership: partnership, health: health, samples: samples,
                    keyValue: keyValue, lastUpdated: newest
                )
            )
        }
        return Snapshot(
            generatedAt: now,
            status: HealthEvaluator.systemStatus(labels: views.map(\.health.label), redisUp: redis.up ?? false),
            redis: redis,
            partnerships: views,
            collectors: order.compactMap { collectors[$0.name] },
            samples: fresh
        )
    }
}

extension LiveState {
    public func collectorStatus(_ name: String) -> CollectorStatus? { collectors[name] }

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
