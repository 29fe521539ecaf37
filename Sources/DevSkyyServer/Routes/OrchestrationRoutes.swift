import DevSkyyCore
import DevSkyyStore
import Foundation
import Hummingbird

/// The orchestration API of the seeds beyond health and metrics: metrics by partnership type, partnerships,
/// status, configuration, deployment readiness and the list of endpoints.
///
/// Snapshot answers (metrics by type, partnerships) are encoded once per snapshot (and deliverable board version) and
/// carry an ETag; status and readiness are computed per request.
public enum OrchestrationRoutes {
    /// What the routes read beyond the snapshot; each is optional so a router can be built with less (tests).
    public struct Dependencies: Sendable {
        /// The effective configuration: `/config`, and the readiness checks' key prefix and state directory.
        public var config: DaemonConfig?
        /// A connection of its own for the readiness write, so the check never waits behind the writer's pipeline.
        public var redis: RedisClient?
        /// The newest stored health events, for `/status` (the daemon reads its event log).
        public var recentEvents: (@Sendable () async -> [HealthEvent])?
        /// The listeners that accept connections; `QueryListeners` fills it in.
        public var listeners: BoundListeners?
        /// The rate limits, for `/status` (where they are counted); `QueryRouter` fills it in from the access layer.
        public var rateLimits: RateLimiter?

        public init(
            config: DaemonConfig? = nil, redis: RedisClient? = nil, recentEvents: (@Sendable () async -> [HealthEvent])? = nil,
            listeners: BoundListeners? = nil
        ) {
            self.config = config
            self.redis = redis
            self.recentEvents = recentEvents
            self.listeners = listeners
        }
    }

    /// Events `/status` shows.
    public static let recentEventCount = 20

    /// - Parameter board: deliverable progress for `/partnerships`; without it every deliverable is at its defaults.
    static func add(
        to router: some RouterMethods<APIRequestContext>, store: SnapshotStore, board: DeliverableBoard?, dependencies: Dependencies
    ) {
        router.on(APIRoutes.orchestrationMetricsOfType) { request, context -> Response in
            let text = context.parameters.get("partnership_type") ?? ""
            guard let kind = Partnership.Kind(rawValue: text) else {
                let known = Partnership.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                return APIError.notFound("no partnership type '\(text.prefix(64))' (known: \(known))").answer
            }
            return SnapshotRoutes.metrics(of: kind, store.encoded).response(to: request)
        }
        router.on(APIRoutes.orchestrationPartnerships) { request, _ -> Response in
            let encoded = store.encoded
            // A health view first: while Redis cannot be reached it still answers, every deliverable at its defaults.
            let loaded = if let board { try? await encoded.partnerships(from: board) } else { PartnershipBodies?.none }
            let body = (loaded ?? encoded.partnerships(.defaults)).orchestration
            return CachedJSON.response(to: request, body, cacheControl: CachePolicy.metrics)
        }
        router.on(APIRoutes.orchestrationStatus) { _, _ -> Response in
            let events = await dependencies.recentEvents?() ?? []
            let body = StatusJSON.render(
                store.encoded.snapshot, process: ProcessStats.current(), events: events, rateLimits: dependencies.rateLimits)
            return json(body, cacheControl: CachePolicy.live)
        }
        let configBody = dependencies.config.map { TaggedBody(ConfigJSON.render($0), kind: "config") }
        router.on(APIRoutes.orchestrationConfig) { request, _ -> Response in
            guard let configBody else {
                return APIError.unavailable("this server was started without its configuration").answer
            }
            return CachedJSON.response(
                to: request, configBody, cacheControl: CachePolicy.configuration)
        }
        router.on(APIRoutes.deploymentReadiness) { _, _ -> Response in
            let snapshot = store.encoded.snapshot
            let config = dependencies.config
            async let redis = Readiness.redis(dependencies.redis, keys: RedisKeys(prefix: config?.redis.keyPrefix ?? "devskyy"))
            let needed = config.map { max(0, $0.outbox.maxBytes - snapshot.store.outboxBytes) } ?? 0
            let checks = [
                Readiness.configuration(config), await redis, Readiness.collectors(snapshot),
                Readiness.stateDirectory(config?.stateDir, neededBytes: needed), Readiness.listeners(dependencies.listeners),
            ]
            let body = JSONText.render([
                "ready": checks.allSatisfy(\.passed),
                "score": ReadinessCheck.score(checks),
                "checks": checks.map(\.jsonObject),
                "recommendations": checks.compactMap(\.recommendation),
                "checked_at": SnapshotJSON.iso8601(Timestamp.now()),
            ])
            return json(body, cacheControl: CachePolicy.live)
        }
        let endpoints = TaggedBody(
            JSONText.render([
                "endpoints": EndpointCatalog.all.map { ["method": $0.method, "path": $0.path, "description": $0.summary] }
            ]),
            kind: "endpoints")
        router.on(APIRoutes.endpointCatalog) { request, _ -> Response in
            CachedJSON.response(to: request, endpoints, cacheControl: CachePolicy.staticData)
        }
    }

    private static func json(_ body: [UInt8], cacheControl: String) -> Response {
        .json(body, headers: [.cacheControl: cacheControl])
    }
}
