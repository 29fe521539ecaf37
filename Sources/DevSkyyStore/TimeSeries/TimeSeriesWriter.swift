import DevSkyyCore
import NIOConcurrencyHelpers

/// Writes sample batches to Redis: raw samples and rollups through one Lua script (`TimeSeriesScript`),
/// the series index and each partnership's latest values, all in one pipelined round trip per batch.
///
/// Writing is idempotent: a batch written twice (a retry, an outbox replay) leaves Redis as after once.
public final class TimeSeriesWriter: Sendable {
    private struct State {
        var scriptSHA: String?
        /// What this writer knows of each series it has written, in one table (a daemon may hold many).
        var known: [String: SeriesMemory] = [:]
    }

    private struct SeriesMemory {
        /// When the series last had its retention enforced, its TTLs refreshed and its index entry added (unix ms).
        var maintainedAt: Int64
        /// Without rollups: the newest timestamp stored. Samples after it cannot collide with a stored one,
        /// so they go out as plain ZADDs instead of through the script.
        var newest: Int64
    }

    private let client: RedisClient
    private let keys: RedisKeys
    private let retention: RetentionSettings
    private let rollups: Bool
    private let latestTTLSeconds: [String: Int64]
    private let clock: @Sendable () -> Int64
    /// The script's arguments after `now_ms`: retention (ms) and TTL (s) per resolution, then the rollups flag.
    private let scriptSettings: [String]
    private let state = NIOLockedValueBox(State())

    /// Samples per script call: one call blocks Redis for about a millisecond per hundred samples.
    static let samplesPerCall = 500
    /// How often each series has its old samples trimmed and its TTLs refreshed.
    static let maintenanceInterval: Int64 = 60_000

    /// - Parameters:
    ///   - latestTTL: per partnership, how long its `latest` hash lives (its staleness window).
    ///   - clock: the current unix time in ms; retention is measured back from it.
    public init(
        client: RedisClient, keys: RedisKeys, retention: RetentionSettings, rollups: Bool = true, latestTTL: [String: Duration],
        clock: @escaping @Sendable () -> Int64 = Timestamp.now
    ) {
        self.client = client
        self.keys = keys
        self.retention = retention
        self.rollups = rollups
        self.latestTTLSeconds = latestTTL.mapValues { max(1, $0.milliseconds / 1_000) }
        self.clock = clock
        scriptSettings =
            Resolution.allCases.flatMap { resolution in
                let kept = retention.retention(of: resolution).milliseconds
                return [String(kept), String(max(1, kept / 1_000))]
            } + [rollups ? "1" : "0"]
    }

    public func write(_ samples: [Sample]) async throws(RedisError) {
        guard !samples.isEmpty else { return }
        let now = clock()
        let series = SeriesBatch(samples)
        let plan = state.withLockedValue { state in
            var plan = Plan()
            for entry in series.entries {
                let memory = state.known[entry.series]
                // Maintenance also adds the series to the index again, in case the index was lost (a flushed Redis).
                if (memory?.maintainedAt ?? .min) <= now - Self.maintenanceInterval { plan.due.insert(entry.series) }
                if !rollups, let memory, entry.isAfter(memory.newest) { plan.plain.insert(entry.series) }
            }
            return plan
        }
        var sha = try await scriptSHA()
        var replies = try await client.pipeline(commands(for: series, sha: sha, now: now, plan: plan))
        if replies.contains(where: { $0.error?.hasPrefix("NOSCRIPT") == true }) {
            // Redis restarted or its script cache was flushed: load the script again and resend (writes are idempotent).
            sha = try await loadScript()
            replies = try await client.pipeline(commands(for: series, sha: sha, now: now, plan: plan))
        }
        for reply in replies {
            if let message = reply.error { throw .reply(message) }
        }
        state.withLockedValue { state in
            for entry in series.entries {
                if var memory = state.known[entry.series] {
                    if plan.due.contains(entry.series) { memory.maintainedAt = now }
                    memory.newest = max(memory.newest, entry.newest)
                    state.known[entry.series] = memory
                } else {
                    state.known[entry.series] = SeriesMemory(maintainedAt: now, newest: entry.newest)
                }
            }
        }
    }

    /// Which series of a batch have their retention enforced, and which go out as plain ZADDs.
    struct Plan {
        /// Series due for maintenance (every series the first time): trimmed, TTLs refreshed, added to the index.
        var due: Set<String> = []
        var plain: Set<String> = []
    }

