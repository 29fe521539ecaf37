import DevSkyyCore
import Foundation

/// Runs one collector once, on its own (no shared state, nothing written), and explains the result.
public struct CollectorExplainer: Sendable {
    private let collectors: [CollectorConfig]
    private let engine: CurlEngine
    private let keys: RedisKeys

    public init(collectors: [CollectorConfig], engine: CurlEngine, keys: RedisKeys) {
        self.collectors = collectors
        self.engine = engine
        self.keys = keys
    }

    /// Nil when no collector has this name.
    public func explain(_ name: String) async -> Explanation? {
        guard let config = collectors.first(where: { $0.name == name }) else { return nil }
        // A fresh collector: no remembered ETag, known series or token of the running one is touched.
        let collector = HTTPCollector(config: config, engine: engine)
        let started = ContinuousClock.now
        let result: Result<CollectOutcome, CollectError>
        do {
            result = .success(try await collector.collect(timestamp: Timestamp.now()))
        } catch {
            result = .failure(error)
        }
        let duration = (ContinuousClock.now - started).seconds
        let outcome = try? result.get()
        let samples = outcome?.samples ?? []
        var problems = outcome?.problems ?? []
        var metrics: [Explanation.Metric] = []
        let specs: [(name: String, path: String, unit: String?)] =
            config.format == .json
            ? config.metrics.map { ($0.name, $0.path, $0.unit) }
            : Array(Set(samples.map(\.metric))).sorted().map { ($0, "(exposition)", nil) }
        for spec in specs {
            let own = problems.filter { $0.hasPrefix("\(spec.name):") }
            problems.removeAll { $0.hasPrefix("\(spec.name):") }
            metrics.append(
                .init(
                    name: spec.name, path: spec.path, unit: spec.unit,
                    matches: samples.filter { $0.metric == spec.name }.map {
                        .init(series: $0.series, value: $0.value, redisKey: keys.series($0.series))
                    },
                    problems: own
                )
            )
        }
        var error: String?
        if case .failure(let failure) = result { error = "\(failure.reason): \(failure.message)" }
        return Explanation(
            collector: config.name, partnership: config.partnership, source: URLRedaction.redacted(config.url),
            format: config.format.rawValue, error: error, durationSeconds: duration, pages: outcome?.pages ?? 0,
            droppedSeries: outcome?.droppedSeries ?? 0, metrics: metrics, problems: problems, latestKey: keys.latest(config.partnership)
        )
    }
}
