import DevSkyyCollect
import DevSkyyCore
import DevSkyyStore
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Feeds metric health events to the `AlertTracker` and sends what it decides, once a second.
///
/// `handle(_:)` only takes a lock for a moment, so the daemon's state actor never waits on a receiver. Each
/// notifier has its own queue and task: a webhook stuck in retries does not delay Alertmanager's re-sends.
public final class AlertService: Service, Sendable {
    private let tracker: NIOLockedValueBox<AlertTracker>
    private let webhook: WebhookNotifier?
    private let alertmanager: AlertmanagerNotifier?
    private let tick: Duration
    private let now: @Sendable () -> Int64
    private let logger: Logger

    /// - Parameters:
    ///   - restored: alerts firing when the daemon last stopped (see `firingAlerts`); nothing is re-sent to the webhook for them.
    ///   - backoff: the pause before a notifier's first retry.
    ///   - now: the wall clock in unix ms, the time base of `HealthEvent.time`.
    public init(
        settings: AlertSettings, engine: CurlEngine, logger: Logger, restored: [RestoredAlert] = [], tick: Duration = .seconds(1),
        backoff: Duration = .seconds(1), now: @escaping @Sendable () -> Int64 = { Timestamp.now() }
    ) {
        tracker = NIOLockedValueBox(AlertTracker(settings: settings, restored: restored, now: now()))
        webhook = settings.webhook.map { WebhookNotifier(settings: $0, engine: engine, logger: logger, backoff: backoff) }
        alertmanager = settings.alertmanager.map { AlertmanagerNotifier(settings: $0, engine: engine, logger: logger, backoff: backoff) }
        self.tick = tick
        self.now = now
        self.logger = logger
        if !restored.isEmpty { logger.info("alerts: \(restored.count) alert(s) still firing from before the restart") }
    }

    /// Takes metric state changes; returns at once.
    public func handle(_ events: [HealthEvent]) {
        guard events.contains(where: { $0.kind == .metric }) else { return }
        tracker.withLockedValue { $0.record(events) }
    }

    /// The alerts firing now with their start times: what to hand back as `restored` after a restart.
    public var firingAlerts: [RestoredAlert] { tracker.withLockedValue { $0.firingAlerts } }

    /// Requests sent and failed per notifier, for self-metrics.
    public var counts: (webhook: NotifierCounts, alertmanager: NotifierCounts) {
        (webhook?.counts ?? .init(), alertmanager?.counts ?? .init())
    }

    public func run() async {
        let (webhookQueue, webhookInput) = AsyncStream.makeStream(of: [AlertNotice].self)
        let (managerQueue, managerInput) = AsyncStream.makeStream(of: [AlertNotice].self)
        await withDiscardingTaskGroup { group in
            if let webhook {
                group.addTask { for await batch in webhookQueue { await webhook.send(batch) } }
            }
            if let alertmanager {
                group.addTask { for await batch in managerQueue { await alertmanager.send(batch) } }
            }
            group.addTask { [self] in
                @Sendable func dispatchDue() {
                    let due = tracker.withLockedValue { $0.dispatch(now: now()) }
                    if webhook != nil && !due.webhook.isEmpty { webhookInput.yield(due.webhook) }
                    if alertmanager != nil && !due.alertmanager.isEmpty { managerInput.yield(due.alertmanager) }
                }
                await Periodic.run(every: tick) { dispatchDue() }
                // One last beat: transitions of the runs that finished during shutdown (the scheduler
                // stops first) are sent rather than lost. What is queued is still sent; each request is
                // bounded by its timeout, and no retry is started once shutdown has begun.
                dispatchDue()
                webhookInput.finish()
                managerInput.finish()
            }
        }
    }
}
