import DevSkyyCore
import DevSkyyDaemon
import Testing

@Suite("Threshold configuration")
struct ThresholdConfigTests {
    /// Line numbers below count from `partnerships:` on line 1.
    static let valid = """
        partnerships:
          - { id: technical, name: Technical, type: technical }
        collectors:
          - name: fast
            partnership: technical
            url: http://127.0.0.1:8080/a.json
            interval: 10s
            metrics:
              - { name: system_uptime, path: metrics.system_uptime }
          - name: slow
            partnership: technical
            url: http://127.0.0.1:8080/b.json
            interval: 1m
            metrics:
              - { name: api_response_time, path: metrics.api_response_time }
        thresholds:
          - partnership: technical
            metric: system_uptime
            warning: { below: 99.9, clear: 99.95 }
            critical: { below: 99.0, clear: 99.5 }
            for: 30s
            hits: 3
            keep_firing_for: 1m
            missing: { after: 3, state: critical }
            weight: 2
          - partnership: technical
            metric: api_response_time
            warning: { above: 200 }
        """

    func issues(_ yaml: String) -> [String] {
        do {
            _ = try ConfigLoader(environment: [:]).load(yaml: yaml, file: "test.yaml")
            return []
        } catch {
            return error.issues.map { "\($0.line): \($0.message)" }
        }
    }

    @Test func everyKeyDecodes() throws {
        let config = try ConfigLoader(environment: [:]).load(yaml: Self.valid, file: "test.yaml")
        #expect(
            config.thresholds == [
                ThresholdRule(
                    partnership: "technical", metric: "system_uptime", warning: .init(below: 99.9, clear: 99.95),
                    critical: .init(below: 99, clear: 99.5), forDuration: .seconds(30), hits: 3, keepFiringFor: .seconds(60),
                    missingAfter: .seconds(30), missingState: .critical, weight: 2
                ),
                ThresholdRule(
                    partnership: "technical", metric: "api_response_time", warning: .init(above: 200), missingAfter: .seconds(180)
                ),
            ])
    }

    @Test func missingAfterCountsTheSlowestCollectorListingTheMetric() throws {
        // A second, slower collector of system_uptime; a prometheus collector lists no metrics.
        let yaml = Self.valid.replacingOccurrences(
            of: "thresholds:\n",
            with: """
                  - name: slower
                    partnership: technical
                    url: http://127.0.0.1:8080/c.json
                    interval: 20s
                    metrics:
                      - { name: system_uptime, path: up }
                  - name: node
                    partnership: technical
                    url: http://127.0.0.1:9100/metrics
                    interval: 5m
                    format: prometheus
                thresholds:
                  - { partnership: technical, metric: node_load1, critical: { above: 8 }, missing: { after: 2 } }

                """)
        let config = try ConfigLoader(environment: [:]).load(yaml: yaml, file: "test.yaml")
        #expect(config.thresholds.map(\.missingAfter) == [.seconds(600), .seconds(60), .seconds(180)])
    }

    @Test(arguments: [
        (
            "warning: { below: 99.9, clear: 99.95 }", "warning: { below: 99.9, clear: 99.8 }",
            "19: thresholds[0].warning.clear: 99.8 must be at or above 'below' (99.9)"
        ),
        (
            "warning: { above: 200 }", "warning: { above: 200, clear: 250 }",
            "28: thresholds[1].warning.clear: 250 must be at or below 'above' (200)"
        ),
        (
            "warning: { above: 200 }", "warning: { above: 200, below: 10, clear: 100 }",
            "28: thresholds[1].warning.clear: needs exactly one of 'above' and 'below'"
        ),
        (
            "critical: { below: 99.0, clear: 99.5 }", "critical: { below: 99.95 }",
            "20: thresholds[0].critical.below: 99.95 is less severe than warning's 99.9"
        ),
        (
            "warning: { above: 200 }", "warning: { above: 200 }\n    critical: { above: 100 }",
            "29: thresholds[1].critical.above: 100 is less severe than warning's 200"
        ),
        ("hits: 3", "hits: 0", "22: thresholds[0].hits: expected a whole number above zero, found '0'"),
        (
            "missing: { after: 3, state: critical }", "missing: { after: 0 }",
            "24: thresholds[0].missing.after: expected a whole number above zero"
        ),
        (
            "missing: { after: 3, state: critical }", "missing: { state: warning }",
            "24: thresholds[0].missing.state: expected unknown or critical, found 'warning'"
        ),
        ("weight: 2", "weight: 0", "25: thresholds[0].weight: must be above zero"),
        ("weight: 2", "weigth: 2", "25: thresholds[0]: unknown key 'weigth'"),
        ("keep_firing_for: 1m", "keep_firing_for: a while", "23: thresholds[0].keep_firing_for: bad duration 'a while'"),
        ("metric: api_response_time", "metric: system_uptime", "27: thresholds[1]: technical.system_uptime already has a rule (line 18)"),
    ])
    func badRulesAreReportedWithTheirLines(original: String, replacement: String, expected: String) {
        let yaml = Self.valid.replacingOccurrences(of: original, with: replacement)
        #expect(yaml != Self.valid)
        let found = issues(yaml)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix(expected) == true, "\(found)")
    }

    @Test func aWarningOnlyOrCriticalOnlyRuleNeedsNoSeverityOrder() {
        let yaml = Self.valid.replacingOccurrences(of: "warning: { above: 200 }", with: "critical: { below: 1 }")
        #expect(issues(yaml).isEmpty)
    }
}
