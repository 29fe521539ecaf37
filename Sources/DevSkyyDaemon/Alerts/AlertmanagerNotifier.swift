import DevSkyyCollect
import DevSkyyCore
import Logging

/// Posts alerts to Prometheus Alertmanager's API v2 (`POST /api/v2/alerts`), as Prometheus does.
///
/// One retry only: firing alerts are posted again on every re-send anyway, and Alertmanager ends an alert
/// that stops being re-sent at its `endsAt`.
public struct AlertmanagerNotifier: Sendable {
    private let poster: JSONPoster

    public init(settings: AlertSettings.Alertmanager, engine: CurlEngine, logger: Logger, backoff: Duration = .seconds(1)) {
        poster = JSONPoster(
            name: "alertmanager", url: settings.alertsURL, headers: [:], timeout: settings.timeout, retries: 1, backoff: backoff,
            engine: engine, logger: logger
        )
    }

    /// Posts the alerts (nothing when there are none); true when Alertmanager took them.
    @discardableResult
    public func send(_ notices: [AlertNotice]) async -> Bool {
        guard !notices.isEmpty else { return true }
        return await poster.post(AlertPayload.alertmanagerBody(notices), alerts: notices.count)
    }

    public var counts: NotifierCounts { poster.counters.counts }
}
