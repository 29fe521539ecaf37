import DevSkyyCore
import DevSkyyDaemon
import Testing

@Suite("Alert configuration")
struct AlertConfigTests {
    static let base = """
        partnerships:
          - { id: technical, type: technical }

        """

    func load(_ alerts: String, environment: [String: String] = ["HOOK_TOKEN": "s3cret-hook"]) throws(ConfigError) -> DaemonConfig {
        try ConfigLoader(environment: environment).load(yaml: Self.base + alerts, file: "alerts.yaml")
    }

    func issues(_ alerts: String, environment: [String: String] = ["HOOK_TOKEN": "s3cret-hook"]) -> [ConfigIssue] {
        do {
            _ = try load(alerts, environment: environment)
            return []
        } catch {
            return error.issues
        }
    }

    @Test func withoutAnAlertsSectionNothingIsSent() throws {
        let config = try load("")
        #expect(config.alerts == AlertSettings())
        #expect(!config.alerts.isEnabled)
    }

    @Test func decodesEverythingWithSecretsExpanded() throws {
        let config = try load(
            """
            alerts:
              delay: 30s
              repeat_interval: 2h
              resend_interval: 30s
              webhook: { url: "https://hooks.example/devskyy/T0K3N", headers: { Authorization: "Bearer ${HOOK_TOKEN}" }, timeout: 3s, retries: 5 }
              alertmanager: { url: "http://127.0.0.1:9093/", timeout: 2s }
            """)
        let alerts = config.alerts
        #expect(alerts.delay == .seconds(30))
        #expect(alerts.repeatInterval == .seconds(7_200))
        #expect(alerts.resendInterval == .seconds(30))
        #expect(
            alerts.webhook
                == .init(
                    url: "https://hooks.example/devskyy/T0K3N", headers: ["Authorization": "Bearer s3cret-hook"], timeout: .seconds(3),
                    retries: 5))
        #expect(alerts.alertmanager?.alertsURL == "http://127.0.0.1:9093/api/v2/alerts")
        #expect(alerts.alertmanager?.timeout == .seconds(2))
        // What a log line would show of the webhook: no token, no header value.
        #expect("\(alerts.webhook!)" == "webhook https://hooks.example (headers: Authorization)")
    }

    @Test func defaults() throws {
        let alerts = try load("alerts:\n  alertmanager: { url: \"http://am:9093\" }\n").alerts
        #expect(alerts.delay == .zero)
        #expect(alerts.repeatInterval == .seconds(4 * 3_600))
        #expect(alerts.resendInterval == .seconds(60))
        #expect(alerts.webhook == nil)
        #expect(alerts.alertmanager == .init(url: "http://am:9093", timeout: .seconds(5)))
    }

    @Test func problemsAreReportedWithTheirLineAndWithoutSecrets() {
        let found = issues(
            """
            alerts:
              delay: soon
              resend_interval: 0s
              color: red
              webhook:
                url: "ftp://hooks.example/T0K3N"
                headers: { Authorization: "Bearer ${HOOK_TOKEN}", X-Other: "${MISSING_TOKEN}" }
                retries: -1
              alertmanager: { url: "file:///tmp/x" }
            """)
        let text = found.map(\.description)
        #expect(text.contains("alerts.yaml:4: config.alerts.delay: bad duration 'soon' (use 500ms, 10s, 5m, 1h or 7d, up to 365000d)"))
        #expect(text.contains("alerts.yaml:5: config.alerts.resend_interval: must be longer than zero"))
        #expect(text.contains { $0.hasPrefix("alerts.yaml:6: config.alerts: unknown key 'color'") })
        #expect(text.contains("alerts.yaml:8: config.alerts.webhook.url: bad URL: use http or https"))
        #expect(
            text.contains(
                "alerts.yaml:9: config.alerts.webhook.headers.X-Other: environment variable MISSING_TOKEN is not set (export it, or give the file that holds it with --env-file; under systemd the unit reads /etc/default/devskyyd)"
            ))
        #expect(text.contains("alerts.yaml:10: config.alerts.webhook.retries: expected a whole number from 0 to 10, found '-1'"))
        #expect(text.contains("alerts.yaml:11: config.alerts.alertmanager.url: bad URL: use http or https"))
        #expect(!text.joined().contains("s3cret-hook"))
        #expect(!text.joined().contains("T0K3N"))
    }

    @Test func anAlertsSectionNeedsANotifier() {
        #expect(
            issues("alerts:\n  delay: 10s\n").map(\.description) == [
                "alerts.yaml:4: config.alerts: give a webhook, an alertmanager or both"
            ])
    }
}
