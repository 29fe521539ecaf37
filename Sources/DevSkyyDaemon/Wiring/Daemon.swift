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
        var initial = LiveState(config: config)
        let store = SnapshotStore(initial.snapshot(now: Timestamp.now()))
        let state = DaemonState(config: config, store: store, notifier: notifier, logger: logger)

        let client = RedisClient(settings: config.redis)
        let latestTTL = config.stalenessWindows()
        let writer = WriterService(
            writer: TimeSeriesWriter(
                client: client, keys: RedisKeys(prefix: config.redis.keyPrefix),
                retention: config.redis.retention, rollups: config.redis.rollups, latestTTL: latestTTL
            ),
            client: client, logger: logger,
            onStatus: { up, error in await state.redis(up: up, error: error) }
        )
        await state.attach(writer: { writer.submit($0) })

        let explainer = CollectorExplainer(collectors: config.collectors, engine: engine, keys: RedisKeys(prefix: config.redis.keyPrefix))
        let listeners = QueryListeners.services(
            listen: config.listen, store: store,
            explain: { name in
                guard let explanation = await explainer.explain(name) else { return nil }
                return (try? JSONEncoder().encode(explanation)).map(Array.init)
            },
            logger: logger,
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
        // close the listeners, then write what is queued.
        let publisher = SnapshotPublisher(state: state, store: store, interval: .seconds(1))
        let services: [any Service] =
            [writer, publisher] + listeners + [scheduler, StoppingNotice(notifier: notifier, logger: logger)]
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
