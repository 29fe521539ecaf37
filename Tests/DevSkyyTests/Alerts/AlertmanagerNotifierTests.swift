import DevSkyyCollect
import DevSkyyCore
import DevSkyyDaemon
import DevSkyyTestSupport
import Foundation
import Testing

/// The alerts a real Alertmanager holds for one metric, with their `status.state`.
func alertStates(_ server: AlertmanagerServer, metric: String) async throws -> [String] {
    try await server.alerts().filter { ($0["labels"] as? [String: String])?["metric"] == metric }.compactMap {
        ($0["status"] as? [String: Any])?["state"] as? String
    }
}

@Suite("Alertmanager notifier against a real Alertmanager")
struct AlertmanagerNotifierTests {
    @Test func firingAlertBecomesActiveAndResolvedOneDoesNot() async throws {
        let server = try await AlertmanagerServer()
        defer { server.stop() }
        let engine = CurlEngine()
        let notifier = AlertmanagerNotifier(
            settings: .init(url: server.url, timeout: .seconds(5)), engine: engine, logger: LogCapture().logger)
        let now = Timestamp.now()
        let firing = firingNotice(startsAt: now - 60_000, endsAt: now + 240_000)
        #expect(await notifier.send([firing]))

        let alerts = try await server.alerts(query: "active=true")
        let alert = try #require(alerts.first { ($0["labels"] as? [String: String])?["metric"] == "system_uptime" })
        #expect(
            alert["labels"] as? [String: String]
                == ["alertname": "DevSkyyMetricHealth", "partnership": "technical", "metric": "system_uptime", "severity": "critical"])
        #expect((alert["annotations"] as? [String: String])?["summary"] == "technical.system_uptime is critical")
        #expect((alert["status"] as? [String: Any])?["state"] as? String == "active")
        // Alertmanager writes fractional seconds: compare up to the seconds.
        let startsAt = String(Timestamp.iso8601(milliseconds: now - 60_000).dropLast())
        #expect((alert["startsAt"] as? String)?.hasPrefix(startsAt) == true)

        var resolved = firing
        resolved.status = .resolved
        resolved.endsAt = now
        #expect(await notifier.send([resolved]))
        #expect(try await eventually { try await alertStates(server, metric: "system_uptime").allSatisfy { $0 != "active" } })
        #expect(try await server.alerts(query: "active=true").isEmpty)
        #expect(notifier.counts == NotifierCounts(sent: 2, failed: 0))
        await engine.shutdown()
    }

    @Test func anAlertmanagerThatIsDownCountsAFailure() async throws {
        let engine = CurlEngine()
        let notifier = AlertmanagerNotifier(
            settings: .init(url: "http://127.0.0.1:\(FreePort.allocate())", timeout: .seconds(1)), engine: engine,
            logger: LogCapture().logger, backoff: .milliseconds(10))
        #expect(!(await notifier.send([firingNotice(startsAt: 0, endsAt: 1)])))
        #expect(notifier.counts == NotifierCounts(sent: 0, failed: 1))
        await engine.shutdown()
    }
}
