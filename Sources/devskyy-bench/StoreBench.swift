import DevSkyyCore
import DevSkyyStore
import Foundation
import Logging

/// Drives the time-series writer against a live Redis, in one of two ways.
///
/// - `lockstep`: each round (one sample per series, one second after the last round) is written by
///   `TimeSeriesWriter` and awaited before the next: one sample per series per write.
/// - `sustained`: the daemon's `WriterService` is fed rounds as fast as it drains them (at most `backlog`
///   samples queued): what the daemon ingests when collectors produce more than Redis takes, its batches
///   growing with the queue as they do in the daemon.
///
/// Reports raw samples written per second.
struct StoreBench {
    var redisURL: String
    var series: Int
    var batch: Int
    var seconds: Double
    var rollups: Bool
    var sustained: Bool
    var backlog: Int
    var prefix: String

    func run() async throws -> (samples: Int, seconds: Double) {
        let endpoint = try RedisEndpoint.parse(redisURL).get()
        let client = RedisClient(settings: .init(endpoint: endpoint, commandTimeout: .seconds(30)))
        let writer = TimeSeriesWriter(client: client, keys: RedisKeys(prefix: prefix), retention: .init(), rollups: rollups, latestTTL: [:])
        let rounds = Rounds(series: series)
        return sustained ? try await runSustained(writer, client, rounds) : try await runLockstep(writer, rounds)
    }

    private func runLockstep(_ writer: TimeSeriesWriter, _ rounds: Rounds) async throws -> (samples: Int, seconds: Double) {
        var written = 0
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int64(seconds * 1_000))
        while ContinuousClock.now < deadline {
            let round = rounds.next()
            for offset in stride(from: 0, to: round.count, by: batch) {
                let part = Array(round[offset..<min(offset + batch, round.count)])
                try await writer.write(part)
                written += part.count
            }
        }
        return (written, (ContinuousClock.now - start).seconds)
    }

    private func runSustained(
        _ writer: TimeSeriesWriter, _ client: RedisClient, _ rounds: Rounds
    ) async throws -> (samples: Int, seconds: Double) {
        let service = WriterService(writer: writer, client: client, logger: Logger(label: "bench"), onStatus: { _, _ in })
        let running = Task { await service.run() }
        defer { running.cancel() }
        var submitted = 0
        // Warm up: the first rounds create every key.
        let warm = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < warm {
            submitted = try await feed(service, rounds, submitted: submitted)
        }
        let startWritten = service.status.samplesWritten
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int64(seconds * 1_000))
        while ContinuousClock.now < deadline {
            submitted = try await feed(service, rounds, submitted: submitted)
        }
        let written = service.status.samplesWritten - startWritten
        return (written, (ContinuousClock.now - start).seconds)
    }

    /// Submits a round when fewer than `backlog` samples wait, otherwise pauses a millisecond.
    private func feed(_ service: WriterService, _ rounds: Rounds, submitted: Int) async throws -> Int {
        if submitted - service.status.samplesWritten < backlog {
            let round = rounds.next()
            service.submit(round)
            return submitted + round.count
        }
        try await Task.sleep(for: .milliseconds(1))
        return submitted
    }
}

/// Rounds of one sample per series, each a second after the last, with values that vary.
final class Rounds {
    private let names: [String]
    private let partnerships: [String]
    private var round: Int64 = 0
    private let origin = Timestamp.now() - 3_600_000

    init(series: Int) {
        names = (0..<series).map { "m\($0 % 100)" }
        partnerships = (0..<series).map { "p\($0 / 100)" }
    }

    func next() -> [Sample] {
        defer { round += 1 }
        let timestamp = origin + round * 1_000
        return names.indices.map { index in
            let value = Double((Int64(index) &* 7_919 &+ round &* 104_729) % 10_000) / 100
            return Sample(partnership: partnerships[index], metric: names[index], timestamp: timestamp, value: value)
        }
    }
}
