import DevSkyyCore
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Owns the stream of sample batches to Redis, the disk outbox behind it, and reports whether Redis answers.
///
/// Samples are written in order, gathered for 100 ms; everything queued while a write is on the wire goes out
/// in the next pipeline, so batches grow with the load and round trips do not. When Redis cannot take a batch
/// (down, or slower than the command timeout), the batch goes to the outbox, and so does every batch after it
/// while Redis is away; once it answers the outbox is replayed, oldest first, before anything newer, so Redis
/// receives the samples in the order they came. A PING every few seconds notices when Redis returns; the outbox
/// survives restarts. With Redis up, batches reach it whatever the outbox's state: a full, read-only or failing
/// outbox is only a place batches cannot wait (the outbox's `health` says why), never a reason to hold them.
public final class WriterService: Service, Sendable {
    /// Reports Redis up or down with the reason; called after every attempt.
    public typealias StatusHandler = @Sendable (_ up: Bool, _ error: String?) async -> Void

    private let writer: TimeSeriesWriter
    private let client: RedisClient
    private let outbox: Outbox?
    private let pending = PendingSamples()
    private let shared = NIOLockedValueBox(Shared())
    /// Wakes the write loop; signals given while it is busy fold into one.
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let onStatus: StatusHandler
    private let probeInterval: Duration
    private let logger: Logger

    private struct Shared {
        var status = StoreStatus()
        /// Redis failed the last write or probe: batches go straight to the outbox until a probe succeeds.
        var down = false
        /// The outbox could not be read: replay waits for the next probe beat instead of failing on every batch.
        var replayHeld = false
    }

