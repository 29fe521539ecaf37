/// The health of one metric.
public enum MetricState: String, Sendable, Equatable, CaseIterable {
    /// `pending`: breaching, but not yet for the rule's `for` and `hits`.
    case ok, pending, warning, critical, unknown

    /// Points towards a partnership's score (see `HealthEvaluator.score`).
    public var points: Double {
        switch self {
        case .ok: 100
        case .pending: 90
        case .warning: 60
        case .unknown: 50
        case .critical: 0
        }
    }

    /// Severity of a breach level: `critical` above `warning` above everything else.
    var rank: Int {
        switch self {
        case .critical: 2
        case .warning: 1
        default: 0
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
    /// The last value; nil when there is none or it is missing.
    public var value: Double?
    public var message: String
    /// The bound (or clear level) the value is measured against.
    public var bound: Double?
    /// Unix ms the metric entered its state.
    public var since: Int64?

    public init(metric: String, state: MetricState, value: Double?, message: String, bound: Double? = nil, since: Int64? = nil) {
        self.metric = metric
        self.state = state
        self.value = value
        self.message = message
        self.bound = bound
        self.since = since
    }
}

/// A partnership's evaluated health.
public struct PartnershipHealth: Sendable, Equatable {
    public var label: HealthLabel
    /// 0 to 100.
    public var score: Double
    public var states: [String: MetricState]
    public var reasons: [HealthReason]

    public init(label: HealthLabel, score: Double, states: [String: MetricState], reasons: [HealthReason]) {
        self.label = label
        self.score = score
        self.states = states
        self.reasons = reasons
    }
}
