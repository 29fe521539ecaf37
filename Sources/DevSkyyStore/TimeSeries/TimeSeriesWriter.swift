import DevSkyyCore

/// Writes sample batches to Redis in one pipelined round trip each.
public struct TimeSeriesWriter: Sendable {
    private let client: RedisClient
    private let keys: RedisKeys
    private let rawRetentionSeconds: Int64
    private let latestTTLSeconds: [String: Int64]

    /// - Parameters:
    ///   - latestTTL: per partnership, how long its `latest` hash lives (its staleness window).
    public init(client: RedisClient, keys: RedisKeys, rawRetention: Duration, latestTTL: [String: Duration]) {
        self.client = client
        self.keys = keys
        self.rawRetentionSeconds = max(1, rawRetention.milliseconds / 1_000)
        self.latestTTLSeconds = latestTTL.mapValues { max(1, $0.milliseconds / 1_000) }
    }

    public func write(_ samples: [Sample]) async throws(RedisError) {
        guard !samples.isEmpty else { return }
        let replies = try await client.pipeline(commands(for: samples))
        for reply in replies {
            if case .error(let message) = reply { throw .reply(message) }
        }
    }

    /// The commands for one batch: per series ZADD and EXPIRE, the index SADD, per partnership HSET and EXPIRE.
    func commands(for samples: [Sample]) -> [[String]] {
        var commands: [[String]] = []
        var series: [String] = []
        var latest: [String: [String]] = [:]
        var seen: Set<String> = []
        for sample in samples {
            let key = keys.series(sample.series)
            commands.append(["ZADD", key, String(sample.timestamp), RedisKeys.member(timestamp: sample.timestamp, value: sample.value)])
            if seen.insert(sample.series).inserted {
                commands.append(["EXPIRE", key, String(rawRetentionSeconds)])
                series.append(sample.series)
            }
            latest[sample.partnership, default: []] += [sample.localName, sample.value.compactText]
        }
        commands.append(["SADD", keys.seriesIndex] + series)
        for (partnership, fields) in latest.sorted(by: { $0.key < $1.key }) {
            let key = keys.latest(partnership)
            commands.append(["HSET", key] + fields)
            commands.append(["EXPIRE", key, String(latestTTLSeconds[partnership] ?? rawRetentionSeconds)])
        }
        return commands
    }
}
