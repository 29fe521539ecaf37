import DevSkyyCore

/// Renders a snapshot in the Prometheus text exposition format 0.0.4.
public enum PrometheusExposition {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func render(_ snapshot: Snapshot) -> String {
        var out = ""
        // Collected values: one family per metric name, grouped as the format requires.
        let families = Dictionary(grouping: snapshot.samples, by: \.metric)
        for name in families.keys.sorted() {
            let samples = families[name]!.sorted { $0.series < $1.series }
            family(&out, "devskyy_\(name)", "gauge", "Collected metric \(name).")
            for sample in samples {
                let labels = [("partnership", sample.partnership)] + sample.labels.map { ($0.name, $0.value) }
                line(&out, "devskyy_\(name)", labels, sample.value)
            }
        }
        let collectors = snapshot.collectors
        perCollector(&out, collectors, "up", "gauge", "Whether the collector's last run succeeded (1) or failed (0).") { $0.up ? 1 : 0 }
        perCollector(&out, collectors, "last_duration_seconds", "gauge", "How long the collector's last run took.") {
            $0.lastDuration.seconds
        }
        perCollector(&out, collectors, "last_success_timestamp_seconds", "gauge", "Unix time of the collector's last successful run.") {
            $0.lastSuccess.map { Double($0) / 1_000 }
        }
        perCollector(&out, collectors, "samples", "gauge", "Samples the collector's last run produced.") { Double($0.lastSampleCount) }
        perCollector(&out, collectors, "samples_total", "counter", "Samples collected since the daemon started.") {
            Double($0.samplesTotal)
        }
        perCollector(&out, collectors, "runs_total", "counter", "Runs of the collector since the daemon started.") { Double($0.runs) }
        perCollector(&out, collectors, "failures_total", "counter", "Failed runs of the collector since the daemon started.") {
            Double($0.failures)
        }
        perReason(&out, collectors, "errors_total", "Failed runs by reason.", \.errorsByReason)
        perCollector(&out, collectors, "dropped_series_total", "counter", "Series dropped by the collector's series limit.") {
            Double($0.droppedSeriesTotal)
        }
        perReason(&out, collectors, "skipped_ticks_total", "Ticks that did not run, by reason.", \.skippedTicks)
        perCollector(&out, collectors, "rate_limit_remaining", "gauge", "The source's remaining rate-limit budget, when it reports one.") {
            $0.rateLimitRemaining.map(Double.init)
        }
        family(&out, "devskyy_partnership_health_score", "gauge", "Partnership health score from 0 to 100.")
        for view in snapshot.partnerships {
            line(&out, "devskyy_partnership_health_score", [("partnership", view.partnership.id)], view.health.score)
        }
        health(&out, snapshot)
        events(&out, snapshot.events)
        family(&out, "devskyy_redis_up", "gauge", "Whether Redis answered the last command (1) or not (0).")
        line(&out, "devskyy_redis_up", [], snapshot.redis.up == true ? 1 : 0)
        store(&out, snapshot.store)
        return out
    }

    /// The writer's and the outbox's self-metrics.
    private static func store(_ out: inout String, _ store: StoreStatus) {
        let simple: [(String, String, String, Double?)] = [
            ("devskyy_redis_ping_seconds", "gauge", "Round trip of the last PING to Redis.", store.pingSeconds),
            ("devskyy_store_samples_written_total", "counter", "Samples written to Redis.", Double(store.samplesWritten)),
            ("devskyy_store_write_batches_total", "counter", "Pipelined write batches Redis accepted.", Double(store.batchesWritten)),
            (
                "devskyy_store_samples_dropped_total", "counter", "Samples never written: refused by Redis, or given up by a full outbox.",
                Double(store.samplesDropped)
            ),
            ("devskyy_outbox_records", "gauge", "Batches waiting in the disk outbox.", Double(store.outboxRecords)),
            ("devskyy_outbox_bytes", "gauge", "Bytes waiting in the disk outbox.", Double(store.outboxBytes)),
            ("devskyy_outbox_appended_total", "counter", "Batches appended to the outbox.", Double(store.outboxAppendedRecords)),
            (
                "devskyy_outbox_replayed_samples_total", "counter", "Samples replayed from the outbox into Redis.",
                Double(store.samplesReplayed)
            ),
            (
                "devskyy_outbox_dropped_total", "counter", "Outbox batches given up at its size bound (the overflow policy).",
                Double(store.outboxDroppedRecords)
            ),
        ]
        for (name, type, help, value) in simple {
            guard let value else { continue }
            family(&out, name, type, help)
            line(&out, name, [], value)
        }
        let outbox = store.outboxHealth.status
        family(&out, "devskyy_outbox_writable", "gauge", "Whether the outbox's folder took the last write (1) or not (0).")
        line(&out, "devskyy_outbox_writable", [], outbox == .ok ? 1 : 0)
        family(&out, "devskyy_outbox_status", "gauge", "The outbox's state (1 for the current one): ok, full, read_only or failing.")
        for status in OutboxHealth.Status.allCases {
            line(&out, "devskyy_outbox_status", [("status", status.rawValue)], status == outbox ? 1 : 0)
        }
        let latency = store.writeLatency
        let name = "devskyy_store_write_duration_seconds"
        family(&out, name, "histogram", "Time to write one batch to Redis.")
        var cumulative = 0
        for (bound, count) in zip(latency.bounds, latency.counts) {
            cumulative += count
            line(&out, "\(name)_bucket", [("le", format(bound))], Double(cumulative))
        }
        line(&out, "\(name)_bucket", [("le", "+Inf")], Double(latency.count))
        line(&out, "\(name)_sum", [], latency.sum)
        line(&out, "\(name)_count", [], Double(latency.count))
    }

