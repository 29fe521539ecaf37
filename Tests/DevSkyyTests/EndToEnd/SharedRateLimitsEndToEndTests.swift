import DevSkyyAuth
import DevSkyyCore
import DevSkyyTestSupport
import Foundation
import Testing

/// `rate_limits.shared: true` on two built daemons with one redis-server: one limit between them, `/status` saying
/// where requests are counted (also while Redis is away), and the access counters in `/metrics`.
@Suite("Shared rate limits end to end", .serialized)
struct SharedRateLimitsEndToEndTests {
    typealias Fixture = DaemonEndToEndTests.Fixture
    typealias Daemon = AuthEndToEndTests.Daemon

    @Test func twoDaemonsOnOneRedisHoldOneLimitAndCountTheirRefusals() async throws {
        let hash = try PasswordHasher.makeHash(AuthEndToEndTests.password, cost: 10)
        let (key, viewer) = (APIKey.generate(), APIKey.generate())
        try await Fixture.run { f in
            let path = try AuthEndToEndTests.writeConfig(
                f, "shared.yaml", passwordHash: hash, keys: [("ops", key, "orchestration_admin"), ("grafana", viewer, "metrics_viewer")],
                more: "rate_limits: { metrics: 3/min, shared: true }")
            // The second daemon: the same file but for its listeners and state folder.
            let secondPort = FreePort.allocate()
            let secondState = f.folder.file("second")
            try FileManager.default.createDirectory(atPath: secondState, withIntermediateDirectories: true)
            f.folder.write(
                "second.yaml",
                try String(contentsOfFile: path, encoding: .utf8)
                    .replacingOccurrences(of: "tcp: 127.0.0.1:\(f.tcpPort)", with: "tcp: 127.0.0.1:\(secondPort)")
                    .replacingOccurrences(of: "unix: \(f.socketPath)", with: "unix: \(f.folder.file("second.sock"))")
                    .replacingOccurrences(of: "state_dir: \(f.folder.path)\n", with: "state_dir: \(secondState)\n"))
            let daemons = [try f.start(config: path, systemd: false), try f.start(config: f.folder.file("second.yaml"), systemd: false)]
            defer { for daemon in daemons { daemon.signal(SIGKILL) } }
            let (one, two) = (Daemon(port: f.tcpPort), Daemon(port: secondPort))
            // Probes and scrapes go over the Unix sockets, which are not counted: over TCP they would share the
            // address's `metrics` bucket with the requests under test.
            let sockets = [f.socketPath, f.folder.file("second.sock")]
            func unix(_ daemon: Int, _ path: String) async throws -> PlainHTTP.Answer {
                try await PlainHTTP.request("GET", path, unixPath: sockets[daemon])
            }
            for daemon in 0..<2 {
                let up = await eventually(timeout: .seconds(20)) {
                    (try? await unix(daemon, "/api/v1/orchestration/health").status) == 200
                }
                #expect(up, "\(daemons.map(\.stderrSoFar))")
            }

            // One API key, alternating between the daemons: three 200s between them, then 429 on both.
            var statuses: [Int] = []
            var remaining: [String] = []
            for i in 0..<8 {
                let answer = try await (i.isMultiple(of: 2) ? one : two).send("GET", "/api/v1/series", apiKey: key)
                statuses.append(answer.status)
                if answer.status == 200 { remaining.append(answer.headers["x-ratelimit-remaining"] ?? "") }
            }
            #expect(statuses == [200, 200, 200, 429, 429, 429, 429, 429])
            #expect(remaining == ["2", "1", "0"], "each daemon's headers come from the one shared bucket")

            for d in [one, two] {
                let status = try d.object(try await d.send("GET", "/api/v1/orchestration/status", apiKey: key))
                let limits = try #require(status["rate_limits"] as? [String: Any])
                #expect(limits["shared"] as? Bool == true)
                #expect(limits["counting"] as? String == "redis")
            }

            // A login and a reused refresh token on the first daemon; then five failed logins between the two, which
            // throttle a sixth on either.
            let login = try await one.login()
            #expect(login.status == 200)
            let refresh = try one.tokens(login).refresh
            #expect(try await one.refresh(refresh).status == 200)
            #expect(try await one.refresh(refresh).status == 401, "reused")
            for i in 0..<5 { #expect(try await (i.isMultiple(of: 2) ? one : two).login("wrong password").status == 401) }
            #expect(try await two.login("wrong password").status == 429, "five failures between the daemons")

            // A 401 and a 403 on the first daemon, then its counters.
            #expect(try await one.send("GET", "/api/v1/series", apiKey: "dsk_not-a-key").status == 401)
            #expect(try await one.send("GET", "/api/v1/orchestration/config", apiKey: viewer).status == 403)
            let metrics = String(decoding: try await unix(0, "/metrics").body, as: UTF8.self)
            #expect(Self.value(metrics, #"devskyy_rate_limited_total{class="metrics"}"#) == 2)
            #expect(Self.value(metrics, #"devskyy_rate_limited_total{class="default"}"#) == 0)
            #expect(Self.value(metrics, #"devskyy_rate_limited_total{class="login"}"#) == 0)
            #expect(Self.value(metrics, #"devskyy_auth_requests_total{result="rate_limited"}"#) == 2)
            #expect(Self.value(metrics, #"devskyy_auth_requests_total{result="unauthorized"}"#) == 1)
            #expect(Self.value(metrics, #"devskyy_auth_requests_total{result="forbidden"}"#) == 1)
            #expect((Self.value(metrics, #"devskyy_auth_requests_total{result="allowed"}"#) ?? 0) >= 3)
            #expect(Self.value(metrics, #"devskyy_auth_requests_total{result="login_ok"}"#) == 1)
            #expect(Self.value(metrics, #"devskyy_auth_requests_total{result="login_failed"}"#) == 3)
            #expect(Self.value(metrics, #"devskyy_auth_requests_total{result="refresh_reuse"}"#) == 1)
            let second = String(decoding: try await unix(1, "/metrics").body, as: UTF8.self)
            #expect(Self.value(second, #"devskyy_rate_limited_total{class="metrics"}"#) == 3)
            #expect(Self.value(second, #"devskyy_rate_limited_total{class="login"}"#) == 1)
            #expect(Self.value(second, #"devskyy_auth_requests_total{result="login_failed"}"#) == 2)
            #expect(Self.value(second, #"devskyy_auth_requests_total{result="rate_limited"}"#) == 4)
            try await DaemonEndToEndTests.promtoolAccepts(metrics)

            // Kept-alive requests, which the fast path would answer alone, are counted in Redis too: the address's
            // `metrics` bucket is one between the daemons.
            #expect(try await one.keptAlive("/metrics", count: 2).map(\.status) == [200, 200])
            #expect(try await two.keptAlive("/metrics", count: 2).map(\.status) == [200, 429])

            // Redis away: the first daemon counts alone and says so; Redis back: shared again.
            f.redis.kill()
            let away = try one.object(try await one.send("GET", "/api/v1/orchestration/status", apiKey: key))
            #expect((away["rate_limits"] as? [String: Any])?["counting"] as? String == "local")
            try await f.redis.start()
            let back = await eventually(timeout: .seconds(30)) {
                let answer = try? await one.send("GET", "/api/v1/orchestration/status", apiKey: key)
                let object = answer.flatMap { try? one.object($0) }
                return (object?["rate_limits"] as? [String: Any])?["counting"] as? String == "redis"
            }
            #expect(back, "counting in Redis again once it answers")
            let log = daemons[0].stderrSoFar
            #expect(log.components(separatedBy: "rate limits: Redis cannot be reached").count == 2, "logged once")
            #expect(log.components(separatedBy: "rate limits: counting in Redis again").count == 2, "logged once")
        }
    }

    /// The value of the exposition line that starts with `series` (name and labels).
    static func value(_ exposition: String, _ series: String) -> Int? {
        exposition.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Int($0.split(separator: " ").last ?? "") }
    }
}
