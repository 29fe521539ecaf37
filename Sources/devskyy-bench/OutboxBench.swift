import DevSkyyCore
import DevSkyyStore
import Foundation
import Logging

/// What the writer does with each batch while Redis is down: encode it and append it to the outbox.
struct OutboxBench {
    var directory: String
    var batch: Int
    var seconds: Double
    var fsync: OutboxSettings.FsyncPolicy

    func run() throws -> (batches: Int, samples: Int, seconds: Double) {
        let outbox = try Outbox(
            settings: OutboxSettings(directory: directory, maxBytes: 1 << 30, fsync: fsync), logger: Logger(label: "bench")
        )
        var round: Int64 = 0
        var appended = 0
        let origin = Timestamp.now()
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int64(seconds * 1_000))
        var lastSync = start
        while ContinuousClock.now < deadline {
            let samples = (0..<batch).map { index in
                Sample(partnership: "p\(index / 100)", metric: "m\(index % 100)", timestamp: origin + round, value: Double(index) / 7)
            }
            try outbox.append(SampleBatchCodec.encode(samples))
            appended += 1
            round += 1
            // The writer's timer syncs once per interval.
            if case .interval(let every) = fsync, ContinuousClock.now - lastSync >= every {
                try outbox.sync()
                lastSync = .now
            }
        }
        try outbox.sync()
        return (appended, appended * batch, (ContinuousClock.now - start).seconds)
    }
}
