import DevSkyyCore
import Foundation

/// `GET /api/v1/orchestration/status`: the daemon's parts at a glance.
enum StatusJSON {
    static func render(_ snapshot: Snapshot, process: ProcessStats?, events: [HealthEvent], rateLimits: RateLimiter? = nil) -> [UInt8] {
        let up = snapshot.collectors.filter(\.up).count
        var redis: [String: Any] = ["status": SnapshotJSON.redisState(snapshot.redis), "endpoint": snapshot.redis.endpoint]
        if let error = snapshot.redis.lastError, snapshot.redis.up != true { redis["error"] = error }
        if let ping = snapshot.store.pingSeconds { redis["ping_seconds"] = ping }
        var processObject: Any = NSNull()
        if let process {
            var object: [String: Any] = ["pid": Int(getpid()), "cpu_seconds": process.cpuSeconds, "rss_bytes": process.rssBytes]
            if let threads = process.threads { object["threads"] = threads }
            processObject = object
        }
        return JSONText.render([
            "version": DevSkyyVersion.string,
            "status": snapshot.status.rawValue,
            "uptime_seconds": process?.uptimeSeconds.map { ($0 * 10).rounded() / 10 as Any } ?? NSNull(),
            "collectors": [
                "total": snapshot.collectors.count, "up": up, "down": snapshot.collectors.count - up,
                "items": snapshot.collectors.map(SnapshotJSON.collectorSummary),
            ] as [String: Any],
            "redis": redis,
            "outbox": SnapshotJSON.outbox(snapshot.store.outboxHealth).merging([
                "records": snapshot.store.outboxRecords, "bytes": snapshot.store.outboxBytes,
                "dropped_records": snapshot.store.outboxDroppedRecords,
            ]) { _, counted in counted },
            "process": processObject,
            // Where requests are counted now: `redis` (shared with the other daemons), `local` (this daemon's own
            // counts: `shared` off, or Redis away), or `none` (no `auth:` section, nothing is limited).
            "rate_limits": ["shared": rateLimits?.isShared ?? false, "counting": rateLimits?.counting.rawValue ?? "none"] as [String: Any],
            "recent_events": events.map(\.jsonObject),
            "last_updated": SnapshotJSON.iso8601(snapshot.generatedAt),
        ])
    }
}
