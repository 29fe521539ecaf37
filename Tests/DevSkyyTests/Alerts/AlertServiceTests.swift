import DevSkyyCollect
import DevSkyyCore
import DevSkyyDaemon
import DevSkyyTestSupport
import Foundation
import Testing

@Suite("Alert service: events in, webhook and Alertmanager out")
struct AlertServiceTests {
    @Test func firesAndResolvesOnBothNotifiers() async throws {
        let server = try await AlertmanagerServer()
        defer { server.stop() }
        let source = try await HTTPSource()
        source.serve("/hook", "{}")
        let engine = CurlEngine()
        var settings = AlertSettings()
        settings.delay = .milliseconds(300)
        settings.webhook = .init(url: source.url("/hook"), headers: ["Authorization": "Bearer s3cret-hook"])
        settings.alertmanager = .init(url: server.url)
        let logs = LogCapture()
        let service = AlertService(settings: settings, engine: engine, logger: logs.logger, tick: .milliseconds(50))
        let running = Task { await service.run() }

        let start = Timestamp.now()
        service.handle([
            HealthEvent(
                time: start, kind: .metric, entity: "technical.system_uptime", partnership: "technical", metric: "system_uptime",
                from: "ok", to: "critical", value: 97, reason: "value 97 below 99")
        ])
        #expect(await eventually { source.requestCount("/hook") == 1 })
        #expect(try await eventually { try await alertStates(server, metric: "system_uptime") == ["active"] })
        let firstHook = try #require(source.requests("/hook").first)
        #expect(firstHook.time - start >= 300)
        #expect(service.firingAlerts.map(\.startsAt) == [start])

        service.handle([
            HealthEvent(
                time: Timestamp.now(), kind: .metric, entity: "technical.system_uptime", partnership: "technical",
                metric: "system_uptime", from: "critical", to: "ok", reason: "value 99.5")
        ])
        #expect(await eventually { source.requestCount("/hook") == 2 })
        #expect(try await eventually { try await alertStates(server, metric: "system_uptime").allSatisfy { $0 != "active" } })
        let body = try #require(json(source.requests("/hook")[1].body) as? [String: Any])
        #expect(body["status"] as? String == "resolved")
        #expect(service.firingAlerts.isEmpty)
        // Counted once the answer is read, which may be after the source has recorded the request.
        #expect(await eventually { service.counts.webhook == NotifierCounts(sent: 2, failed: 0) })
        #expect(service.counts.alertmanager.sent >= 2)
        #expect(!logs.all.joined().contains("s3cret"))

        running.cancel()
        await running.value
        await engine.shutdown()
        await source.stop()
    }
}
