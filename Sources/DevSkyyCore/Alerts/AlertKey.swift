/// One alert's identity: a partnership's metric. At most one alert per key fires at a time.
public struct AlertKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var partnership: String
    public var metric: String

    public init(partnership: String, metric: String) {
        self.partnership = partnership
        self.metric = metric
    }

    /// The key of a `metric` event; nil for other kinds. Falls back on the `partnership.metric` entity.
    public init?(_ event: HealthEvent) {
        guard event.kind == .metric else { return nil }
        if let partnership = event.partnership, let metric = event.metric {
            self.init(partnership: partnership, metric: metric)
        } else if let dot = event.entity.firstIndex(of: ".") {
            self.init(partnership: String(event.entity[..<dot]), metric: String(event.entity[event.entity.index(after: dot)...]))
        } else {
            return nil
        }
    }

    public var description: String { "\(partnership).\(metric)" }

    public static func < (a: AlertKey, b: AlertKey) -> Bool { (a.partnership, a.metric) < (b.partnership, b.metric) }
}

/// The metric states that fire an alert; the alert's severity is the state.
public enum AlertSeverity: String, Sendable, CaseIterable {
    case warning, critical
}

/// An alert that was firing when the daemon stopped, handed back at start so nothing is sent twice.
public struct RestoredAlert: Sendable, Equatable {
    public var key: AlertKey
    public var severity: AlertSeverity
    /// Unix ms when it started firing.
    public var startsAt: Int64

    public init(partnership: String, metric: String, severity: AlertSeverity, startsAt: Int64) {
        self.key = AlertKey(partnership: partnership, metric: metric)
        self.severity = severity
        self.startsAt = startsAt
    }
}
