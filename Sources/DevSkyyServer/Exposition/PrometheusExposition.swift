import DevSkyyCore

/// Renders a snapshot in the Prometheus text exposition format 0.0.4.
public enum PrometheusExposition {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func render(_ snapshot: Snapshot) -> String {
        var out = ""
        // Collected values: one family per metric name, grouped as the format requires.
        let families = Dictionary(grouping: snapshot.samples, by: \.metric)
        for name in families.keys.sorted() {
            let samples = families[name]!
            family(&out, "devskyy_\(name)", "gauge", "Collected metric \(name).")
            for sample in samples {
                let labels = [("partnership", sample.partnership)] + sample.labels.map { ($0.name, $0.value) }
                line(&out, "devskyy_\(name)", labels, sample.value)
            }
        }
        let collectors = snapshot.collectors
        family(&out, "devskyy_collector_up", "gauge", "Whether the collector's last run succeeded (1) or failed (0).")
        for c in collectors { line(&out, "devskyy_collector_up", collectorLabels(c), c.up ? 1 : 0) }
        family(&out, "devskyy_collector_last_duration_seconds", "gauge", "How long the collector's last run took.")
        for c in collectors { line(&out, "devskyy_collector_last_duration_seconds", collectorLabels(c), c.lastDuration.seconds) }
        family(&out, "devskyy_collector_last_success_timestamp_seconds", "gauge", "Unix time of the collector's last successful run.")
        for c in collectors {
            if let time = c.lastSuccess {
                line(&out, "devskyy_collector_last_success_timestamp_seconds", collectorLabels(c), Double(time) / 1_000)
            }
        }
        family(&out, "devskyy_collector_runs_total", "counter", "Runs of the collector since the daemon started.")
        for c in collectors { line(&out, "devskyy_collector_runs_total", collectorLabels(c), Double(c.runs)) }
        family(&out, "devskyy_collector_failures_total", "counter", "Failed runs of the collector since the daemon started.")
        for c in collectors { line(&out, "devskyy_collector_failures_total", collectorLabels(c), Double(c.failures)) }
        family(&out, "devskyy_partnership_health_score", "gauge", "Partnership health score from 0 to 100.")
        for view in snapshot.partnerships {
            line(&out, "devskyy_partnership_health_score", [("partnership", view.partnership.id)], view.health.score)
        }
        family(&out, "devskyy_redis_up", "gauge", "Whether Redis answered the last command (1) or not (0).")
        line(&out, "devskyy_redis_up", [], snapshot.redis.up == true ? 1 : 0)
        return out
    }

    private static func collectorLabels(_ c: CollectorStatus) -> [(String, String)] {
        [("collector", c.name), ("partnership", c.partnership)]
    }

    private static func family(_ out: inout String, _ name: String, _ type: String, _ help: String) {
        out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    private static func line(_ out: inout String, _ name: String, _ labels: [(String, String)], _ value: Double) {
        out += name
        if !labels.isEmpty {
            out += "{"
            out += labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
            out += "}"
        }
        out += " \(format(value))\n"
    }

    static func escape(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return value.compactText
    }
}
