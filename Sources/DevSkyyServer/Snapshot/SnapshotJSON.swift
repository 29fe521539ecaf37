import DevSkyyCore
import Foundation

/// The JSON bodies of the orchestration health and metrics endpoints, shaped as in the seeds.
enum SnapshotJSON {
    static func health(_ snapshot: Snapshot) -> [UInt8] {
        var partnerships: [String: Any] = [:]
        for view in snapshot.partnerships {
            var entry: [String: Any] = [
                "name": view.partnership.name,
                "type": view.partnership.kind.rawValue,
                "health": view.health.label.rawValue,
                "score": view.health.score,
                "reasons": view.health.reasons.map(reason),
            ]
            if let key = view.keyValue { entry[view.partnership.kind.keyField] = key }
            entry["last_updated"] = view.lastUpdated.map(iso8601) ?? NSNull()
            partnerships[view.partnership.id] = entry
        }
        var redis: [String: Any] = ["status": redisState(snapshot.redis)]
        if let error = snapshot.redis.lastError, snapshot.redis.up != true { redis["error"] = error }
        let collectors = snapshot.collectors.map(collectorSummary)
        return encode([
            "status": snapshot.status.rawValue,
            "partnerships": partnerships,
            "redis": redis,
            "outbox": outbox(snapshot.store.outboxHealth),
            "collectors": collectors,
            "last_updated": iso8601(snapshot.generatedAt),
        ])
    }

    /// `status` (`ok`, `full`, `read_only`, `failing`), with `error` unless ok.
    static func outbox(_ health: OutboxHealth) -> [String: Any] {
        var object: [String: Any] = ["status": health.status.rawValue]
        if let error = health.error, health.status != .ok { object["error"] = error }
        return object
    }

    /// - Parameter kind: only the partnerships of this type (`/metrics/{partnership_type}`); nil for all.
    static func metrics(_ snapshot: Snapshot, kind: Partnership.Kind? = nil) -> [UInt8] {
        encode(
            snapshot.partnerships.filter { kind == nil || $0.partnership.kind == kind }.map { view -> [String: Any] in
                [
                    "partnership_id": view.partnership.id,
                    "partnership_type": view.partnership.kind.rawValue,
                    "metrics": Dictionary(view.metrics.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }),
                    "timestamp": iso8601(view.lastUpdated ?? snapshot.generatedAt),
                ]
            }
        )
    }

    /// `GET /api/v1/collectors`: every collector with its self-metrics.
    static func collectors(_ snapshot: Snapshot) -> [UInt8] {
        encode([
            "collectors": snapshot.collectors.map { status -> [String: Any] in
                var entry = collectorSummary(status)
                entry["runs"] = status.runs
                entry["failures"] = status.failures
                entry["last_duration_seconds"] = status.lastDuration.seconds
                entry["samples"] = status.lastSampleCount
                entry["samples_total"] = status.samplesTotal
                entry["errors"] = status.errorsByReason
                entry["dropped_series_total"] = status.droppedSeriesTotal
                entry["skipped_ticks"] = status.skippedTicks
                entry["rate_limit_remaining"] = status.rateLimitRemaining ?? NSNull()
                return entry
            },
            "last_updated": iso8601(snapshot.generatedAt),
        ])
    }

    static func collectorSummary(_ status: CollectorStatus) -> [String: Any] {
        var entry: [String: Any] = ["name": status.name, "partnership": status.partnership, "up": status.up]
        if let error = status.lastError { entry["last_error"] = error }
        entry["last_success"] = status.lastSuccess.map(iso8601) ?? NSNull()
        return entry
    }

    static func redisState(_ redis: RedisStatus) -> String {
        switch redis.up {
        case true?: "up"
        case false?: "down"
        case nil: "connecting"
        }
    }

    static func reason(_ reason: HealthReason) -> [String: Any] {
        var entry: [String: Any] = ["metric": reason.metric, "state": reason.state.rawValue, "message": reason.message]
        if let value = reason.value { entry["value"] = value }
        if let bound = reason.bound { entry["bound"] = bound }
        if let since = reason.since { entry["since"] = iso8601(since) }
        return entry
    }

    /// ISO 8601 UTC with seconds, as in the seeds: `2025-10-25T10:30:00Z`.
    static func iso8601(_ milliseconds: Int64) -> String {
        Timestamp.iso8601(milliseconds: milliseconds)
    }

    static func encode(_ object: Any) -> [UInt8] {
        JSONText.render(object)
    }
}
