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

    public init(config: DaemonConfig) {
        self.config = config
        self.evaluator = HealthEvaluator(rules: config.thresholds)
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

    /// Renders the state. Called several times a second with thousands of samples: samples are
    /// appended run by run (a run's samples share one timestamp, so one check decides freshness)
    /// and never sorted or copied per sample here; renderers order what they need.
    public mutating func snapshot(now: Int64) -> Snapshot {
        var fresh: [Sample] = []
        var byPartnership: [String: [Sample]] = [:]
        for collector in order {
            guard let samples = latest[collector.name], let first = samples.first else { continue }
            let window = staleness[collector.partnership] ?? 60_000
            guard now - first.timestamp <= window else { continue }
            fresh += samples
            byPartnership[collector.partnership, default: []] += samples
        }
        var views: [Snapshot.PartnershipView] = []
        for partnership in config.partnerships {
            let samples = byPartnership[partnership.id] ?? []
            var values: [String: Double] = [:]
            var newest: Int64?
            for sample in samples {
                if sample.labels.isEmpty { values[sample.metric] = sample.value }
                newest = max(newest ?? sample.timestamp, sample.timestamp)
            }
            let health = evaluator.evaluate(partnership: partnership.id, values: values, hasData: !samples.isEmpty, now: now)
            views.append(
                .init(
                    partnership: partnership, health: health, samples: samples,
                    keyValue: partnership.keyMetric.flatMap { values[$0] }, lastUpdated: newest
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
