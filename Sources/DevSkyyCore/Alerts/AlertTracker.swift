/// Decides which alert notifications to send, from metric health events and the time: no I/O.
///
/// An alert is a metric in `warning` or `critical`. Nothing is sent until it has fired for `delay`, so an alert
/// that resolves sooner sends nothing at all; a resolve is sent only for an alert whose firing was sent.
/// The webhook hears about an alert when it starts, every `repeatInterval` while it lasts, when its severity
/// changes and when it resolves. Alertmanager gets each firing alert every `resendInterval` with an `endsAt`
/// four intervals ahead (as Prometheus does, so alerts expire if the daemon dies), and each resolved one once.
public struct AlertTracker: Sendable {
    /// One alert that is firing now.
    struct Firing: Sendable, Equatable {
        var severity: AlertSeverity
        /// When the metric entered warning or critical: the delay runs from here.
        var startsAt: Int64
        /// When the current severity began: Alertmanager's `startsAt`, since severity is one of its labels.
        var severitySince: Int64
        var value: Double?
        var reason: String
        /// When the last firing webhook notice went out; nil while none has.
        var webhookSentAt: Int64?
        /// The severity changed since the last webhook notice.
        var severityChanged = false
        /// When this severity was last posted to Alertmanager; nil while it has not been.
        var alertmanagerSentAt: Int64?
    }

    private let delay: Int64
    private let repeatInterval: Int64
    private let resendInterval: Int64
    private(set) var firing: [MetricKey: Firing] = [:]
    /// Resolves (and severity changes, for Alertmanager) waiting for the next `dispatch`.
    private var resolvedWebhook: [AlertNotice] = []
    private var resolvedAlertmanager: [AlertNotice] = []

    public init(settings: AlertSettings) {
        delay = settings.delay.milliseconds
        repeatInterval = settings.repeatInterval.milliseconds
        resendInterval = settings.resendInterval.milliseconds
    }

    /// Starts with the alerts that were firing before a restart. They count as notified at `now`: the webhook
    /// hears of them again only after `repeatInterval` (or when they change), Alertmanager at its regular re-send,
    /// which is due at once since its alerts expire on their own.
    public init(settings: AlertSettings, restored: [RestoredAlert], now: Int64) {
        self.init(settings: settings)
        for alert in restored {
            firing[alert.key] = Firing(
                severity: alert.severity, startsAt: alert.startsAt, severitySince: alert.startsAt, value: nil,
                reason: "firing before the restart", webhookSentAt: now,
                // Alertmanager heard of it before the restart: a resolve must reach it, and the re-send is due now.
                alertmanagerSentAt: now - resendInterval
            )
        }
    }

    /// The alerts firing now, with the time each started: what to save for `init(restored:)`.
    public var firingAlerts: [RestoredAlert] {
        firing.keys.sorted().map { key in
            let alert = firing[key]!
            return RestoredAlert(partnership: key.partnership, metric: key.metric, severity: alert.severity, startsAt: alert.startsAt)
        }
    }

    /// Applies metric state changes, in order; other kinds of events are ignored.
    public mutating func record(_ events: [HealthEvent]) {
        for event in events {
            guard let key = MetricKey(event) else { continue }
            if let severity = AlertSeverity(rawValue: event.to) {
                fire(key, severity: severity, event: event)
            } else {
                resolve(key, event: event)
            }
        }
    }

    private mutating func fire(_ key: MetricKey, severity: AlertSeverity, event: HealthEvent) {
        guard var alert = firing[key] else {
            firing[key] = Firing(
                severity: severity, startsAt: event.time, severitySince: event.time, value: event.value, reason: event.reason)
            return
        }
        alert.value = event.value
        alert.reason = event.reason
        if alert.severity != severity {
            // Alertmanager sees a new label set: the old one ends here, the new one starts.
            if alert.alertmanagerSentAt != nil {
                resolvedAlertmanager.append(notice(key, alert, .resolved, endsAt: event.time, forAlertmanager: true))
            }
            alert.severity = severity
            alert.severitySince = event.time
            alert.alertmanagerSentAt = nil
            alert.severityChanged = alert.webhookSentAt != nil
        }
        firing[key] = alert
    }

    private mutating func resolve(_ key: MetricKey, event: HealthEvent) {
        guard var alert = firing.removeValue(forKey: key) else { return }
        let time = event.time
        // The resolve says why it is over.
        alert.value = event.value
        alert.reason = event.reason
        if alert.webhookSentAt != nil {
            resolvedWebhook.append(notice(key, alert, .resolved, endsAt: time, forAlertmanager: false))
        }
        if alert.alertmanagerSentAt != nil {
            resolvedAlertmanager.append(notice(key, alert, .resolved, endsAt: time, forAlertmanager: true))
        }
    }

    /// What is due at `now`, marked as sent: the caller sends it (a failed send is not retried here; firing alerts
    /// are sent again on their next interval).
    public mutating func dispatch(now: Int64) -> AlertDispatch {
        var result = AlertDispatch(webhook: resolvedWebhook, alertmanager: resolvedAlertmanager)
        resolvedWebhook = []
        resolvedAlertmanager = []
        for key in firing.keys.sorted() {
            var alert = firing[key]!
            guard now - alert.startsAt >= delay else { continue }
            if alert.webhookSentAt.map({ alert.severityChanged || now - $0 >= repeatInterval }) ?? true {
                result.webhook.append(notice(key, alert, .firing, endsAt: nil, forAlertmanager: false))
                alert.webhookSentAt = now
                alert.severityChanged = false
            }
            if alert.alertmanagerSentAt.map({ now - $0 >= resendInterval }) ?? true {
                result.alertmanager.append(notice(key, alert, .firing, endsAt: now + 4 * resendInterval, forAlertmanager: true))
                alert.alertmanagerSentAt = now
            }
            firing[key] = alert
        }
        return result
    }

    private func notice(_ key: MetricKey, _ alert: Firing, _ status: AlertNotice.Status, endsAt: Int64?, forAlertmanager: Bool)
        -> AlertNotice
    {
        let startsAt = forAlertmanager ? alert.severitySince : alert.startsAt
        // Alertmanager refuses an alert that ends before it starts; clocks of events may disagree by a little.
        return AlertNotice(
            status: status, key: key, severity: alert.severity, startsAt: startsAt, endsAt: endsAt.map { max($0, startsAt) },
            value: alert.value, reason: alert.reason
        )
    }
}
