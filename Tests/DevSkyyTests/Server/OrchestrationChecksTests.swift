import DevSkyyCollect
import DevSkyyCore
import DevSkyyDaemon
import DevSkyyServer
import DevSkyyStore
import DevSkyyTestSupport
import Foundation
import Hummingbird
import Testing

/// The configuration route's redaction and the readiness route's live checks.
@Suite("Orchestration configuration and readiness over HTTP")
struct OrchestrationChecksTests {
    @Test func configurationIsServedWithEverySecretRedacted() async throws {
        let secrets = [
            "REDIS_PASS": "redis-pw-4f1c9", "TECH_TOKEN": "tech-token-8d2e1", "BEARER": "bearer-77aa0", "BASIC_PASS": "basic-pw-19c3",
            "OAUTH_SECRET": "oauth-secret-5b5b", "HOOK_TOKEN": "hook-header-0e0e", "HOOK_PATH": "T000/B000/hookpath9",
            "API_KEY": "query-key-3c3c", "BODY_KEY": "body-key-6a6a", "ANNA_TOKEN": "entity-token-2f2f",
            "JWT_SECRET": "jwt-secret-of-thirty-two-bytes-or-more-1a1a",
        ]
        let hashes = [
            "$2b$10$abcdefghijklmnopqrstuu5Lq9FjGkO6m3nV0pWcYzS8a1b2c3d4e", String(repeating: "ab", count: 32),
            "$2b$10$zyxwvutsrqponmlkjihgfeOq1W2e3R4t5Y6u7I8o9P0aSdFgHjKlZ",
        ]
        let yaml = """
            redis:
              url: redis://app:${REDIS_PASS}@127.0.0.1:6379/2
              key_prefix: orch
            listen: { unix: "", tcp: "127.0.0.1:0", allowed_hosts: [metrics.example.com] }
            state_dir: /tmp
            auth:
              jwt_secret: ${JWT_SECRET}
              users: [{ username: ada, password_hash: "\(hashes[0])", role: admin }]
              api_keys: [{ name: grafana, key_hash: "\(hashes[1])", role: metrics_viewer }]
              clients: [{ client_id: etl, secret_hash: "\(hashes[2])", role: partnership_manager }]
            rate_limits: { metrics: 20/s, shared: true }
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
        try await ServedOrchestration.with(
            store: SnapshotStore(orchestrationSnapshot(try orchestrationConfig())), dependencies: dependencies
        ) {
            served in
            let response = try await served.fetch("/api/v1/orchestration/config")
            #expect(response.status == 200)
            #expect(response.headers["cache-control"] == "max-age=3600")
            let text = String(decoding: response.body, as: UTF8.self)
            for (name, secret) in secrets {
                #expect(!text.contains(secret), "\(name) leaks")
            }
            #expect(!text.contains("hookpath9") && !text.contains("T000"), "the webhook path is the token")
            for hash in hashes { #expect(!text.contains(hash)) }

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

            let auth = try #require(object["auth"] as? [String: Any])
            #expect(auth["jwt_secret"] as? String == "[redacted]")
            #expect(
                auth["users"] as? [[String: String]] == [["username": "ada", "password_hash": "[redacted]", "role": "orchestration_admin"]])
            #expect(auth["api_keys"] as? [[String: String]] == [["name": "grafana", "key_hash": "[redacted]", "role": "metrics_viewer"]])
            #expect(
                auth["clients"] as? [[String: String]] == [
                    ["client_id": "etl", "secret_hash": "[redacted]", "role": "partnership_manager"]
                ])
            #expect(auth["anonymous"] as? [String] == ["/metrics", "GET /api/v1/orchestration/health"])
            #expect(auth["access_ttl"] as? String == "15m")
            let limits = try #require(object["rate_limits"] as? [String: Any])
            #expect(limits["metrics"] as? String == "20/s" && limits["decisions"] as? String == "10/min")
            #expect(limits["shared"] as? Bool == true)
            #expect((object["listen"] as? [String: Any])?["allowed_hosts"] as? [String] == ["metrics.example.com"])

            let etag = try #require(response.headers["etag"])
            #expect(try await served.fetch("/api/v1/orchestration/config", headers: ["If-None-Match": etag]).status == 304)
        }
        try await ServedOrchestration.with(store: SnapshotStore(orchestrationSnapshot(try orchestrationConfig()))) { served in
            let missing = try await served.fetch("/api/v1/orchestration/config")
            #expect(missing.status == 503, "no configuration given")
        }
    }

    @Test func readinessRunsRealChecksAgainstRedisUpThenDown() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let folder = TemporaryFolder("ready")
        defer { folder.remove() }
        let config = try orchestrationConfig(stateDir: folder.path, redisURL: redis.url)
        let client = try redis.client()
        let listeners = BoundListeners(expected: 1)
        let dependencies = OrchestrationRoutes.Dependencies(
            config: config,
            redis: RedisClient(settings: .init(endpoint: config.redis.endpoint, connectTimeout: .milliseconds(500))),
            listeners: listeners)
        let store = SnapshotStore(orchestrationSnapshot(config, brandUp: true))
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
            store.publish(orchestrationSnapshot(config, brandUp: false, sequence: 2))
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
        let config = try orchestrationConfig(stateDir: "/nonexistent/devskyy-state")
        let dependencies = OrchestrationRoutes.Dependencies(config: config)
        try await ServedOrchestration.with(store: SnapshotStore(orchestrationSnapshot(config, brandUp: true)), dependencies: dependencies) {
            served in
            let answer = try #require(try await served.json("/api/v1/orchestration/deployment/readiness") as? [String: Any])
            let checks = answer["checks"] as? [[String: Any]] ?? []
            let state = try #require(checks.first { $0["name"] as? String == "state_dir_writable" })
            #expect(state["passed"] as? Bool == false)
            #expect((state["recommendation"] as? String)?.contains("/nonexistent/devskyy-state") == true)
            #expect(checks.first { $0["name"] as? String == "redis_writable" }?["passed"] as? Bool == false, "no client given")
        }
    }
}
