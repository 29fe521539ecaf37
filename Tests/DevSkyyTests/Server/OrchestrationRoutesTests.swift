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
private struct ServedOrchestration {
    let port: Int
    let store: SnapshotStore

    static func with<T>(
        store: SnapshotStore, dependencies: OrchestrationRoutes.Dependencies = .init(), _ body: (ServedOrchestration) async throws -> T
    ) async throws -> T {
        let router = QueryRouter.build(store: store, explain: { _ in nil }, orchestration: dependencies)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                dependencies.listeners?.add("tcp 127.0.0.1:\(port)")
                continuation.yield(port)
            }
        )
        let server = Task { try await app.run() }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestSupportError("the router did not start") }
        return try await body(ServedOrchestration(port: port, store: store))
    }

    /// Every response header is wanted here, so a plain socket rather than libcurl.
    func fetch(_ path: String, method: String = "GET", headers: [String: String] = [:]) async throws -> PlainHTTP.Answer {
        try await PlainHTTP.request(method, path, port: port, headers: headers)
    }

    func json(_ path: String) async throws -> Any {
        let response = try await fetch(path)
        #expect(response.status == 200, "\(path): \(String(decoding: response.body, as: UTF8.self))")
        #expect(response.contentType == "application/json")
        return try JSONSerialization.jsonObject(with: Data(response.body))
    }
}

private let now = Timestamp.now()