    /// Each ruled metric's state and the system status, one-hot: one line per possible state, 1 for the
    /// current one, so rules can match `state="critical"` and every series stays present.
    private static func health(_ out: inout String, _ snapshot: Snapshot) {
        family(&out, "devskyy_health_state", "gauge", "Health state of each metric with a threshold rule (1 for the current state).")
        for view in snapshot.partnerships {
            for (metric, current) in view.health.states.sorted(by: { $0.key < $1.key }) {
                for state in MetricState.allCases {
                    let labels = [("partnership", view.partnership.id), ("metric", metric), ("state", state.rawValue)]
                    line(&out, "devskyy_health_state", labels, state == current ? 1 : 0)
                }
            }
        }
        family(&out, "devskyy_system_status", "gauge", "The system status (1 for the current one): healthy, degraded or critical.")
        for status in SystemStatus.allCases {
            line(&out, "devskyy_system_status", [("status", status.rawValue)], status == snapshot.status ? 1 : 0)
        }
    }

    /// The events stream's and the alert notifiers' counters.
    private static func events(_ out: inout String, _ events: EventStatus) {
        let simple: [(String, String, String, Int)] = [
            ("devskyy_events_stored_total", "counter", "Health events written to the Redis stream.", events.stored),
            ("devskyy_events_dropped_total", "counter", "Health events never written (queue full while Redis was away).", events.dropped),
            ("devskyy_events_queued", "gauge", "Health events waiting for Redis.", events.queued),
            ("devskyy_event_stream_clients", "gauge", "Open event streams (Server-Sent Events).", events.streamClients),
            (
                "devskyy_event_stream_dropped_total", "counter", "Events that stream clients lost by reading too slowly.",
                events.streamDropped
            ),
        ]
        for (name, type, help, value) in simple {
            family(&out, name, type, help)
            line(&out, name, [], Double(value))
        }
        let name = "devskyy_alert_notifications_total"
        family(&out, name, "counter", "Alert notification requests by notifier: sent (accepted) or failed (given up).")
        for notifier in Set(events.notificationsSent.keys).union(events.notificationsFailed.keys).sorted() {
            line(&out, name, [("notifier", notifier), ("result", "sent")], Double(events.notificationsSent[notifier] ?? 0))
            line(&out, name, [("notifier", notifier), ("result", "failed")], Double(events.notificationsFailed[notifier] ?? 0))
        }
    }

    /// One family with a line per collector; collectors for which `value` is nil are left out.
    private static func perCollector(
        _ out: inout String, _ collectors: [CollectorStatus], _ suffix: String, _ type: String, _ help: String,
        _ value: (CollectorStatus) -> Double?
    ) {
        let name = "devskyy_collector_\(suffix)"
        family(&out, name, type, help)
        for c in collectors {
            if let v = value(c) { line(&out, name, collectorLabels(c), v) }
        }
    }

    /// A counter family with a line per collector and reason.
    private static func perReason(
        _ out: inout String, _ collectors: [CollectorStatus], _ suffix: String, _ help: String,
        _ counts: KeyPath<CollectorStatus, [String: Int]>
    ) {
        let name = "devskyy_collector_\(suffix)"
        family(&out, name, "counter", help)
        for c in collectors {
            for (reason, count) in c[keyPath: counts].sorted(by: { $0.key < $1.key }) {
                line(&out, name, collectorLabels(c) + [("reason", reason)], Double(count))
            }
        }
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
            out += labels.map { "\($0.0)=\"\($0.1.labelEscaped)\"" }.joined(separator: ",")
            out += "}"
        }
        out += " \(format(value))\n"
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return value.compactText
    }
}
