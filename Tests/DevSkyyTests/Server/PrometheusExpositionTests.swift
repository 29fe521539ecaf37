import DevSkyyCore
import DevSkyyServer
import Testing

@Suite("Prometheus exposition")
struct PrometheusExpositionTests {
    func snapshot() -> Snapshot {
        let partnership = Partnership(id: "brand", name: "Brand", kind: .brand)
        let config = DaemonConfig(
            partnerships: [partnership],
            collectors: [.init(name: "social", partnership: "brand", url: "http://x/", metrics: [.init(name: "followers", path: "a")])]
        )
        var state = LiveState(config: config)
        let samples = [
            Sample(partnership: "brand", metric: "followers", labels: [.init("platform", "in\"sta\\gram\n")], timestamp: 1_000, value: 12),
            Sample(partnership: "brand", metric: "followers", labels: [.init("platform", "tiktok")], timestamp: 1_000, value: 0.5),
        ]
        state.recordSuccess(collector: "social", samples: samples, at: 1_000, duration: .milliseconds(20))
        state.recordRedis(up: true, error: nil)
        return state.snapshot(now: 2_000)
    }

    @Test func valuesAndCollectorUpAreRendered() {
        let text = PrometheusExposition.render(snapshot())
        #expect(text.contains("# TYPE devskyy_followers gauge\n"))
        #expect(text.contains("devskyy_followers{partnership=\"brand\",platform=\"tiktok\"} 0.5\n"))
        #expect(text.contains("devskyy_collector_up{collector=\"social\",partnership=\"brand\"} 1\n"))
        #expect(text.contains("devskyy_collector_last_duration_seconds{collector=\"social\",partnership=\"brand\"} 0.02\n"))
        #expect(text.contains("devskyy_redis_up 1\n"))
    }

    @Test func healthStatesAndSystemStatusAreOneHot() {
        let partnership = Partnership(id: "technical", name: "Technical", kind: .technical)
        let config = DaemonConfig(
            partnerships: [partnership],
            collectors: [
                .init(name: "api", partnership: "technical", url: "http://x/", metrics: [.init(name: "system_uptime", path: "a")])
            ],
            thresholds: [.init(partnership: "technical", metric: "system_uptime", critical: .init(below: 99))]
        )
        var state = LiveState(config: config)
        state.recordSuccess(
            collector: "api", samples: [Sample(partnership: "technical", metric: "system_uptime", timestamp: 1_000, value: 98)], at: 1_000,
            duration: .milliseconds(5))
        state.recordRedis(up: true, error: nil)
        let text = PrometheusExposition.render(state.snapshot(now: 2_000))
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("devskyy_health_state{") }
        #expect(lines.count == MetricState.allCases.count)
        #expect(lines.contains(#"devskyy_health_state{partnership="technical",metric="system_uptime",state="critical"} 1"#))
        #expect(lines.filter { $0.hasSuffix(" 1") }.count == 1)
        #expect(text.contains(#"devskyy_system_status{status="critical"} 1"#))
        #expect(text.contains(#"devskyy_system_status{status="healthy"} 0"#))
    }

    @Test func labelValuesAreEscaped() {
        let text = PrometheusExposition.render(snapshot())
        #expect(text.contains("platform=\"in\\\"sta\\\\gram\\n\"} 12\n"))
    }

    @Test func eachFamilyHasOneTypeLine() {
        let lines = PrometheusExposition.render(snapshot()).split(separator: "\n")
        let types = lines.filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
        #expect(Set(types).count == types.count)
    }
}
