import DevSkyyCollect
import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport
import Foundation
import NIOConcurrencyHelpers
import Testing

/// The built devskyyd binary against a real redis-server, a loopback HTTP source and a real NOTIFY_SOCKET.
@Suite("devskyyd end to end", .serialized)
struct DaemonEndToEndTests {
    struct Fixture {
        let folder = TemporaryFolder("e2e")
        let redis: RedisServer
        let source: HTTPSource
        let notify: NotifySocket
        let tcpPort = FreePort.allocate()
        let started = Started()
        var socketPath: String { folder.file("d.sock") }
        var configPath: String { folder.file("devskyyd.yaml") }

        init() async throws {
            redis = try await RedisServer()
            source = try await HTTPSource()
            notify = try NotifySocket(folder: folder)
        }

        func writeConfig() {
            folder.write("technical.json", #"{"metrics": {"system_uptime": 99.95, "api_response_time": 85}}"#)
            source.serve("/brand.json", #"{"social": {"instagram": {"followers": 1200, "engagement": 8.5}}, "engagement_rate": 6.5}"#)
            folder.write(
                "devskyyd.yaml",
                """
                redis:
                  url: \(redis.url)
                  key_prefix: e2e
                listen:
                  unix: \(socketPath)
                  unix_mode: "0600"
                  tcp: 127.0.0.1:\(tcpPort)
                state_dir: \(folder.path)
                partnerships:
                  - { id: technical, name: Technical Engine, type: technical, key_metric: system_uptime }
                  - { id: brand, name: Brand Amplification, type: brand, key_metric: engagement_rate }
                collectors:
                  - name: technical-file
                    partnership: technical
                    url: file://\(folder.file("technical.json"))
                    interval: 1s
                    timeout: 500ms
                    metrics:
                      - { name: system_uptime, path: metrics.system_uptime }
                      - { name: api_response_time, path: metrics.api_response_time, unit: ms }
                  - name: brand-http
                    partnership: brand
                    url: \(source.url("/brand.json"))
                    interval: 1s
                    timeout: 500ms
                    headers: { Authorization: "Bearer ${BRAND_TOKEN}" }
                    metrics:
                      - { name: engagement_rate, path: engagement_rate }
                      - { name: followers, path: "social.*.followers", key_labels: [platform] }
                thresholds:
                  - partnership: technical
                    metric: system_uptime
                    warning: { below: 99.9 }
                    critical: { below: 99.0 }
                  - partnership: brand
                    metric: engagement_rate
                    critical: { below: 2 }
                """
            )
        }

        func start(config: String? = nil, systemd: Bool = true) throws -> DaemonProcess {
            var environment = ["BRAND_TOKEN": "brand-secret-token"]
            if systemd {
                environment["NOTIFY_SOCKET"] = notify.path
                environment["WATCHDOG_USEC"] = "1000000"
            }
            let daemon = try DaemonProcess("devskyyd", arguments: ["--config", config ?? configPath], environment: environment)
            started.add(daemon)
            return daemon
        }

        /// Runs the body with a fresh fixture and releases everything it started, even when the body fails.
        static func run(_ body: (Fixture) async throws -> Void) async throws {
            let fixture = try await Fixture()
            fixture.writeConfig()
            do {
                try await body(fixture)
            } catch {
                await fixture.stop()
                throw error
            }
            await fixture.stop()
        }

        func health() throws -> [String: Any] {
            try json(
                fetchBlocking(.init(url: "http://localhost/api/v1/orchestration/health", timeout: .seconds(2), unixSocketPath: socketPath))
                    .get())
        }

        func tcp(_ path: String) throws -> FetchResponse {
            try fetchBlocking(.init(url: "http://127.0.0.1:\(tcpPort)\(path)", timeout: .seconds(2))).get()
        }

        func json(_ response: FetchResponse) throws -> [String: Any] {
            try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        }

        func stop() async {
            started.killAll()
            notify.close()
            await source.stop()
            redis.stop()
            folder.remove()
        }
    }

    @Test func collectsServesFollowsThresholdsSurvivesRedisAndStopsCleanly() async throws {
        try await Fixture.run { f in try await collectsServesFollowsThresholdsSurvivesRedisAndStopsCleanly(f) }
    }

    func collectsServesFollowsThresholdsSurvivesRedisAndStopsCleanly(_ f: Fixture) async throws {
        let daemon = try f.start()

        #expect(await f.notify.waitFor { $0 == "READY=1" }, "READY=1 within 20 s")
        #expect(await f.notify.waitFor { $0 == "WATCHDOG=1" }, "watchdog heartbeats while WATCHDOG_USEC is set")
        #expect(FileManager.default.fileExists(atPath: f.socketPath))
        let mode = try FileManager.default.attributesOfItem(atPath: f.socketPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // Health over the Unix socket, once both collectors have run.
        #expect(await eventually { (try? f.health()).map(Self.bothUp) ?? false })
        var health = try f.health()
        #expect(health["status"] as? String == "healthy")
        let technical = try #require((health["partnerships"] as? [String: Any])?["technical"] as? [String: Any])
        #expect(technical["health"] as? String == "excellent")
        #expect(technical["uptime"] as? Double == 99.95)
        #expect((health["redis"] as? [String: Any])?["status"] as? String == "up")

        // Metrics over TCP, in the seeds' shape and as Prometheus text that promtool accepts.
        let metrics = try #require(
            JSONSerialization.jsonObject(with: Data(f.tcp("/api/v1/orchestration/metrics").body)) as? [[String: Any]])
        let brandMetrics = metrics.first { $0["partnership_id"] as? String == "brand" }?["metrics"] as? [String: Any]
        #expect(brandMetrics?["engagement_rate"] as? Double == 6.5)
        #expect(brandMetrics?["followers,platform=instagram"] as? Double == 1_200)
        let exposition = try f.tcp("/metrics")
        #expect(exposition.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = String(decoding: exposition.body, as: UTF8.self)
        #expect(text.contains("devskyy_system_uptime{partnership=\"technical\"} 99.95\n"))
        #expect(text.contains("devskyy_followers{partnership=\"brand\",platform=\"instagram\"} 1200\n"))
        #expect(text.contains("devskyy_collector_up{collector=\"brand-http\",partnership=\"brand\"} 1\n"))
        try await Self.promtoolAccepts(text)

        // The samples reach Redis under the documented keys (the writer gathers for 100 ms first).
        let client = RedisClient(settings: .init(endpoint: try RedisEndpoint.parse(f.redis.url).get()))
        #expect(await eventually { (try? await client.command(["ZCARD", "e2e:ts:technical.system_uptime"]).integer) ?? 0 >= 1 })
        #expect(await eventually { (try? await client.command(["HGET", "e2e:latest:brand", "engagement_rate"])) == .string("6.5") })

        // devskyyctl reads the same health over the socket.
        let ctl = try await DaemonProcess.run("devskyyctl", ["health", "--socket", f.socketPath])
        #expect(ctl.status == 0)
        #expect(ctl.stdout.contains("technical") && ctl.stdout.contains("excellent"))
        let ctlMetrics = try await DaemonProcess.run("devskyyctl", ["metrics", "--url", "http://127.0.0.1:\(f.tcpPort)", "--json"])
        #expect(ctlMetrics.stdout.contains("\"engagement_rate\":6.5"))

        // History, from Redis, through the daemon: devskyyctl series and query over the socket.
        let listed = try await DaemonProcess.run("devskyyctl", ["series", "partnership=brand", "--socket", f.socketPath])
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("brand.followers,platform=instagram") && !listed.stdout.contains("technical."), "\(listed.stdout)")
        let queried = try await DaemonProcess.run(
            "devskyyctl", ["query", "brand.engagement_rate", "--from", "-5m", "--agg", "max", "--socket", f.socketPath, "--json"]
        )
        #expect(queried.status == 0)
        #expect(queried.stdout.contains("\"status\":\"success\"") && queried.stdout.contains("6.5"), "\(queried.stdout)")
        let refused = try await DaemonProcess.run(
            "devskyyctl", ["query", "brand.engagement_rate", "--agg", "median", "--socket", f.socketPath])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("agg"), "\(refused.stderr)")

