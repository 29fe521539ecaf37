import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport
import Foundation
import Logging
import Testing

@Suite("Write loop with its outbox against a real redis-server")
struct WriterServiceTests {
    @Test func progressThatCannotBeRecordedDoesNotStallNewBatches() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let folder = TemporaryFolder("writer")
        defer { folder.remove() }
        let settings = OutboxSettings(directory: folder.file("outbox"), fsync: .never)
        let now = Timestamp.now()
        do {
            // Batches left by a previous run.
            let left = try Outbox(settings: settings, logger: Logger(label: "test"))
            for index in 0..<3 {
                try left.append(SampleBatchCodec.encode([Sample(partnership: "p", metric: "old", timestamp: now + Int64(index), value: 1)]))
            }
        }
        // The acknowledged position cannot be written (its temporary file's name is taken by a folder).
        try FileManager.default.createDirectory(atPath: folder.file("outbox/acknowledged.tmp"), withIntermediateDirectories: false)
        let outbox = try Outbox(settings: settings, logger: Logger(label: "test"))
        let client = try redis.client()
        let writer = TimeSeriesWriter(client: client, keys: RedisKeys(prefix: "ws"), retention: .init(), latestTTL: [:])
        let service = WriterService(writer: writer, client: client, outbox: outbox, logger: Logger(label: "test"), onStatus: { _, _ in })
        let running = Task { await service.run() }
        defer { running.cancel() }

        #expect(await eventually { (try? await client.command(["ZCARD", "ws:ts:p.old"]).integer) == 3 }, "the old batches are replayed")
        service.submit([Sample(partnership: "p", metric: "new", timestamp: now, value: 2)])
        #expect(
            await eventually { (try? await client.command(["ZCARD", "ws:ts:p.new"]).integer) == 1 },
            "a new batch still gets through while the outbox cannot record its progress"
        )
        // Done in memory, so the replay moves on (before, the same records came back forever); the outbox says why.
        #expect(outbox.stats.records == 0, "replayed once, not kept for another round")
        #expect(outbox.health.status == .failing && outbox.health.error?.contains("acknowledged.tmp") == true)
        // The position never reached the disk: a restart replays those records again, which changes nothing in Redis.
        #expect(!FileManager.default.fileExists(atPath: folder.file("outbox/acknowledged")))
    }
}
