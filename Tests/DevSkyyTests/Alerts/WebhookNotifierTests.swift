import DevSkyyCollect
import DevSkyyCore
import DevSkyyDaemon
import DevSkyyTestSupport
import Foundation
import Testing

@Suite("Webhook notifier against a loopback receiver")
struct WebhookNotifierTests {
    func settings(_ url: String, retries: Int = 3) -> AlertSettings.Webhook {
        .init(url: url, headers: ["Authorization": "Bearer s3cret-hook"], timeout: .seconds(2), retries: retries)
    }

    @Test func postsAlertmanagerShapedJSONWithTheHeaders() async throws {
        let source = try await HTTPSource()
        let engine = CurlEngine()
        let logs = LogCapture()
        source.serve("/hook", "{}")
        let notifier = WebhookNotifier(settings: settings(source.url("/hook")), engine: engine, logger: logs.logger)
        var resolved = firingNotice("api_response_time", severity: .warning, startsAt: 1_700_000_000_000, endsAt: 1_700_000_090_500)
        resolved.status = .resolved
        let sent = await notifier.send([firingNotice(startsAt: 1_700_000_000_000), resolved])
        #expect(sent)
        let request = try #require(source.requests("/hook").first)
        #expect(request.method == "POST")
        #expect(request.headers["authorization"] == "Bearer s3cret-hook")
        #expect(request.headers["content-type"] == "application/json")
        let body = try #require(json(request.body) as? [String: Any])
        #expect(body["status"] as? String == "firing")
        #expect(body["version"] as? String == "4")
        let alerts = try #require(body["alerts"] as? [[String: Any]])
        #expect(alerts.count == 2)
        #expect(alerts[0]["status"] as? String == "firing")
        #expect(
            alerts[0]["labels"] as? [String: String]
                == ["alertname": "DevSkyyMetricHealth", "partnership": "technical", "metric": "system_uptime", "severity": "critical"])
        #expect(
            alerts[0]["annotations"] as? [String: String]
                == ["summary": "technical.system_uptime is critical", "description": "value 98.5 below 99"])
        #expect(alerts[0]["startsAt"] as? String == "2023-11-14T22:13:20Z")
        #expect(alerts[0]["endsAt"] as? String == "0001-01-01T00:00:00Z")
        #expect(alerts[0]["value"] as? Double == 98.5)
        #expect(alerts[1]["status"] as? String == "resolved")
        #expect(alerts[1]["endsAt"] as? String == "2023-11-14T22:14:50Z")
        #expect(notifier.counts == NotifierCounts(sent: 1, failed: 0))
        await engine.shutdown()
        await source.stop()
    }

    @Test func aServerErrorIsRetriedWithBackoffUntilItSucceeds() async throws {
        let source = try await HTTPSource()
        let engine = CurlEngine()
        let calls = Counter()
        source.handle("/hook") { _ in calls.next() == 1 ? SourceResponse(status: 500, "down") : SourceResponse("{}") }
        let notifier = WebhookNotifier(
            settings: settings(source.url("/hook")), engine: engine, logger: LogCapture().logger, backoff: .milliseconds(200))
        #expect(await notifier.send([firingNotice(startsAt: 0)]))
        let requests = source.requests("/hook")
        #expect(requests.count == 2)
        #expect(requests.count == 2 && requests[1].time - requests[0].time >= 150)
        #expect(requests.map(\.body).allSatisfy { $0 == requests[0].body })
        #expect(notifier.counts == NotifierCounts(sent: 1, failed: 0))
        await engine.shutdown()
        await source.stop()
    }

    @Test func retriesRunOutOnServerErrorsButAClientErrorIsNotRetried() async throws {
        let source = try await HTTPSource()
        let engine = CurlEngine()
        source.serve("/busy", status: 503, "{}")
        source.serve("/bad", status: 400, "{}")
        let logs = LogCapture()
        let busy = WebhookNotifier(
            settings: settings(source.url("/busy"), retries: 2), engine: engine, logger: logs.logger, backoff: .milliseconds(10))
        let bad = WebhookNotifier(settings: settings(source.url("/bad")), engine: engine, logger: logs.logger, backoff: .milliseconds(10))
        #expect(!(await busy.send([firingNotice(startsAt: 0)])))
        #expect(!(await bad.send([firingNotice(startsAt: 0)])))
        #expect(source.requestCount("/busy") == 3)
        #expect(source.requestCount("/bad") == 1)
        #expect(busy.counts == NotifierCounts(sent: 0, failed: 1))
        #expect(bad.counts == NotifierCounts(sent: 0, failed: 1))
        #expect(logs.all.contains { $0.contains("webhook failed after 3 attempt(s): HTTP 503") })
        #expect(logs.all.contains { $0.contains("webhook failed after 1 attempt(s): HTTP 400") })
        await engine.shutdown()
        await source.stop()
    }

    @Test func transportErrorsAreRetriedAndLoggedWithoutSecrets() async throws {
        let engine = CurlEngine()
        let logs = LogCapture()
        let refusing = RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let url = "http://127.0.0.1:\(refusing.port)/hooks/T0K3N-in-path?key=T0K3N"
        let notifier = WebhookNotifier(settings: settings(url, retries: 1), engine: engine, logger: logs.logger, backoff: .milliseconds(10))
        #expect(!(await notifier.send([firingNotice(startsAt: 0)])))
        #expect(notifier.counts == NotifierCounts(sent: 0, failed: 1))
        let text = logs.all.joined(separator: "\n")
        #expect(text.contains("webhook failed after 2 attempt(s): connect"))
        #expect(text.contains("receiver=http://127.0.0.1:"))
        #expect(!text.contains("s3cret"))
        #expect(!text.contains("T0K3N"))
        await engine.shutdown()
    }
}