    /// The script calls for the samples, the index SADD, and per partnership HSET and EXPIRE of its latest values.
    func commands(for batch: SeriesBatch, sha: String, now: Int64, plan: Plan) -> [[String]] {
        let head = [String(now)] + scriptSettings
        var commands: [[String]] = []
        var callKeys: [String] = []
        var callArguments: [String] = []
        var inCall = 0
        func flush() {
            guard !callKeys.isEmpty else { return }
            commands.append(["EVALSHA", sha, String(callKeys.count)] + callKeys + head + callArguments)
            callKeys = []
            callArguments = []
            inCall = 0
        }
        let rawFloor = now - retention.raw.milliseconds
        let rawTTL = scriptSettings[1]
        for entry in batch.entries where plan.plain.contains(entry.series) {
            let key = keys.series(entry.series)
            for start in stride(from: 0, to: entry.points.count, by: Self.samplesPerCall) {
                var zadd = ["ZADD", key]
                for point in entry.points[start..<min(start + Self.samplesPerCall, entry.points.count)] {
                    zadd += [String(point.timestamp), RedisKeys.member(timestamp: point.timestamp, value: point.value)]
                }
                commands.append(zadd)
            }
            if plan.due.contains(entry.series) {
                commands.append(["ZREMRANGEBYSCORE", key, "-inf", "(\(rawFloor)"])
                commands.append(["EXPIRE", key, rawTTL])
            }
        }
        for entry in batch.entries where !plan.plain.contains(entry.series) {
            var start = 0
            // A series with more samples than fit one call continues in the next; calls run in order.
            while start < entry.points.count {
                let end = min(entry.points.count, start + Self.samplesPerCall - inCall)
                callKeys += Resolution.allCases.map { keys.series(entry.series, $0) }
                callArguments += [plan.due.contains(entry.series) ? "1" : "0", String(end - start)]
                for point in entry.points[start..<end] {
                    callArguments += [String(point.timestamp), point.value.compactText]
                }
                inCall += end - start
                start = end
                if inCall >= Self.samplesPerCall { flush() }
            }
        }
        flush()
        let unindexed = batch.names.filter(plan.due.contains)
        if !unindexed.isEmpty { commands.append(["SADD", keys.seriesIndex] + unindexed) }
        for (partnership, fields) in batch.latest {
            let key = keys.latest(partnership)
            commands.append(["HSET", key] + fields)
            commands.append(["EXPIRE", key, latestTTLSeconds[partnership].map(String.init) ?? rawTTL])
        }
        return commands
    }

    private func scriptSHA() async throws(RedisError) -> String {
        if let sha = state.withLockedValue({ $0.scriptSHA }) { return sha }
        return try await loadScript()
    }

    private func loadScript() async throws(RedisError) -> String {
        let reply = try await client.command(["SCRIPT", "LOAD", TimeSeriesScript.source])
        guard let sha = reply.string else { throw .reply(reply.error ?? "SCRIPT LOAD answered \(reply)") }
        state.withLockedValue { $0.scriptSHA = sha }
        return sha
    }
}

/// A batch regrouped by series, keeping each series' samples in their order.
struct SeriesBatch {
    struct Entry {
        var series: String
        var points: [(timestamp: Int64, value: Double)]
        /// The greatest timestamp among the points.
        var newest: Int64

        /// True when every point is later than `time`.
        func isAfter(_ time: Int64) -> Bool { points.allSatisfy { $0.timestamp > time } }
    }

    private(set) var entries: [Entry] = []
    /// Per partnership (sorted), the HSET field-value pairs of its latest values: each series' newest sample.
    private(set) var latest: [(partnership: String, fields: [String])] = []

    var names: [String] { entries.map(\.series) }

    init(_ samples: [Sample]) {
        var index: [String: Int] = [:]
        // Per entry, the sample that names its partnership and its field in the latest hash.
        var firsts: [Sample] = []
        for sample in samples {
            if let at = index[sample.series] {
                // A second sample with a timestamp already in the batch replaces the first, as it would in Redis.
                if sample.timestamp <= entries[at].newest,
                    let same = entries[at].points.lastIndex(where: { $0.timestamp == sample.timestamp })
                {
                    entries[at].points[same].value = sample.value
                } else {
                    entries[at].points.append((sample.timestamp, sample.value))
                    entries[at].newest = max(entries[at].newest, sample.timestamp)
                }
            } else {
                index[sample.series] = entries.count
                entries.append(Entry(series: sample.series, points: [(sample.timestamp, sample.value)], newest: sample.timestamp))
                firsts.append(sample)
            }
        }
        var fields: [String: [String]] = [:]
        for (entry, first) in zip(entries, firsts) {
            guard let newest = entry.points.last(where: { $0.timestamp == entry.newest }) else { continue }
            fields[first.partnership, default: []] += [first.localName, newest.value.compactText]
        }
        latest = fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
