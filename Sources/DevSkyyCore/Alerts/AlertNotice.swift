/// One alert as a notifier sends it: firing, or resolved at `endsAt`.
public struct AlertNotice: Sendable, Equatable {
    public enum Status: String, Sendable {
        case firing, resolved
    }

    public var status: Status
    public var key: MetricKey
    public var severity: AlertSeverity
    /// Unix ms when this alert (with this severity, for Alertmanager) started firing.
    public var startsAt: Int64
    /// Unix ms: the resolve time; for firing alerts posted to Alertmanager, when it may consider them gone
    /// if no re-send comes. Nil for firing webhook notices.
    public var endsAt: Int64?
    /// The value that caused the last transition, when there is one.
    public var value: Double?
    public var reason: String

    public init(
        status: Status, key: MetricKey, severity: AlertSeverity, startsAt: Int64, endsAt: Int64? = nil, value: Double? = nil,
        reason: String = ""
    ) {
        self.status = status
        self.key = key
        self.severity = severity
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.value = value
        self.reason = reason
    }

    /// One line for people: `technical.system_uptime is critical`.
    public var summary: String {
        status == .firing ? "\(key) is \(severity.rawValue)" : "\(key) is no longer \(severity.rawValue)"
    }
}

/// What to send now: webhook notices, and the alerts to post to Alertmanager.
public struct AlertDispatch: Sendable, Equatable {
    public var webhook: [AlertNotice] = []
    public var alertmanager: [AlertNotice] = []

    public init(webhook: [AlertNotice] = [], alertmanager: [AlertNotice] = []) {
        self.webhook = webhook
        self.alertmanager = alertmanager
    }
}
