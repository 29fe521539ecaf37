/// The health of one metric.
public enum MetricState: String, Sendable, Equatable, CaseIterable {
    case ok, warning, critical, unknown

    /// Points towards a partnership's score (see the README's health section).
    var points: Double {
        switch self {
        case .ok: 100
        case .warning: 60
        case .unknown: 50
        case .critical: 0
        }
    }
}

/// A partnership's health label, as in the seeds.
public enum HealthLabel: String, Sendable, Equatable, CaseIterable {
    case excellent, good, degraded, critical
}

/// The whole system's status, as in the seeds.
public enum SystemStatus: String, Sendable, Equatable, CaseIterable {
    case healthy, degraded, critical
}

/// Why a metric is not ok.
public struct HealthReason: Sendable, Equatable {
    public var metric: String
    public var state: MetricState
    public var value: Double?
    public var message: String

    public init(metric: String, state: MetricState, value: Double?, message: String) {
        self.metric = metric
        self.state = state
        self.value = value
        self.message = message
    }
}

/// A partnership's evaluated health.
public struct PartnershipHealth: Sendable, Equatable {
    public var label: HealthLabel
    /// 0 to 100.
    public var score: Double
    public var states: [String: MetricState]
    public var reasons: [HealthReason]
}