private func partnershipsConfig(stateDir: String = "/tmp", redisURL: String = "redis://127.0.0.1:6379/0") throws -> DaemonConfig {
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
private func snapshot(_ config: DaemonConfig, brandUp: Bool = false, sequence: Int = 1) -> Snapshot {
    var live = LiveState(config: config, startedAt: now - 60_000)
    live.recordSuccess(
        collector: "tech", samples: [Sample(partnership: "technical", metric: "system_uptime", timestamp: now, value: 99.95)], at: now,
        duration: .milliseconds(3))
    if brandUp {
        live.recordSuccess(
            collector: "brand", samples: [Sample(partnership: "brand", metric: "engagement_rate", timestamp: now, value: 6.5)], at: now,
            duration: .milliseconds(3))
    } else {
        live.recordFailure(collector: "brand", error: "HTTP 500 from the source", at: now, duration: .milliseconds(3))
    }
    live.recordRedis(up: true, error: nil)
    var snapshot = live.snapshot(now: now)
    snapshot.sequence = sequence
    return snapshot
}

@Suite("Orchestration routes over HTTP")
struct OrchestrationRoutesTests {
    @Test func metricsOfOneTypeHaveTheMetricsShapeAndAnUnknownTypeIs404() async throws {
        let config = try partnershipsConfig()
        try await ServedOrchestration.with(store: SnapshotStore(snapshot(config))) { served in
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
        let config = try partnershipsConfig()
        let store = SnapshotStore(snapshot(config, sequence: 1))
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

            store.publish(snapshot(config, brandUp: true, sequence: 2))
            for path in Self.snapshotRoutes {
                let changed = try await served.fetch(path, headers: ["If-None-Match": tags[path]!])
                #expect(changed.status == 200, "a new snapshot answers in full: \(path)")
                #expect(changed.headers["etag"] != tags[path])
            }
        }
    }

    @Test func partnershipsListHealthProgressAndDeliverables() async throws {
        let config = try partnershipsConfig()
        let store = SnapshotStore(snapshot(config))
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
        let progress: @Sendable () async -> [String: [String: Double]] = { ["technical": ["microservices": 60, "personalization": 82.5]] }
        try await ServedOrchestration.with(store: store, dependencies: .init(deliverableProgress: progress)) { served in
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
        let config = try partnershipsConfig()
        let event = HealthEvent(
            time: now, kind: .collector, entity: "brand", partnership: "brand", from: "unknown", to: "down", reason: "HTTP 500",
            id: "\(now)-0")
        let dependencies = OrchestrationRoutes.Dependencies(config: config, recentEvents: { [event] })
        try await ServedOrchestration.with(store: SnapshotStore(snapshot(config)), dependencies: dependencies) { served in
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

    @Test func configurationIsServedWithEverySecretRedacted() async throws {
        let secrets = [
            "REDIS_PASS": "redis-pw-4f1c9", "TECH_TOKEN": "tech-token-8d2e1", "BEARER": "bearer-77aa0", "BASIC_PASS": "basic-pw-19c3",
            "OAUTH_SECRET": "oauth-secret-5b5b", "HOOK_TOKEN": "hook-header-0e0e", "HOOK_PATH": "T000/B000/hookpath9",
            "API_KEY": "query-key-3c3c", "BODY_KEY": "body-key-6a6a", "ANNA_TOKEN": "entity-token-2f2f",
        ]
        let yaml = """
            redis:
              url: redis://app:${REDIS_PASS}@127.0.0.1:6379/2
              key_prefix: orch
            listen: { unix: "", tcp: "127.0.0.1:0" }
            state_dir: /tmp
            partnerships:
              - { id: technical, name: Technical Engine, type: technical }
              - { id: brand, name: Brand, type: brand }
            influencers:
              - { id: anna, token: "${ANNA_TOKEN}" }
            collectors:
              - name: tech
                partnership: technical
                url: https://api.example.com/v1/metrics?api_key=${API_KEY}&page=1
                headers: { Authorization: "Bearer ${TECH_TOKEN}", X-Team: platform }
                metrics: [{ name: uptime, path: u }]
              - name: bearer
                partnership: technical
                url: https://user:${BASIC_PASS}@bearer.example.com/m
                bearer_token: ${BEARER}
                metrics: [{ name: uptime, path: u }]
              - name: basic
                partnership: brand
                url: https://basic.example.com/m
                method: POST
                body: '{"key": "${BODY_KEY}"}'
                basic_auth: { username: reader, password: "${BASIC_PASS}" }
                metrics: [{ name: reach, path: r }]
              - name: oauth
                partnership: brand
                url: https://oauth.example.com/m
                oauth2: { token_url: "https://auth.example.com/token", client_id: devskyy, client_secret: "${OAUTH_SECRET}" }
                metrics: [{ name: reach, path: r }]
              - name: social
                partnership: brand
                for_each: influencers
                url: https://social.example.com/{id}
                headers: { Authorization: "Token {token}" }
                metrics: [{ name: followers, path: f }]
            alerts:
              webhook:
                url: https://hooks.example.com/services/${HOOK_PATH}
                headers: { X-Hook-Token: "${HOOK_TOKEN}" }
            """
        let config = try ConfigLoader(environment: secrets).load(yaml: yaml, file: "orch.yaml")
        let dependencies = OrchestrationRoutes.Dependencies(config: config)
        try await ServedOrchestration.with(store: SnapshotStore(snapshot(try partnershipsConfig())), dependencies: dependencies) {
            served in
            let response = try await served.fetch("/api/v1/orchestration/config")
            #expect(response.status == 200)
            #expect(response.headers["cache-control"] == "max-age=3600")
            let text = String(decoding: response.body, as: UTF8.self)
            for (name, secret) in secrets {
                #expect(!text.contains(secret), "\(name) leaks")
            }
            #expect(!text.contains("hookpath9") && !text.contains("T000"), "the webhook path is the token")

            let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            let redis = try #require(object["redis"] as? [String: Any])
            #expect(redis["url"] as? String == "redis://app:***@127.0.0.1:6379/2")
            #expect(redis["key_prefix"] as? String == "orch")
            let collectors = try #require(object["collectors"] as? [[String: Any]])
            let tech = try #require(collectors.first { $0["name"] as? String == "tech" })
            #expect(tech["headers"] as? [String: String] == ["Authorization": "[redacted]", "X-Team": "[redacted]"])
            #expect(tech["url"] as? String == "https://api.example.com/v1/metrics?api_key=[redacted]&page=[redacted]")
            #expect(tech["interval"] as? String == "30s")
            let bearer = try #require(collectors.first { $0["name"] as? String == "bearer" })
            #expect(bearer["bearer_token"] as? String == "[redacted]")
            #expect(bearer["url"] as? String == "https://[redacted]@bearer.example.com/m")
            let basic = try #require(collectors.first { $0["name"] as? String == "basic" })
            #expect(basic["basic_auth"] as? [String: String] == ["username": "reader", "password": "[redacted]"])
            #expect(basic["body"] as? String == "[redacted]")
            let oauth = try #require(collectors.first { $0["name"] as? String == "oauth" })
            #expect((oauth["oauth2"] as? [String: Any])?["client_secret"] as? String == "[redacted]")
            #expect((oauth["oauth2"] as? [String: Any])?["client_id"] as? String == "devskyy")
            let influencers = try #require(object["influencers"] as? [[String: String]])
            #expect(influencers == [["id": "anna", "token": "[redacted]"]])
            let webhook = try #require((object["alerts"] as? [String: Any])?["webhook"] as? [String: Any])
            #expect(webhook["url"] as? String == "https://hooks.example.com")
            #expect(webhook["headers"] as? [String: String] == ["X-Hook-Token": "[redacted]"])

            let etag = try #require(response.headers["etag"])
            #expect(try await served.fetch("/api/v1/orchestration/config", headers: ["If-None-Match": etag]).status == 304)
        }
        try await ServedOrchestration.with(store: SnapshotStore(snapshot(try partnershipsConfig()))) { served in
            let missing = try await served.fetch("/api/v1/orchestration/config")
            #expect(missing.status == 503, "no configuration given")
        }
    }

    @Test func readinessRunsRealChecksAgainstRedisUpThenDown() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let folder = TemporaryFolder("ready")
        defer { folder.remove() }
        let config = try partnershipsConfig(stateDir: folder.path, redisURL: redis.url)
        let client = try redis.client()
        let listeners = BoundListeners(expected: 1)
        let dependencies = OrchestrationRoutes.Dependencies(
            config: config,
            redis: RedisClient(settings: .init(endpoint: config.redis.endpoint, connectTimeout: .milliseconds(500))),
            listeners: listeners)
        let store = SnapshotStore(snapshot(config, brandUp: true))
        try await ServedOrchestration.with(store: store, dependencies: dependencies) { served in
            let path = "/api/v1/orchestration/deployment/readiness"
            let ready = try #require(try await served.json(path) as? [String: Any])
            let checks = try #require(ready["checks"] as? [[String: Any]])
            #expect(
                checks.map { $0["name"] as? String }
                    == ["config_valid", "redis_writable", "collectors_succeeded", "state_dir_writable", "listeners_bound"])
            for check in checks {
                #expect(check["passed"] as? Bool == true, "\(check)")
                #expect(check["detail"] is String)
                #expect(check["recommendation"] is NSNull)
            }
            #expect(ready["score"] as? Int == 100)
            #expect(ready["ready"] as? Bool == true)
            #expect((ready["recommendations"] as? [Any])?.isEmpty == true)
            #expect(try await client.command(["EXISTS", "orch:readiness"]) == .integer(0), "the probe key is removed")
            #expect(try await client.command(["INFO", "commandstats"]).string?.contains("cmdstat_set:") == true, "a real SET")
            #expect(try await served.fetch(path).headers["cache-control"] == "no-cache")
            // Nothing of the state directory's probe file is left.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)

            // A collector that never succeeded and Redis gone: two checks fail, each with a recommendation.
            store.publish(snapshot(config, brandUp: false, sequence: 2))
            redis.kill()
            let degraded = try #require(try await served.json(path) as? [String: Any])
            let failed = (degraded["checks"] as? [[String: Any]] ?? []).filter { $0["passed"] as? Bool == false }
            #expect(failed.map { $0["name"] as? String } == ["redis_writable", "collectors_succeeded"])
            #expect(failed.allSatisfy { ($0["recommendation"] as? String)?.isEmpty == false })
            #expect((failed.last?["detail"] as? String)?.contains("brand (HTTP 500 from the source)") == true)
            #expect(degraded["score"] as? Int == 60)
            #expect(degraded["ready"] as? Bool == false)
            #expect((degraded["recommendations"] as? [String])?.count == 2)
        }
    }

    @Test func readinessFailsForAStateDirectoryThatCannotBeWritten() async throws {
        let config = try partnershipsConfig(stateDir: "/nonexistent/devskyy-state")
        let dependencies = OrchestrationRoutes.Dependencies(config: config)
        try await ServedOrchestration.with(store: SnapshotStore(snapshot(config, brandUp: true)), dependencies: dependencies) { served in
            let answer = try #require(try await served.json("/api/v1/orchestration/deployment/readiness") as? [String: Any])
            let checks = answer["checks"] as? [[String: Any]] ?? []
            let state = try #require(checks.first { $0["name"] as? String == "state_dir_writable" })
            #expect(state["passed"] as? Bool == false)
            #expect((state["recommendation"] as? String)?.contains("/nonexistent/devskyy-state") == true)
            #expect(checks.first { $0["name"] as? String == "redis_writable" }?["passed"] as? Bool == false, "no client given")
        }
    }

    @Test func endpointListComesFromTheCatalogWhichMatchesTheRouter() async throws {
        let config = try partnershipsConfig()
        let store = SnapshotStore(snapshot(config))
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
        let config = try partnershipsConfig()
        try await ServedOrchestration.with(store: SnapshotStore(snapshot(config))) { served in
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
