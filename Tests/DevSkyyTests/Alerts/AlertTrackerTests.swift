import DevSkyyCore
import Testing

/// A metric event at `second` seconds; `to` is the new state.
func metricEvent(_ second: Int64, _ to: String, partnership: String = "technical", metric: String = "system_uptime") -> HealthEvent {
    HealthEvent(
        time: second * 1_000, kind: .metric, entity: "\(partnership).\(metric)", partnership: partnership, metric: metric, from: "ok",
        to: to, value: 98.5, reason: "value 98.5 below 99"
    )
}

func alertSettings(delay: Duration = .zero, repeat: Duration = .seconds(3_600), resend: Duration = .seconds(60)) -> AlertSettings {
    var settings = AlertSettings()
    settings.delay = delay
    settings.repeatInterval = `repeat`
    settings.resendInterval = resend
    return settings
}

@Suite("Alert tracker: what is sent when")
struct AlertTrackerTests {
    /// One step of a scenario: events at a second, then a dispatch at `tick`.
    struct Step {
        var events: [HealthEvent] = []
        var tick: Int64
        /// Webhook notices expected, as `status/severity@startsAt`.
        var webhook: [String] = []
        /// Alertmanager posts expected, as `status/severity@startsAt-endsAt`.
        var alertmanager: [String] = []
    }

    func run(_ tracker: inout AlertTracker, _ steps: [Step], sourceLocation: SourceLocation = #_sourceLocation) {
        for step in steps {
            tracker.record(step.events)
            let due = tracker.dispatch(now: step.tick * 1_000)
            let webhook = due.webhook.map { "\($0.status.rawValue)/\($0.severity.rawValue)@\($0.startsAt / 1_000)" }
            let manager = due.alertmanager.map {
                "\($0.status.rawValue)/\($0.severity.rawValue)@\($0.startsAt / 1_000)-\(($0.endsAt ?? -1_000) / 1_000)"
            }
            #expect(webhook == step.webhook, "webhook at \(step.tick)s", sourceLocation: sourceLocation)
            #expect(manager == step.alertmanager, "alertmanager at \(step.tick)s", sourceLocation: sourceLocation)
        }
    }

    @Test func firesAfterTheDelayRepeatsAndResolves() {
        var tracker = AlertTracker(settings: alertSettings(delay: .seconds(30), repeat: .seconds(600), resend: .seconds(60)))
        run(
            &tracker,
            [
                Step(events: [metricEvent(100, "critical")], tick: 101),
                Step(tick: 129),
                Step(tick: 130, webhook: ["firing/critical@100"], alertmanager: ["firing/critical@100-370"]),
                Step(tick: 189),
                Step(tick: 190, alertmanager: ["firing/critical@100-430"]),
                Step(tick: 729, alertmanager: ["firing/critical@100-969"]),
                Step(tick: 730, webhook: ["firing/critical@100"]),
                Step(
                    events: [metricEvent(735, "ok")], tick: 736, webhook: ["resolved/critical@100"],
                    alertmanager: ["resolved/critical@100-735"]),
                Step(tick: 2_000),
            ])
        #expect(tracker.firingAlerts.isEmpty)
    }

    @Test(arguments: ["ok", "pending", "unknown"])
    func flappingShorterThanTheDelaySendsNothing(_ back: String) {
        var tracker = AlertTracker(settings: alertSettings(delay: .seconds(30)))
        run(
            &tracker,
            [
                Step(events: [metricEvent(100, "warning")], tick: 110),
                Step(events: [metricEvent(115, back)], tick: 120),
                // Firing again restarts the delay.
                Step(events: [metricEvent(125, "warning")], tick: 150),
                Step(events: [metricEvent(152, back)], tick: 200),
                Step(tick: 10_000),
            ])
    }

    @Test func aResolveWithoutDelayIsSentOnceAndOnlyAfterTheFiring() {
        var tracker = AlertTracker(settings: alertSettings())
        run(
            &tracker,
            [
                Step(
                    events: [metricEvent(10, "warning")], tick: 10, webhook: ["firing/warning@10"],
                    alertmanager: ["firing/warning@10-250"]),
                Step(
                    events: [metricEvent(11, "unknown"), metricEvent(12, "unknown")], tick: 12, webhook: ["resolved/warning@10"],
                    alertmanager: ["resolved/warning@10-11"]),
                Step(tick: 13),
            ])
    }

    @Test func severityChangeTellsTheWebhookAtOnceAndSwapsAlertmanagerLabels() {
        var tracker = AlertTracker(settings: alertSettings(delay: .seconds(5)))
        run(
            &tracker,
            [
                Step(events: [metricEvent(0, "warning")], tick: 5, webhook: ["firing/warning@0"], alertmanager: ["firing/warning@0-245"]),
                Step(
                    events: [metricEvent(20, "critical")], tick: 21, webhook: ["firing/critical@0"],
                    alertmanager: ["resolved/warning@0-20", "firing/critical@20-261"]),
                Step(tick: 22),
                // The same state again changes nothing.
                Step(events: [metricEvent(30, "critical")], tick: 31),
            ])
    }

