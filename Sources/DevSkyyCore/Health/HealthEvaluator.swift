/// Turns latest values and threshold rules into metric states, partnership labels and a system status.
///
/// A value type: it remembers only when each breach started, for the rules' `for` durations.
public struct HealthEvaluator: Sendable {
    private let rules: [String: [ThresholdRule]]
    private var breachStart: [String: Int64] = [:]

    public init(rules: [ThresholdRule]) {
        self.rules = Dictionary(grouping: rules, by: \.partnership)
    }

    /// Evaluates one partnership.
    /// - Parameters:
    ///   - values: the partnership's fresh metric values (stale ones left out), by metric name.
    ///   - hasData: whether any collector of the partnership has fresh data.
    ///   - now: unix milliseconds.
    public mutating func evaluate(partnership: String, values: [String: Double], hasData: Bool, now: Int64) -> PartnershipHealth {
        var states: [String: MetricState] = [:]
        var reasons: [HealthReason] = []
        for rule in rules[partnership] ?? [] {
            let key = "\(partnership).\(rule.metric)"
            guard let value = values[rule.metric] else {
                breachStart[key] = nil
                states[rule.metric] = .unknown
                reasons.append(.init(metric: rule.metric, state: .unknown, value: nil, message: "no fresh value"))
                continue
            }
            let breach =
                rule.critical?.breach(by: value).map { (MetricState.critical, $0) }
                ?? rule.warning?.breach(by: value).map { (MetricState.warning, $0) }
            guard let (level, crossed) = breach else {
                breachStart[key] = nil
                states[rule.metric] = .ok
                continue
            }
            let since = breachStart[key] ?? now
            breachStart[key] = since
            if now - since >= rule.forDuration.milliseconds {
                states[rule.metric] = level
                reasons.append(
                    .init(
                        metric: rule.metric, state: level, value: value,
                        message: "\(rule.metric) \(value.compactText) \(crossed.comparison) \(crossed.bound.compactText)"
                    )
                )
            } else {
                states[rule.metric] = .ok
            }
        }
        return Self.rollUp(states: states, reasons: reasons, hasData: hasData)
    }

    /// The label and score of a partnership from its metric states (documented in the README).
    public static func rollUp(states: [String: MetricState], reasons: [HealthReason], hasData: Bool) -> PartnershipHealth {
        let all = Array(states.values)
        let score: Double
        if all.isEmpty {
            score = hasData ? 100 : MetricState.unknown.points
        } else {
            score = all.map(\.points).reduce(0, +) / Double(all.count)
        }
        let label: HealthLabel
        if all.contains(.critical) {
            label = .critical
        } else if all.contains(.warning) || score < 70 {
            label = .degraded
        } else if all.contains(.unknown) || !hasData {
            label = .good
        } else {
            label = .excellent
        }
        var reasons = reasons
        if !hasData && all.isEmpty {
            reasons.append(.init(metric: "", state: .unknown, value: nil, message: "no fresh data from any collector"))
        }
        return PartnershipHealth(label: label, score: (score * 10).rounded() / 10, states: states, reasons: reasons)
    }

    /// The system status: the worst partnership, degraded at least while Redis is down.
    public static func systemStatus(labels: [HealthLabel], redisUp: Bool) -> SystemStatus {
        if labels.contains(.critical) { return .critical }
        if labels.contains(.degraded) || !redisUp { return .degraded }
        return .healthy
    }
}
