import DevSkyyCollect
import DevSkyyCore
import Logging

/// Sends firing and resolved alerts as one JSON POST per batch, in Alertmanager's webhook shape.
public struct WebhookNotifier: Sendable {
    private let poster: JSONPoster

    /// - Parameter backoff: the pause before the first retry; later ones double it.
    public init(settings: AlertSettings.Webhook, engine: CurlEngine, logger: Logger, backoff: Duration = .seconds(1)) {
        poster = JSONPoster(
            name: "webhook", url: settings.url, headers: settings.headers, timeout: settings.timeout, retries: settings.retries,
            backoff: backoff, engine: engine, logger: logger
        )
    }

    /// Posts the notices (nothing when there are none); true when the receiver took them.
    @discardableResult
    public func send(_ notices: [AlertNotice]) async -> Bool {
        guard !notices.isEmpty else { return true }
        return await poster.post(AlertPayload.webhookBody(notices), alerts: notices.count)
    }

    public var counts: NotifierCounts { poster.counters.counts }
}
