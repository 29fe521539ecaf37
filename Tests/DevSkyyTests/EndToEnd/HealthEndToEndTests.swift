import DevSkyyCollect
import DevSkyyCore
import DevSkyyTestSupport
import Foundation
import NIOConcurrencyHelpers
import Testing

/// Health through the built daemon: a source whose uptime value the test sets, a threshold on it, the events
/// stream in Redis and over SSE, a webhook receiver and a real Alertmanager.
@Suite("Health, events and alerts end to end", .serialized)
struct HealthEndToEndTests {
    struct Fixture {
        let folder = TemporaryFolder("health-e2e")
        let redis: RedisServer
        let source: HTTPSource
        let tcpPort = FreePort.allocate()
        let uptime = SourceValue(99.99)
        var configPath: String { folder.file("devskyyd.yaml") }

        /// - Parameter rule: more keys for the threshold rule, each line as `key: value`.
        init(alertmanager: String? = nil, rule: [String] = []) async throws {
            redis = try await RedisServer()
            source = try await HTTPSource()
            let uptime = uptime
            source.handle("/technical.json") { _ in SourceResponse(#"{"uptime": \#(uptime.current)}"#) }
            source.handle("/hook") { _ in SourceResponse("ok") }
            let alertmanagerLine = alertmanager.map { "\n  alertmanager: { url: \($0) }" } ?? ""
            folder.write(
                "devskyyd.yaml",
                """
                redis: { url: \(redis.url), key_prefix: he }
                listen: { unix: "", tcp: 127.0.0.1:\(tcpPort) }
                state_dir: \(folder.file("state"))
                partnerships:
                  - id: technical
                    name: Technical
                    type: technical
                    key_metric: system_uptime
                    deliverables:
                      - { id: api_gateway, name: API gateway }
                collectors:
                  - name: tech
                    partnership: technical
                    url: \(source.url("/technical.json"))
                    interval: 250ms
                    timeout: 200ms
                    metrics:
                      - { name: system_uptime, path: uptime }
                thresholds:
                  - partnership: technical
                    metric: system_uptime
                    warning: { below: 99.9 }
                    critical: { below: 99.0 }\(rule.map { "\n    \($0)" }.joined())
                alerts:
                  resend_interval: 1s
                  webhook: { url: \(source.url("/hook")), retries: 0 }\(alertmanagerLine)
                """
            )
        }

        func start() throws -> DaemonProcess { try DaemonProcess("devskyyd", arguments: ["--config", configPath]) }

        /// A request on a thread of its own: blocking the cooperative pool here would starve other suites' servers.
        func request(_ method: String = "GET", _ path: String, json body: String? = nil) async -> PlainHTTP.Answer? {
            try? await PlainHTTP.request(
                method, path, port: tcpPort, headers: body == nil ? [:] : ["Content-Type": "application/json"],
                body: body.map { Array($0.utf8) })
        }

        func get(_ path: String) async -> [String: Any]? {
            guard let response = await request("GET", path) else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        }

        /// The metric events in the stream, as `from>to`.
        func metricTransitions() async -> [String] {
            let data = await get("/api/v1/events?limit=1000")?["data"] as? [String: Any]
            let events = data?["events"] as? [[String: Any]] ?? []
            return events.filter { $0["kind"] as? String == "metric" }.map { "\($0["from"] as? String ?? "")>\($0["to"] as? String ?? "")" }
        }

        /// The webhook bodies received so far.
        func hooks() -> [String] { source.requests("/hook").map(\.body) }

        func stop() async {
            await source.stop()
            redis.stop()
            folder.remove()
        }
    }

    @Test func transitionsAreStreamedInOrderAndSentLiveWithinASecond() async throws {
        let f = try await Fixture()
        let daemon = try f.start()
        defer { daemon.signal(SIGKILL) }
        #expect(await eventually { await f.metricTransitions() == ["unknown>ok"] })

        let stream = try await StreamingHTTPClient(port: f.tcpPort, path: "/api/v1/events/stream")
        defer { stream.disconnect() }
        #expect(stream.status == 200 && stream.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        let servedBefore = f.source.requestCount("/technical.json")
        f.uptime.set(98.5)
        let received = try await stream.read(until: "\"to\":\"critical\"", timeout: .seconds(5))
        let arrivedAt = Timestamp.now()
        #expect(received != nil, "the transition reached the event stream")
        // The first request that served the breaching value: the event came less than a second after it.
        let served = f.source.requests("/technical.json").dropFirst(servedBefore).first?.time ?? 0
        #expect(arrivedAt - served < 1_000, "event \(arrivedAt - served) ms after the sample was served")

        // The webhook hears the firing on the notifiers' next beat; then the value recovers.
        #expect(await eventually { f.hooks().contains { $0.contains("\"firing\"") } })
        f.uptime.set(99.95)
        #expect(
            await eventually {
                let seen = await f.metricTransitions()
                return seen == ["unknown>ok", "ok>critical", "critical>warning", "warning>ok"]
                    || seen == ["unknown>ok", "ok>critical", "critical>ok"]
            })
        #expect(await eventually { f.hooks().contains { $0.contains("\"resolved\"") } })
        // The self-metrics count what happened (on the next snapshot), and promtool accepts them.
        func metrics() async -> String {
            await f.request("GET", "/metrics").map { String(decoding: $0.body, as: UTF8.self) } ?? ""
        }
        func value(_ line: String) async -> Double {
            await metrics().split(separator: "\n").first { $0.hasPrefix(line + " ") }.flatMap {
                Double($0.split(separator: " ").last ?? "")
            }
                ?? -1
        }
        #expect(await eventually { await value(#"devskyy_alert_notifications_total{notifier="webhook",result="sent"}"#) == 2 })
        #expect(await eventually { await value("devskyy_events_stored_total") >= 3 })
        #expect(await value(#"devskyy_health_state{partnership="technical",metric="system_uptime",state="ok"}"#) == 1)
        try await DaemonEndToEndTests.promtoolAccepts(await metrics())
        daemon.signal(SIGTERM)
        #expect(await daemon.wait().status == 0)
        await f.stop()
    }

