import DevSkyyCore
import DevSkyyStore
import Foundation

/// Drives `TimeSeriesWriter` as the daemon does, one batch at a time, against a live Redis.
///
/// Each round stamps one sample per series one second after the last round (values vary, so rollups do
/// real work), and hands the round to the writer in batches of `batch` samples. Runs for `seconds` and
/// reports raw samples written per second.
struct StoreBench {
    var redisURL: String
    var series: Int
    var batch: Int
    var seconds: Double
    var rollups: Bool
    var prefix: String

    func run() async throws -> (samples: Int, seconds: Double) {
        let endpoint = try RedisEndpoint.parse(redisURL).get()
        let client = RedisClient(settings: .init(endpoint: endpoint, commandTimeout: .seconds(30)))
        let writer = TimeSeriesWriter(
            client: client, keys: RedisKeys(prefix: prefix), retention: .init(), rollups: rollups, latestTTL: [:]
        )
        let names = (0..<series).map { "m\($0 % 100)" }
        let partnerships = (0..<series).map { "p\($0 / 100)" }
        var round: Int64 = 0
        var written = 0
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int64(seconds * 1_000))
        let origin = Timestamp.now() - 3_600_000
        while ContinuousClock.now < deadline {
            let timestamp = origin + round * 1_000
            var samples: [Sample] = []
            samples.reserveCapacity(batch)
            for index in 0..<series {
                let value = Double((Int64(index) &* 7_919 &+ round &* 104_729) % 10_000) / 100
                samples.append(Sample(partnership: partnerships[index], metric: names[index], timestamp: timestamp, value: value))
                if samples.count == batch {
                    try await writer.write(samples)
                    written += samples.count
                    samples.removeAll(keepingCapacity: true)
                }
            }
            if !samples.isEmpty {
                try await writer.write(samples)
                written += samples.count
            }
            round += 1
        }
        return (written, (ContinuousClock.now - start).seconds)
    }
}
