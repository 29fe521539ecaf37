import DevSkyyCollect
import DevSkyyCore
import DevSkyyDaemon
import DevSkyyServer
import DevSkyyStore
import DevSkyyTestSupport
import Foundation
import Hummingbird
import Testing

@Suite("Orchestration routes over HTTP")
struct OrchestrationRoutesTests {
    @Test func metricsOfOneTypeHaveTheMetricsShapeAndAnUnknownTypeIs404() async throws {
        let config = try orchestrationConfig()
        try await ServedOrchestration.with(store: SnapshotStore(orchestrationSnapshot(config))) { served in
            let technical = try #require(try await served.json("/api/v1/orchestration/metrics/technical") as? [[String: Any]])
            #expect(technical.count == 1)
            #expect(technical.first?["partnership_type"] as? String == "technical")
            #expect(technical.first?["partnership_id"] as? String == "technical")
            #expect((technical.first?["metrics"] as? [String: Any])?["system_uptime"] as? Double == 99.95)
            #expect(technical.first?["timestamp"] is String)
            let all = try #require(try await served.json("/api/v1/orchestration/metrics") as? [[String: Any]])
            #expect(Set(all.compactMap { $0["partnership_type"] as? String }) == ["technical", "brand"])
            #expect((try await served.json("/api/v1/orchestration/metrics/visual") as? [Any])?.isEmpty == true)

            let unknown = try await served.fetch("/api/v1/orchestration/metrics/finance")
            #expect(unknown.status == 404)
            let error = try #require(
                (try JSONSerialization.jsonObject(with: Data(unknown.body)) as? [String: Any])?["error"] as? [String: Any])
            #expect(error["code"] as? String == "not_found")
            #expect((error["message"] as? String)?.contains("technical, brand, visual, customer") == true)
        }
    }

    static let snapshotRoutes = [
        "/api/v1/orchestration/health", "/api/v1/orchestration/metrics", "/api/v1/orchestration/metrics/technical",
        "/api/v1/orchestration/partnerships",
    ]

    @Test func snapshotAnswersCarryAnETagAnswer304ToItAndChangeWithTheSnapshot() async throws {
        let config = try orchestrationConfig()
        let store = SnapshotStore(orchestrationSnapshot(config, sequence: 1))
        try await ServedOrchestration.with(store: store) { served in
            var tags: [String: String] = [:]
            for path in Self.snapshotRoutes {
                let first = try await served.fetch(path)
                #expect(first.status == 200)
                #expect(first.headers["cache-control"] == "max-age=30", "\(path)")
                let etag = try #require(first.headers["etag"], "\(path)")
                #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && !etag.hasPrefix("W/"), "a strong tag: \(etag)")
                tags[path] = etag

                let again = try await served.fetch(path)
                #expect(again.headers["etag"] == etag, "the same snapshot, the same tag")
                #expect(again.body == first.body)

                let notModified = try await served.fetch(path, headers: ["If-None-Match": etag])
                #expect(notModified.status == 304, "\(path)")
                #expect(notModified.body.isEmpty)
                #expect(notModified.headers["etag"] == etag)
                #expect(notModified.headers["cache-control"] == "max-age=30")
                #expect(try await served.fetch(path, headers: ["If-None-Match": "\"other\", W/\(etag)"]).status == 304)
                #expect(try await served.fetch(path, headers: ["If-None-Match": "*"]).status == 304)
                #expect(try await served.fetch(path, headers: ["If-None-Match": "\"other\""]).status == 200)
            }
            #expect(Set(tags.values).count == Self.snapshotRoutes.count, "each body has its own tag")

            store.publish(orchestrationSnapshot(config, brandUp: true, sequence: 2))
            for path in Self.snapshotRoutes {
                let changed = try await served.fetch(path, headers: ["If-None-Match": tags[path]!])
                #expect(changed.status == 200, "a new snapshot answers in full: \(path)")
                #expect(changed.headers["etag"] != tags[path])
            }
        }
    }

    @Test func partnershipsListHealthProgressAndDeliverables() async throws {
        let config = try orchestrationConfig()
        let store = SnapshotStore(orchestrationSnapshot(config))
        try await ServedOrchestration.with(store: store) { served in
            let list = try #require(try await served.json("/api/v1/orchestration/partnerships") as? [[String: Any]])
            #expect(list.map { $0["id"] as? String } == ["technical", "brand"])
            let technical = list[0]
            #expect(technical["name"] as? String == "Technical Engine")
            #expect(technical["type"] as? String == "technical")
            #expect(technical["health"] as? String == "excellent")
            #expect(technical["score"] as? Double != nil)
            #expect(technical["progress"] as? Double == 0)
            let deliverables = try #require(technical["deliverables"] as? [[String: Any]])
            #expect(deliverables.map { $0["name"] as? String } == ["Microservices", "Personalization"])
            #expect(list[1]["progress"] is NSNull, "no deliverables, no progress")
        }
        let redis = try await RedisServer()
        defer { redis.stop() }
        let partnerships = PartnershipDependencies(
            deliverables: DeliverableStore(client: try redis.client(), keys: RedisKeys(prefix: "or1"))
        ) {
            _ in
        }
        _ = try await partnerships.board.update(partnership: "technical", id: "microservices", completion: 60, status: nil, at: 1_000)
        _ = try await partnerships.board.update(partnership: "technical", id: "personalization", completion: 82.5, status: nil, at: 1_000)
        try await ServedOrchestration.with(store: store, partnerships: partnerships) { served in
            let first = try await served.fetch("/api/v1/orchestration/partnerships")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(first.body)) as? [[String: Any]])
            #expect(list[0]["progress"] as? Double == 71.25)
            let deliverables = try #require(list[0]["deliverables"] as? [[String: Any]])
            #expect(deliverables.map { $0["progress"] as? Double } == [60, 82.5])
            let etag = try #require(first.headers["etag"])
            #expect(try await served.fetch("/api/v1/orchestration/partnerships", headers: ["If-None-Match": etag]).status == 304)
        }
    }

    @Test func statusReportsVersionCollectorsRedisOutboxProcessAndRecentEvents() async throws {
        let config = try orchestrationConfig()
        let event = HealthEvent(
            time: orchestrationNow, kind: .collector, entity: "brand", partnership: "brand", from: "unknown", to: "down",
            reason: "HTTP 500",
            id: "\(orchestrationNow)-0")
        let dependencies = OrchestrationRoutes.Dependencies(config: config, recentEvents: { [event] })
        try await ServedOrchestration.with(store: SnapshotStore(orchestrationSnapshot(config)), dependencies: dependencies) { served in
            let response = try await served.fetch("/api/v1/orchestration/status")
            #expect(response.status == 200)
            #expect(response.headers["cache-control"] == "no-cache")
            let status = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            #expect(status["version"] as? String == DevSkyyVersion.string)
            #expect((status["uptime_seconds"] as? Double ?? -1) >= 0)
            let collectors = try #require(status["collectors"] as? [String: Any])
            #expect(collectors["total"] as? Int == 2)
            #expect(collectors["up"] as? Int == 1)
            #expect(collectors["down"] as? Int == 1)
            let items = try #require(collectors["items"] as? [[String: Any]])
            #expect(items.first { $0["name"] as? String == "brand" }?["last_error"] as? String == "HTTP 500 from the source")
            #expect((status["redis"] as? [String: Any])?["status"] as? String == "up")
            #expect((status["outbox"] as? [String: Any])?["records"] as? Int == 0)
            let process = try #require(status["process"] as? [String: Any])
            #expect((process["cpu_seconds"] as? Double ?? 0) > 0)
            #expect((process["rss_bytes"] as? Int ?? 0) > 1_000_000)
            let events = try #require(status["recent_events"] as? [[String: Any]])
            #expect(events.map { $0["entity"] as? String } == ["brand"])
        }
    }

    @Test func endpointListComesFromTheCatalogWhichMatchesTheRouter() async throws {
        let config = try orchestrationConfig()
        let store = SnapshotStore(orchestrationSnapshot(config))
        try await ServedOrchestration.with(store: store) { served in
            let response = try await served.fetch("/api/v1/orchestration/docs/endpoints")
            #expect(response.status == 200)
            #expect(response.headers["cache-control"] == "max-age=86400")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            let endpoints = try #require(object["endpoints"] as? [[String: String]])
            #expect(endpoints.count == EndpointCatalog.all.count)
            #expect(endpoints.allSatisfy { ($0["description"] ?? "").count > 10 && $0["method"] != nil && $0["path"] != nil })
            #expect(endpoints.contains { $0["path"] == "/api/v1/orchestration/deployment/readiness" && $0["method"] == "GET" })
        }

        // Every catalog entry is a route, and every other route is the router's 405 for a catalogued path.
        let routes = QueryRouter.build(store: store, explain: { _ in nil }).routes.map { ($0.method.rawValue, $0.path.description) }
        let catalog = EndpointCatalog.all.map { ($0.method, $0.path) }
        for entry in catalog {
            #expect(routes.contains { $0 == entry }, "\(entry) is in the catalog but not a route")
        }
        let cataloguedPaths = Set(catalog.map(\.1))
        for route in routes where !catalog.contains(where: { $0 == route }) {
            #expect(cataloguedPaths.contains(route.1), "\(route) is a route the catalog lacks")
        }
    }

    @Test func unknownPathsAre404AndWrongMethods405InTheErrorShape() async throws {
        let config = try orchestrationConfig()
        try await ServedOrchestration.with(store: SnapshotStore(orchestrationSnapshot(config))) { served in
            for path in ["/nope", "/api/v1/orchestration", "/api/v1/orchestration/health/extra"] {
                let response = try await served.fetch(path)
                #expect(response.status == 404, "\(path)")
                #expect(response.contentType == "application/json")
                let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
                let error = try #require(object?["error"] as? [String: Any])
                #expect(error["code"] as? String == "not_found")
                #expect(error["message"] as? String == "no such endpoint")
            }
            let cases: [(method: String, path: String, allow: String)] = [
                ("POST", "/api/v1/orchestration/health", "GET"), ("DELETE", "/api/v1/orchestration/status", "GET"),
                ("PUT", "/api/v1/orchestration/metrics/technical", "GET"), ("GET", "/api/v1/collectors/tech/test", "POST"),
                ("PATCH", "/metrics", "GET"),
            ]
            for (method, path, allow) in cases {
                let response = try await served.fetch(path, method: method)
                #expect(response.status == 405, "\(method) \(path)")
                #expect(response.headers["allow"] == allow)
                #expect(response.contentType == "application/json")
                let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
                let error = try #require(object?["error"] as? [String: Any])
                #expect(error["code"] as? String == "method_not_allowed")
                #expect((error["message"] as? String)?.hasPrefix("\(method) is not allowed") == true)
            }
        }
    }
}