    /// The restart takes longer than `missing.after` (two 250 ms intervals), and the rule needs two hits:
    /// the restored level must hold anyway.
    @Test func aRestartWithAnUnchangedStateNotifiesNobody() async throws {
        let f = try await Fixture(rule: ["hits: 2", "missing: { after: 2 }"])
        f.uptime.set(98.5)
        let first = try f.start()
        #expect(await eventually { await f.metricTransitions().last?.hasSuffix(">critical") == true })
        #expect(await eventually { f.hooks().count == 1 })
        let transitions = await f.metricTransitions()
        first.signal(SIGTERM)
        #expect(await first.wait().status == 0)

        // Down for longer than `missing.after`: that time is not missing data.
        try await Task.sleep(for: .seconds(1))
        let second = try f.start()
        defer { second.signal(SIGKILL) }
        #expect(await eventually { f.source.requestCount("/technical.json") > 20 })
        try await Task.sleep(for: .seconds(2))
        #expect(f.hooks().count == 1, "no resolved or repeated firing after the restart: \(f.hooks())")
        #expect(await f.metricTransitions() == transitions, "the restored state made no transition")
        let health = await f.get("/api/v1/orchestration/health")
        let technical = (health?["partnerships"] as? [String: Any])?["technical"] as? [String: Any]
        #expect(technical?["health"] as? String == "critical")
        // The operator's view: label, score and the reason with value, bound and since when.
        let ctl = try await DaemonProcess.run("devskyyctl", ["health", "--url", "http://127.0.0.1:\(f.tcpPort)"])
        #expect(ctl.status == 0)
        let row = ctl.stdout.split(separator: "\n").first { $0.hasPrefix("technical ") }.map(String.init) ?? ""
        #expect(row.contains("critical") && row.contains(" 0 "), "label and score: \(ctl.stdout)")
        #expect(ctl.stdout.contains("system_uptime 98.5 < 99"), "the reason: \(ctl.stdout)")
        let eventsCtl = try await DaemonProcess.run("devskyyctl", ["events", "--url", "http://127.0.0.1:\(f.tcpPort)"])
        #expect(eventsCtl.status == 0 && eventsCtl.stdout.contains("critical"), "\(eventsCtl.stdout)")
        second.signal(SIGTERM)
        #expect(await second.wait().status == 0)
        await f.stop()
    }

    /// A deliverable's progress set through the daemon: stored in Redis, read back after a restart, recorded as an event.
    @Test func deliverableProgressSurvivesARestartAndIsAnEvent() async throws {
        let f = try await Fixture()
        let first = try f.start()
        #expect(await eventually { await f.get("/api/v1/partnerships/") != nil })
        let put = await f.request(
            "PUT", "/api/v1/partnerships/technical/deliverables/api_gateway",
            json: #"{"completion_percentage": 60, "status": "in_progress"}"#)
        #expect(put?.status == 200)
        #expect(await eventually { await f.get("/api/v1/events?limit=100").map { "\($0)".contains("deliverable") } ?? false })
        first.signal(SIGTERM)
        #expect(await first.wait().status == 0)

        let second = try f.start()
        defer { second.signal(SIGKILL) }
        #expect(await eventually { await f.get("/api/v1/partnerships/technical/deliverables") != nil })
        let deliverables = await f.get("/api/v1/partnerships/technical/deliverables")
        let listed = "\(deliverables ?? [:])"
        #expect(listed.contains("in_progress") && listed.contains("60"), "\(listed)")
        second.signal(SIGTERM)
        #expect(await second.wait().status == 0)
        await f.stop()
    }

    @Test func alertmanagerShowsTheAlertFiringThenResolved() async throws {
        let alertmanager = try await AlertmanagerServer()
        defer { alertmanager.stop() }
        let f = try await Fixture(alertmanager: alertmanager.url)
        let daemon = try f.start()
        defer { daemon.signal(SIGKILL) }
        f.uptime.set(98.5)
        func active() async -> [[String: Any]] {
            let alerts = (try? await alertmanager.alerts()) ?? []
            return alerts.filter { (($0["status"] as? [String: Any])?["state"] as? String) == "active" }
        }
        #expect(
            await eventually(timeout: .seconds(15)) {
                await active().contains {
                    ($0["labels"] as? [String: String])?["metric"] == "system_uptime"
                        && ($0["labels"] as? [String: String])?["severity"] == "critical"
                }
            })
        f.uptime.set(99.95)
        #expect(await eventually(timeout: .seconds(15)) { await active().isEmpty })
        daemon.signal(SIGTERM)
        #expect(await daemon.wait().status == 0)
        await f.stop()
    }
}

/// The value the test source serves, changed by the test while the daemon runs.
final class SourceValue: Sendable {
    private let value: NIOLockedValueBox<Double>

    init(_ value: Double) { self.value = NIOLockedValueBox(value) }

    var current: Double { value.withLockedValue { $0 } }
    func set(_ new: Double) { value.withLockedValue { $0 = new } }
}
