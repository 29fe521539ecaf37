/// Holds one `MetricHealth` per threshold rule, feeds it samples and the clock, and rolls the
/// states up into partnership health.
///
/// A value type: the live state owns it; its states are exported and restored across restarts.
public struct HealthEvaluator: Sendable {
    private let rules: [ThresholdRule]
    private var machines: [MetricHealth]
    /// Rule index by metric: `observe` runs for every sample, so it is one lookup.
    private let index: [MetricKey: Int]
    private let byPartnership: [String: [Int]]

    /// - Parameters:
    ///   - rules: one per metric; a second rule for the same metric is ignored (the decoder refuses it).
    ///   - saved: states from before a restart, by metric; rules without one start `unknown`.
    ///   - startedAt: unix ms when new states begin, from which missing data is counted.
    public init(rules: [ThresholdRule], restoring saved: [MetricKey: MetricHealth] = [:], startedAt: Int64) {
        var unique: [ThresholdRule] = []
        var index: [MetricKey: Int] = [:]
        var byPartnership: [String: [Int]] = [:]
        for rule in rules {
            let key = rule.key
            guard index[key] == nil else { continue }
            index[key] = unique.count
            byPartnership[rule.partnership, default: []].append(unique.count)
            unique.append(rule)
        }
        self.rules = unique
        self.index = index
        self.byPartnership = byPartnership
        self.machines = unique.map { rule in
            guard let restored = saved[rule.key] else {
                return MetricHealth(since: startedAt)
            }
            // The time the daemon was down is not missing data (collectd issue 4114 is what follows from
            // counting it: every restart resolving and re-firing alerts): the restored state counts as
            // sampled at the start, so its firing level, hysteresis and keep_firing_for carry on.
            return MetricHealth(
                state: restored.state, since: restored.since, value: restored.value,
                lastSampleAt: restored.lastSampleAt.map { max($0, startedAt) }
            )
        }
    }

    /// Every rule's state, for persistence across restarts.
    public var states: [MetricKey: MetricHealth] {
        Dictionary(uniqueKeysWithValues: zip(rules, machines).map { ($0.key, $1) })
    }

    public func state(partnership: String, metric: String) -> MetricHealth? {
        index[MetricKey(partnership: partnership, metric: metric)].map { machines[$0] }
    }

    /// Feeds one unlabeled sample; nil unless it has a rule whose state changed.
    public mutating func observe(partnership: String, metric: String, value: Double, at time: Int64) -> HealthEvent? {
        guard let i = index[MetricKey(partnership: partnership, metric: metric)] else { return nil }
        return machines[i].observe(value, at: time, rule: rules[i]).map { Self.event(rules[i], $0) }
    }

    /// Moves every state on with the clock: missing data, `for` and keep_firing_for elapsing.
    public mutating func check(now: Int64) -> [HealthEvent] {
        var events: [HealthEvent] = []
        for i in machines.indices {
            if let transition = machines[i].check(now: now, rule: rules[i]) { events.append(Self.event(rules[i], transition)) }
        }
        return events
    }

    /// A partnership's label, score and reasons from its metrics' current states.
    /// - Parameters:
    ///   - hasData: whether any collector of the partnership has fresh data.
    ///   - now: unix ms, for how long data has been missing.
    public func health(partnership: String, hasData: Bool, now: Int64) -> PartnershipHealth {
        var states: [String: MetricState] = [:]
        var weighted: [(state: MetricState, weight: Double)] = []
        var reasons: [HealthReason] = []
        for i in byPartnership[partnership] ?? [] {
            let machine = machines[i]
            states[rules[i].metric] = machine.state
            weighted.append((machine.state, rules[i].weight))
            if let reason = machine.reason(rule: rules[i], now: now) { reasons.append(reason) }
        }
        let score = Self.score(weighted, hasData: hasData)
        if !hasData && weighted.isEmpty {
            reasons.append(.init(metric: "", state: .unknown, value: nil, message: "no fresh data from any collector"))
        }
        return PartnershipHealth(
            label: Self.label(states: weighted.map(\.state), score: score, hasData: hasData), score: score, states: states,
            reasons: reasons
        )
    }

    private static func event(_ rule: ThresholdRule, _ transition: MetricTransition) -> HealthEvent {
        HealthEvent(
            time: transition.at, kind: .metric, entity: rule.key.description, partnership: rule.partnership,
            metric: rule.metric, from: transition.from.rawValue, to: transition.to.rawValue, value: transition.value,
            reason: transition.reason
        )
    }
}