    @Test func severityChangeWithinTheDelayKeepsTheDelayFromTheFirstFiring() {
        var tracker = AlertTracker(settings: alertSettings(delay: .seconds(30)))
        run(
            &tracker,
            [
                Step(events: [metricEvent(0, "warning")], tick: 10),
                Step(events: [metricEvent(20, "critical")], tick: 29),
                Step(tick: 30, webhook: ["firing/critical@0"], alertmanager: ["firing/critical@20-270"]),
            ])
    }

    @Test func alertsAreIndependentAndOtherEventKindsIgnored() {
        var tracker = AlertTracker(settings: alertSettings())
        let label = HealthEvent(time: 1_000, kind: .partnership, entity: "technical", from: "good", to: "critical", reason: "")
        let collector = HealthEvent(time: 1_000, kind: .collector, entity: "tech", from: "up", to: "down", reason: "")
        run(
            &tracker,
            [
                Step(
                    events: [label, collector, metricEvent(1, "critical", metric: "b"), metricEvent(1, "warning", metric: "a")], tick: 1,
                    webhook: ["firing/warning@1", "firing/critical@1"], alertmanager: ["firing/warning@1-241", "firing/critical@1-241"]),
                Step(
                    events: [metricEvent(2, "ok", metric: "a")], tick: 2, webhook: ["resolved/warning@1"],
                    alertmanager: ["resolved/warning@1-2"]),
            ])
        #expect(tracker.firingAlerts == [RestoredAlert(partnership: "technical", metric: "b", severity: .critical, startsAt: 1_000)])
    }

    @Test func noticesCarryTheKeyValueAndReason() throws {
        var tracker = AlertTracker(settings: alertSettings())
        tracker.record([metricEvent(1, "critical")])
        let notice = try #require(tracker.dispatch(now: 1_000).webhook.first)
        #expect(notice.key == MetricKey(partnership: "technical", metric: "system_uptime"))
        #expect(notice.value == 98.5)
        #expect(notice.reason == "value 98.5 below 99")
        #expect(notice.summary == "technical.system_uptime is critical")
    }
}

@Suite("Alert tracker: restart")
struct AlertTrackerRestartTests {
    let restored = [RestoredAlert(partnership: "technical", metric: "system_uptime", severity: .critical, startsAt: 50_000)]

    @Test func restoredFiringAlertWithUnchangedStateSendsNothingToTheWebhook() {
        // The daemon restarts at 1000 s; the metric was critical since 50 s and still is.
        var tracker = AlertTracker(
            settings: alertSettings(delay: .seconds(30), repeat: .seconds(3_600)), restored: restored, now: 1_000_000)
        var webhook: [AlertNotice] = []
        var manager: [AlertNotice] = []
        tracker.record([metricEvent(1_001, "critical")])
        for second in stride(from: Int64(1_001), through: 1_300, by: 1) {
            let due = tracker.dispatch(now: second * 1_000)
            webhook += due.webhook
            manager += due.alertmanager
        }
        #expect(webhook.isEmpty)
        // Alertmanager only gets its regular re-send, with the original start.
        #expect(manager.map(\.startsAt) == [50_000, 50_000, 50_000, 50_000, 50_000])
        #expect(manager.allSatisfy { $0.status == .firing })
        #expect(tracker.firingAlerts == restored)
    }

    @Test func restoredAlertRepeatsOnScheduleAndResolvesOnce() {
        var tracker = AlertTracker(settings: alertSettings(repeat: .seconds(600)), restored: restored, now: 1_000_000)
        #expect(tracker.dispatch(now: 1_000_000).webhook.isEmpty)
        #expect(tracker.dispatch(now: 1_599_000).webhook.isEmpty)
        #expect(tracker.dispatch(now: 1_600_000).webhook.map(\.status) == [.firing])
        tracker.record([metricEvent(1_700, "ok")])
        let due = tracker.dispatch(now: 1_700_000)
        #expect(due.webhook.map(\.status) == [.resolved])
        #expect(due.webhook.first?.startsAt == 50_000)
        #expect(due.alertmanager.map(\.endsAt) == [1_700_000])
    }

    @Test func restoredAlertThatResolvedWhileDownSendsItsResolve() {
        var tracker = AlertTracker(settings: alertSettings(), restored: restored, now: 1_000_000)
        tracker.record([metricEvent(1_000, "ok")])
        let due = tracker.dispatch(now: 1_001_000)
        #expect(due.webhook.map(\.status) == [.resolved])
        // Alertmanager still holds the post from before the restart: it is told as well.
        #expect(due.alertmanager.map(\.status) == [.resolved])
        #expect(due.alertmanager.first?.endsAt == 1_000_000)
    }
}