        // The source crosses a threshold: the partnership and the system go critical.
        f.source.serve("/brand.json", #"{"social": {"instagram": {"followers": 1200}}, "engagement_rate": 1.5}"#)
        #expect(await eventually { (try? f.health())?["status"] as? String == "critical" })
        health = try f.health()
        let brand = try #require((health["partnerships"] as? [String: Any])?["brand"] as? [String: Any])
        #expect(brand["health"] as? String == "critical")
        #expect(await f.notify.waitFor(timeout: .seconds(5)) { $0.hasPrefix("STATUS=critical") })

        // Redis goes away: the daemon keeps serving and says so; then it reconnects by itself.
        f.redis.kill()
        #expect(await eventually { ((try? f.health())?["redis"] as? [String: Any])?["status"] as? String == "down" })
        #expect(await f.notify.waitFor(timeout: .seconds(5)) { $0.contains("redis DOWN") })
        #expect((try? f.tcp("/metrics"))?.status == 200)
        try await f.redis.start()
        #expect(await eventually(timeout: .seconds(15)) { ((try? f.health())?["redis"] as? [String: Any])?["status"] as? String == "up" })
        #expect(
            await eventually { (try? await client.command(["ZCARD", "e2e:ts:brand.engagement_rate"]).integer) ?? 0 >= 1 }, "writing resumed"
        )

        // SIGTERM: STOPPING=1, exit status 0, socket file removed.
        daemon.signal(SIGTERM)
        let exit = await daemon.wait()
        #expect(exit.status == 0)
        #expect(f.notify.messages.contains { $0.contains("STOPPING=1") })
        #expect(!FileManager.default.fileExists(atPath: f.socketPath))
        #expect(!exit.stderr.contains("brand-secret-token"), "secrets never reach the log")
    }

