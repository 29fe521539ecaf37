import DevSkyyCollect
import DevSkyyCore
import DevSkyyServer
import DevSkyyStore
import DevSkyySystemd
import Foundation
import Logging
import ServiceLifecycle

/// Wires collectors, writer, listeners and systemd together and runs them until SIGTERM or SIGINT.
public struct Daemon: Sendable {
    private let config: DaemonConfig
    private let notifier: SystemdNotifier
    private let logger: Logger

    public init(config: DaemonConfig, notifier: SystemdNotifier = .init(), logger: Logger) {
        self.config = config
        self.notifier = notifier
        self.logger = logger
    }

    public func run() async throws {
        let engine = CurlEngine()
        let keys = RedisKeys(prefix: config.redis.keyPrefix)
        // One connection for the low-rate control writes (health states, events, deliverables); the writer,
        // the history reader and the readiness probe keep their own so none waits behind another.
        let control = RedisClient(settings: config.redis)
        let health = HealthStateStore(client: control, keys: keys)
        let restored = await HealthRestore.load(from: health, config: config, logger: logger)
        var initial = LiveState(config: config, healthStates: restored)
        let store = SnapshotStore(initial.snapshot(now: Timestamp.now()))
        let state = DaemonState(config: config, store: store, notifier: notifier, logger: logger, healthStates: restored)

        let client = RedisClient(settings: config.redis)
        // Past RLIMIT_FSIZE a write fails with EFBIG instead of killing the daemon: the outbox reports itself full.
        signal(SIGXFSZ, SIG_IGN)
        let outbox: Outbox
        do {
            outbox = try Outbox(settings: config.outbox, logger: logger)
        } catch {
            throw DaemonError("cannot open the outbox: \(error.message) (check state_dir)")
        }
        if !outbox.isEmpty {
            logger.notice("the outbox holds \(outbox.stats.records) batches from before: replaying them once Redis answers")
        }
        let writer = WriterService(
            writer: TimeSeriesWriter(
                client: client, keys: keys, retention: config.redis.retention, rollups: config.redis.rollups,
                latestTTL: config.stalenessWindows()
            ),
            client: client, outbox: outbox, logger: logger,
            onStatus: { up, error in await state.redis(up: up, error: error) }
        )
        await state.attach(writer: { writer.submit($0) }, storeStatus: { writer.status })

        // Transitions: stored in the capped stream (queued while Redis is away), sent to live subscribers
        // with their stream ids, and to the alert notifiers.
        let events = EventLog(client: control, keys: keys, logger: logger)
        let hub = EventHub()
        let publish: @Sendable ([HealthEvent]) -> Void = { hub.publish(events.append($0)) }
        let alerts =
            config.alerts.isEnabled
            ? AlertService(settings: config.alerts, engine: engine, logger: logger, restored: HealthRestore.firing(restored)) : nil
        await state.attach(
            events: { batch in
                publish(batch)
                alerts?.handle(batch)
            },
            status: {
                var status = EventStatus()
                let log = events.stats
                (status.stored, status.dropped, status.queued) = (log.appended, log.dropped, log.queued)
                (status.streamClients, status.streamDropped) = (hub.subscriberCount, hub.dropped)
                if let alerts {
                    let counts = alerts.counts
                    if config.alerts.webhook != nil {
                        status.notificationsSent["webhook"] = counts.webhook.sent
                        status.notificationsFailed["webhook"] = counts.webhook.failed
                    }
                    if config.alerts.alertmanager != nil {
                        status.notificationsSent["alertmanager"] = counts.alertmanager.sent
                        status.notificationsFailed["alertmanager"] = counts.alertmanager.failed
                    }
                }
                return status
            })

        let deliverables = DeliverableStore(client: control, keys: keys)
        let access = try await DaemonAccess.build(config: config, redis: control, keys: keys, stats: store.access, logger: logger)
        let explainer = CollectorExplainer(collectors: config.collectors, engine: engine, keys: keys)
        let listeners = QueryListeners.services(
            listen: config.listen, store: store,
            explain: { name in
                guard let explanation = await explainer.explain(name) else { return nil }
                return (try? JSONEncoder().encode(explanation)).map(Array.init)
            },
            // Reads get their own connection: a history query never waits behind a write pipeline.
            reader: TimeSeriesReader(
                client: RedisClient(settings: config.redis), keys: keys, retention: config.redis.retention, rollups: config.redis.rollups
            ),
            events: events, hub: hub,
            // Deliverable progress lives in Redis and, once read, in memory (the daemon is its only writer); each change
            // is an event.
            partnerships: PartnershipDependencies(deliverables: deliverables, record: publish),
            orchestration: .init(
                config: config,
                // Its own connection: the readiness write never waits behind the writer or a history read.
                redis: RedisClient(settings: config.redis),
                recentEvents: { (try? await events.read(since: nil, limit: OrchestrationRoutes.recentEventCount)) ?? [] }
            ),
            access: access.control, auth: access.auth, oauth: access.oauth, logger: logger,
            onBound: { await state.listenerBound($0) }
        )
        let notifier = notifier
        let scheduler = Scheduler(
            collectors: config.collectors.map { HTTPCollector(config: $0, engine: engine) },
            sink: state, maxInFlight: config.collection.maxInFlight, backoffCap: config.collection.backoffMax,
            heartbeat: notifier.watchdogInterval.map { interval in (interval, { notifier.watchdog() }) },
            logger: logger
        )

        // Graceful shutdown runs in reverse order: STOPPING=1, stop scheduling and finish runs in flight,
        // close the listeners, save the health states, store the queued events, send the last
        // notifications (slow receivers cannot hold up the saves), then write what is queued.
        let publisher = SnapshotPublisher(state: state, store: store, interval: .seconds(1), health: health, logger: logger)
        let services: [any Service] =
            [writer] + (alerts.map { [$0] } ?? []) + [events, publisher] + listeners
            + [scheduler, StoppingNotice(notifier: notifier, logger: logger)]
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        defer { logger.info("stopped") }
        do {
            try await group.run()
        } catch {
            await engine.shutdown()
            throw error
        }
        await engine.shutdown()
    }
}

/// A reason the daemon cannot start.
public struct DaemonError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Sends STOPPING=1 as soon as graceful shutdown begins.
struct StoppingNotice: Service {
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("stopping")
        notifier.stopping()
    }
}
