/// An alert's identity is its metric's key: at most one alert per partnership metric fires at a time.
extension MetricKey: Comparable {
    /// The key of a `metric` event; nil for other kinds.
    public init?(_ event: HealthEvent) {
        guard event.kind == .metric, let partnership = event.partnership, let metric = event.metric else { return nil }
        self.init(partnership: partnership, metric: metric)
    }

    public static func < (a: MetricKey, b: MetricKey) -> Bool { (a.partnership, a.metric) < (b.partnership, b.metric) }
}

/// The metric states that fire an alert; the alert's severity is the state.
public enum AlertSeverity: String, Sendable, CaseIterable {
    case warning, critical
}

/// An alert that was firing when the daemon stopped, handed back at start so nothing is sent twice.
public struct RestoredAlert: Sendable, Equatable {
    public var key: MetricKey
    public var severity: AlertSeverity
    /// Unix ms when it started firing.
    public var startsAt: Int64

    public init(partnership: String, metric: String, severity: AlertSeverity, startsAt: Int64) {
        self.key = MetricKey(partnership: partnership, metric: metric)
        self.severity = severity
        self.startsAt = startsAt
    }
}
