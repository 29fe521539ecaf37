import DevSkyyCollect
import DevSkyyCore
import DevSkyyDaemon
import DevSkyyServer
import DevSkyyStore
import DevSkyyTestSupport
import Foundation
import Hummingbird
import Testing

/// The query router with orchestration dependencies, served by a real `Application` on a loopback port.
struct ServedOrchestration {
    let port: Int
    let store: SnapshotStore

    static func with<T>(
        store: SnapshotStore, dependencies: OrchestrationRoutes.Dependencies = .init(), partnerships: PartnershipDependencies? = nil,
        _ body: (ServedOrchestration) async throws -> T
    ) async throws -> T {
        let router = QueryRouter.build(store: store, explain: { _ in nil }, partnerships: partnerships, orchestration: dependencies)
        let served = try await ServedRouter.start(router)
        defer { served.stop() }
        let port = served.port
        dependencies.listeners?.add("tcp 127.0.0.1:\(port)")
        return try await body(ServedOrchestration(port: port, store: store))
    }

    /// Every response header is wanted here, so a plain socket rather than libcurl.
    func fetch(_ path: String, method: String = "GET", headers: [String: String] = [:], body: [UInt8]? = nil) async throws
        -> PlainHTTP.Answer
    {
        try await PlainHTTP.request(method, path, port: port, headers: headers, body: body)
    }

    func json(_ path: String) async throws -> Any {
        let response = try await fetch(path)
        #expect(response.status == 200, "\(path): \(String(decoding: response.body, as: UTF8.self))")
        #expect(response.contentType == "application/json")
        return try JSONSerialization.jsonObject(with: Data(response.body))
    }
}

let orchestrationNow = Timestamp.now()

func orchestrationConfig(stateDir: String = "/tmp", redisURL: String = "redis://127.0.0.1:6379/0") throws -> DaemonConfig {
    var config = DaemonConfig(
        redis: .init(endpoint: try RedisEndpoint.parse(redisURL).get(), keyPrefix: "orch"),
        stateDir: stateDir,
        partnerships: [
            Partnership(
                id: "technical", name: "Technical Engine", kind: .technical, keyMetric: "system_uptime",
                deliverables: [.init(id: "microservices", name: "Microservices"), .init(id: "personalization", name: "Personalization")]),
            Partnership(id: "brand", name: "Brand Amplification", kind: .brand, keyMetric: "engagement_rate"),
        ],
        collectors: [
            CollectorConfig(
                name: "tech", partnership: "technical", url: "file:///tmp/t.json", interval: .seconds(10),
                metrics: [.init(name: "system_uptime", path: "u")]),
            CollectorConfig(
                name: "brand", partnership: "brand", url: "file:///tmp/b.json", interval: .seconds(10),
                metrics: [.init(name: "engagement_rate", path: "e")]),
        ]
    )
    config.outbox = OutboxSettings(directory: stateDir + "/outbox", maxBytes: 1 << 20, segmentBytes: 64 << 10)
    return config
}

/// A snapshot where `tech` succeeded and `brand` failed (or succeeded, with `brandUp`).
func orchestrationSnapshot(_ config: DaemonConfig, brandUp: Bool = false, sequence: Int = 1) -> Snapshot {
    var live = LiveState(config: config, startedAt: orchestrationNow - 60_000)
    live.recordSuccess(
        collector: "tech", samples: [Sample(partnership: "technical", metric: "system_uptime", timestamp: orchestrationNow, value: 99.95)],
        at: orchestrationNow,
        duration: .milliseconds(3))
    if brandUp {
        live.recordSuccess(
            collector: "brand", samples: [Sample(partnership: "brand", metric: "engagement_rate", timestamp: orchestrationNow, value: 6.5)],
            at: orchestrationNow,
            duration: .milliseconds(3))
    } else {
        live.recordFailure(collector: "brand", error: "HTTP 500 from the source", at: orchestrationNow, duration: .milliseconds(3))
    }
    live.recordRedis(up: true, error: nil)
    var snapshot = live.snapshot(now: orchestrationNow)
    snapshot.sequence = sequence
    return snapshot
}
