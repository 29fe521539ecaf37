extension HealthEvaluator {
    /// A partnership's score, 0 to 100 (one decimal): the weighted mean of its rules' points,
    /// `Σ weightᵢ · pointsᵢ / Σ weightᵢ`, with points ok 100, pending 90, warning 60, unknown 50,
    /// critical 0. Without rules: 100 with fresh data, 50 without.
    public static func score(_ weighted: [(state: MetricState, weight: Double)], hasData: Bool) -> Double {
        let total = weighted.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return hasData ? 100 : MetricState.unknown.points }
        let mean = weighted.reduce(0) { $0 + $1.weight * $1.state.points } / total
        return (mean * 10).rounded() / 10
    }

    /// A partnership's label: `critical` if any metric is critical; else `degraded` if any is warning
    /// or the score is below 70; else `good` if any is unknown or pending or there is no fresh data;
    /// else `excellent`.
    public static func label(states: [MetricState], score: Double, hasData: Bool) -> HealthLabel {
        if states.contains(.critical) { return .critical }
        if states.contains(.warning) || score < 70 { return .degraded }
        if states.contains(.unknown) || states.contains(.pending) || !hasData { return .good }
        return .excellent
    }

    /// The system status: the worst partnership, degraded at least while Redis is down.
    public static func systemStatus(labels: [HealthLabel], redisUp: Bool) -> SystemStatus {
        if labels.contains(.critical) { return .critical }
        if labels.contains(.degraded) || !redisUp { return .degraded }
        return .healthy
    }
}