    /// - Parameter outbox: where batches wait while Redis is away; without one they are dropped and counted.
    public init(
        writer: TimeSeriesWriter, client: RedisClient, outbox: Outbox? = nil, probeInterval: Duration = .seconds(2),
        logger: Logger, onStatus: @escaping StatusHandler
    ) {
        self.writer = writer
        self.client = client
        self.outbox = outbox
        self.probeInterval = probeInterval
        self.logger = logger
        self.onStatus = onStatus
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a batch; never waits on Redis.
    public func submit(_ samples: [Sample]) {
        guard !samples.isEmpty else { return }
        pending.append(samples)
        continuation.yield()
    }

    /// Counters so far, with the outbox's current size.
    public var status: StoreStatus {
        var status = shared.withLockedValue { $0.status }
        if let stats = outbox?.stats {
            status.outboxRecords = stats.records
            status.outboxBytes = stats.bytes
            status.outboxAppendedRecords = stats.appendedTotal
            status.outboxDroppedRecords = stats.droppedTotal
        }
        if let outbox { status.outboxHealth = outbox.health }
        return status
    }

    public func run() async {
        await probe()
        // Probing and writing share the client's one queue, so they never interleave on the wire.
        await withDiscardingTaskGroup { group in
            group.addTask { [self] in
                await Periodic.run(every: probeInterval) { [self] in
                    // Learns whether a full or read-only folder takes writes again (and saves the progress it missed).
                    if let outbox, outbox.health.status != .ok { await BlockingIO.run { outbox.recheck() } }
                    shared.withLockedValue { $0.replayHeld = false }
                    // A probe that finds Redis back wakes the write loop to replay the outbox.
                    if await probe(), outbox?.isEmpty == false { continuation.yield() }
                }
            }
            if let outbox, case .interval(let every) = outbox.settings.fsync {
                group.addTask { [self] in
                    await Periodic.run(every: every) { [self] in await sync(outbox) }
                }
            }
            group.addTask { [self] in
                await withGracefulShutdownHandler { [self] in
                    // Whatever a previous run left in the outbox goes first.
                    await flush()
                    for await _ in stream {
                        // Gather for a moment: one pipeline per beat, not one wake-up and round trip per run.
                        try? await Task.sleep(for: Self.gatherWindow)
                        await flush()
                    }
                    await flush()
                    // The last appends, cut short by the shutdown or cancellation (the stream ends with either).
                    if let outbox { await sync(outbox) }
                } onGracefulShutdown: { [self] in
                    // Ends the stream after the batches already queued: they are still written, or kept on disk.
                    continuation.finish()
                }
            }
        }
    }

    /// Samples per pipeline at most: a backlog is written in big batches, where the rollup script merges each
    /// series' samples per bucket before touching Redis.
    static let maxBatch = 100_000
    static let gatherWindow: Duration = .milliseconds(100)
    /// Outbox records replayed per step (each is one batch).
    static let replayStep = 8

    /// Replays the outbox if Redis is up, then writes everything queued, in pipelines of at most `maxBatch` samples.
    private func flush() async {
        await replay()
        while let queued = pending.takeAll() {
            for start in stride(from: 0, to: queued.count, by: Self.maxBatch) {
                await deliver(Array(queued[start..<min(start + Self.maxBatch, queued.count)]))
            }
        }
    }

    /// Writes a batch, or appends it to the outbox while Redis is away; older batches in the outbox go first.
    private func deliver(_ batch: [Sample]) async {
        if let outbox, !outbox.isEmpty { await replay() }
        if let outbox, shared.withLockedValue({ $0.down }) {
            await keep(batch, in: outbox)
            return
        }
        // Redis is up: the outbox is replayed, or cannot be read (then its batches come later, when it can).
        do {
            try await write(batch)
        } catch {
            if error.isRetryable, let outbox {
                logger.warning("redis unavailable, keeping batches on disk: \(error.message)")
                await keep(batch, in: outbox)
            } else {
                // A reply error (the data, a full Redis, wrong key types) would fail the same way again.
                logger.error("dropped a batch of \(batch.count) samples: \(error.message)")
                shared.withLockedValue { $0.status.samplesDropped += batch.count }
            }
        }
    }

    /// Replays the outbox oldest first until it is empty, Redis fails again, or the outbox cannot be read.
    private func replay() async {
        guard let outbox, !outbox.isEmpty, !shared.withLockedValue({ $0.down || $0.replayHeld }) else { return }
        while true {
            let records: [OutboxRecord]
            do {
                records = try await BlockingIO.run { () throws(OutboxError) in try outbox.oldest(limit: Self.replayStep) }
            } catch {
                // Tried again at the next probe beat, not on every batch meanwhile.
                shared.withLockedValue { $0.replayHeld = true }
                logger.error("cannot read the outbox (replay waits, new batches go straight to Redis): \(error.message)")
                return
            }
            guard let last = records.last else { return }
            for (index, record) in records.enumerated() {
                guard let samples = SampleBatchCodec.decode(record.payload) else {
                    logger.warning("skipped an outbox record that is not a sample batch (\(record.payload.count) bytes)")
                    continue
                }
                do {
                    try await write(samples)
                    shared.withLockedValue { $0.status.samplesReplayed += samples.count }
                } catch {
                    if !error.isRetryable {
                        logger.error("dropped a replayed batch of \(samples.count) samples: \(error.message)")
                        shared.withLockedValue { $0.status.samplesDropped += samples.count }
                        continue
                    }
                    // Acknowledge what went through; the rest waits for the next replay.
                    if index > 0 { await acknowledge(records[index - 1], in: outbox) }
                    return
                }
            }
            // Done in memory even when the disk cannot record it (the outbox's health says so): the next records
            // come next, never the same ones again.
            await acknowledge(last, in: outbox)
        }
    }

    private func write(_ batch: [Sample]) async throws(RedisError) {
        let started = ContinuousClock.now
        do {
            try await writer.write(batch)
        } catch {
            if error.isRetryable { shared.withLockedValue { $0.down = true } }
            await onStatus(!error.isRetryable, error.message)
            throw error
        }
        let elapsed = (ContinuousClock.now - started).seconds
        shared.withLockedValue {
            $0.status.samplesWritten += batch.count
            $0.status.batchesWritten += 1
            $0.status.writeLatency.observe(elapsed)
        }
        await onStatus(true, nil)
    }

    // The outbox's file work runs on its own thread (`BlockingIO`), never on the task pool's.

    private func keep(_ batch: [Sample], in outbox: Outbox) async {
        let payload = SampleBatchCodec.encode(batch)
        do {
            if try await !BlockingIO.run({ () throws(OutboxError) in try outbox.append(payload) }) {
                shared.withLockedValue { $0.status.samplesDropped += batch.count }
            }
        } catch {
            logger.error("dropped a batch of \(batch.count) samples: the outbox refused it: \(error.message)")
            shared.withLockedValue { $0.status.samplesDropped += batch.count }
        }
    }

    private func acknowledge(_ record: OutboxRecord, in outbox: Outbox) async {
        do {
            try await BlockingIO.run { () throws(OutboxError) in try outbox.acknowledge(through: record) }
        } catch {
            // Only a record from another outbox: a bug, not the disk.
            logger.error("cannot acknowledge an outbox record: \(error.message)")
        }
    }

    private func sync(_ outbox: Outbox) async {
        do {
            try await BlockingIO.run { () throws(OutboxError) in try outbox.sync() }
        } catch {
            logger.error("cannot sync the outbox: \(error.message)")
        }
    }

    /// PINGs Redis; true when it answered.
    @discardableResult
    private func probe() async -> Bool {
        let started = ContinuousClock.now
        do throws(RedisError) {
            let reply = try await client.command(["PING"])
            // A loading or busy Redis answers with an error: not up for writes yet.
            if let message = reply.error { throw RedisError.reply(message) }
            let rtt = (ContinuousClock.now - started).seconds
            shared.withLockedValue {
                $0.down = false
                $0.status.pingSeconds = rtt
            }
            await onStatus(true, nil)
            return true
        } catch {
            shared.withLockedValue { $0.down = true }
            await onStatus(false, error.message)
            return false
        }
    }
}

/// Samples submitted and not yet written, in order.
final class PendingSamples: Sendable {
    private let samples = NIOLockedValueBox<[Sample]>([])

    func append(_ batch: [Sample]) { samples.withLockedValue { $0 += batch } }

    /// Takes every queued sample, or nil when none are waiting.
    func takeAll() -> [Sample]? {
        samples.withLockedValue { queued in
            guard !queued.isEmpty else { return nil }
            defer { queued = [] }
            return queued
        }
    }
}