    @Test func staleSocketFileIsReplacedALiveOneRefusedAndRunsWithoutSystemd() async throws {
        try await Fixture.run { f in try await staleSocketFileIsReplacedALiveOneRefusedAndRunsWithoutSystemd(f) }
    }

    func staleSocketFileIsReplacedALiveOneRefusedAndRunsWithoutSystemd(_ f: Fixture) async throws {
        // A socket file nobody listens on, as left by a crash.
        FileManager.default.createFile(atPath: f.socketPath, contents: nil)
        unlink(f.socketPath)
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(f.socketPath.utf8)) }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(stale)
        #expect(FileManager.default.fileExists(atPath: f.socketPath))

        let daemon = try f.start(systemd: false)
        #expect(await eventually { (try? f.health())?["status"] != nil })
        #expect(f.notify.messages.isEmpty, "no NOTIFY_SOCKET, no notifications")

        // A second daemon with the same state_dir refuses to start: one outbox per folder.
        let text = try String(contentsOfFile: f.configPath, encoding: .utf8)
        f.folder.write("shared.yaml", text.replacingOccurrences(of: "tcp: 127.0.0.1:\(f.tcpPort)", with: "tcp: \"\""))
        let sharing = await (try f.start(config: f.folder.file("shared.yaml"), systemd: false)).wait()
        #expect(sharing.status == 1)
        #expect(sharing.stderr.contains("cannot open the outbox"), "\(sharing.stderr)")

        // A second daemon on the same live socket (its TCP listener disabled, its own state_dir) refuses to start.
        let second = f.folder.file("second.yaml")
        let ownState = TemporaryFolder("state")
        defer { ownState.remove() }
        f.folder.write(
            "second.yaml",
            text.replacingOccurrences(of: "tcp: 127.0.0.1:\(f.tcpPort)", with: "tcp: \"\"")
                .replacingOccurrences(of: "state_dir: \(f.folder.path)", with: "state_dir: \(ownState.path)")
        )
        let secondDaemon = try f.start(config: second, systemd: false)
        let refused = await secondDaemon.wait()
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("another process is listening on \(f.socketPath)"))
        #expect((try? f.health())?["status"] != nil, "the first daemon still answers")

        daemon.signal(SIGTERM)
        #expect(await daemon.wait().status == 0)
    }

    @Test func checkConfigExitsZeroOrOneWithFileAndLine() async throws {
        let folder = TemporaryFolder("cfg")
        defer { folder.remove() }
        folder.write(
            "good.yaml",
            """
            partnerships:
              - { id: technical, type: technical }
            collectors:
              - name: t
                partnership: technical
                url: file:///dev/null
                metrics: [{ name: m, path: a }]
            """
        )
        folder.write(
            "bad.yaml",
            "partnerships:\n  - { id: technical, type: technical }\ncollectors:\n  - name: t\n    partnership: nope\n    url: x\n    interval: soon\n"
        )
        let good = try await DaemonProcess.run("devskyyd", ["--check-config", "--config", folder.file("good.yaml")])
        #expect(good.status == 0)
        let bad = try await DaemonProcess.run("devskyyd", ["--check-config", "--config", folder.file("bad.yaml")])
        #expect(bad.status == 1)
        let path = folder.file("bad.yaml")
        #expect(bad.stderr.contains("\(path):5: collectors[0].partnership: unknown partnership 'nope'"))
        #expect(bad.stderr.contains("\(path):6: collectors[0].url: bad URL"))
        #expect(bad.stderr.contains("\(path):7: collectors[0].interval: bad duration 'soon'"))
        #expect(bad.stderr.contains("\(path):4: collectors[0]: missing required key 'metrics'") || bad.stderr.contains("metrics"))
        let missing = try await DaemonProcess.run("devskyyd", ["--check-config", "--config", folder.file("none.yaml")])
        #expect(missing.status == 1)
    }

    static func bothUp(_ health: [String: Any]) -> Bool {
        let collectors = health["collectors"] as? [[String: Any]] ?? []
        return collectors.count == 2 && collectors.allSatisfy { $0["up"] as? Bool == true }
    }

    /// Runs `promtool check metrics` (Debian package `prometheus`) on the exposition.
    static func promtoolAccepts(_ text: String) async throws {
        let path = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else {
            Issue.record("promtool is not installed (apt-get install prometheus); `make test` installs it")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "promtool check metrics: \(said)")
    }
}

/// The daemons a fixture started, killed at the end if a failed test left them running.
final class Started: Sendable {
    private let processes = NIOLockedValueBox<[DaemonProcess]>([])

    func add(_ process: DaemonProcess) { processes.withLockedValue { $0.append(process) } }

    func killAll() {
        for process in processes.withLockedValue({ $0 }) { process.signal(SIGKILL) }
    }
}
