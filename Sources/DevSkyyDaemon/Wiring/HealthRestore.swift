import DevSkyyCore
import DevSkyyStore
import Logging

/// Reads the health states saved before a restart, so the daemon resumes them instead of starting every
/// metric at `unknown` (which would resolve and re-fire every alert).
enum HealthRestore {
    /// The saved states of the configured rules; none when Redis cannot be read (every metric then starts unknown).
    static func load(
        from store: HealthStateStore, config: DaemonConfig, logger: Logger, attempts: Int = 3, pause: Duration = .seconds(1)
    ) async -> [MetricKey: MetricHealth] {
        let ruled = Set(config.thresholds.map(\.key))
        guard !ruled.isEmpty else { return [:] }
        let partnerships = Array(Set(ruled.map(\.partnership))).sorted()
        var records: [HealthStateStore.MetricRecord] = []
        // Redis may be starting alongside the daemon (both at boot): a few tries before giving up.
        for attempt in 1...attempts {
            do {
                records = try await store.load(partnerships: partnerships)
                break
            } catch {
                guard attempt < attempts else {
                    logger.warning("health states not restored, every metric starts unknown: \(error.message)")
                    return [:]
                }
                try? await Task.sleep(for: pause)
            }
        }
        var states: [MetricKey: MetricHealth] = [:]
        for record in records {
            let key = MetricKey(partnership: record.partnership, metric: record.metric)
            // A rule removed since, or a state this version does not know, starts afresh.
            guard ruled.contains(key), let state = MetricState(rawValue: record.state) else { continue }
            states[key] = MetricHealth(state: state, since: record.since, value: record.value, lastSampleAt: record.lastSampleAt)
        }
        if !states.isEmpty { logger.info("restored \(states.count) health states") }
        return states
    }

    /// The alerts that were firing: the notifiers treat them as already sent.
    static func firing(_ states: [MetricKey: MetricHealth]) -> [RestoredAlert] {
        states.compactMap { key, health in
            AlertSeverity(rawValue: health.state.rawValue).map {
                RestoredAlert(partnership: key.partnership, metric: key.metric, severity: $0, startsAt: health.since)
            }
        }
    }
}
