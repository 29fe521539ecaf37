import DevSkyyCore
import Logging
import ServiceLifecycle
import Synchronization

/// Owns the stream of sample batches to Redis and reports whether Redis answers.
///
/// Samples are written in order, gathered for 100 ms; everything queued while a write is on the wire goes out in the
/// next pipeline, so batches grow with the load and round trips do not. While Redis is down a batch
/// is dropped and logged (the disk outbox is a later capability); a PING every few seconds notices
/// when Redis returns.
public struct WriterService: Service {
    /// Reports Redis up or down with the reason; called after every attempt.
    public typealias StatusHandler = @Sendable (_ up: Bool, _ error: String?) async -> Void

    private let writer: TimeSeriesWriter
    private let client: RedisClient
    private let pending = PendingSamples()
    /// Wakes the write loop; signals given while it is busy fold into one.
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let onStatus: StatusHandler
    private let probeInterval: Duration
    private let logger: Logger

    public init(
        writer: TimeSeriesWriter, client: RedisClient, probeInterval: Duration = .seconds(2),
        logger: Logger, onStatus: @escaping StatusHandler
    ) {
        self.writer = writer
        self.client = client
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

    public func run() async {
        await probe()
        // Probing and writing share the client's one queue, so they never interleave on the wire.
        await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: probeInterval) }
                    if Task.isShuttingDownGracefully || Task.isCancelled { break }
                    await probe()
                }
            }
            group.addTask {
                await withGracefulShutdownHandler {
                    for await _ in stream {
                        // Gather for a moment: one pipeline per beat, not one wake-up and round trip per run.
                        try? await Task.sleep(for: Self.gatherWindow)
                        await writePending()
                    }
                    await writePending()
                } onGracefulShutdown: {
                    // Ends the stream after the batches already queued: they are still written.
                    continuation.finish()
                }
            }
        }
    }

    /// Writes everything queued, in pipelines of at most `maxBatch` samples.
    private func writePending() async {
        while let queued = pending.takeAll() {
            for start in stride(from: 0, to: queued.count, by: Self.maxBatch) {
                await write(Array(queued[start..<min(start + Self.maxBatch, queued.count)]))
            }
        }
    }

    static let maxBatch = 20_000
    static let gatherWindow: Duration = .milliseconds(100)

    private func write(_ batch: [Sample]) async {
        do {
            try await writer.write(batch)
            await onStatus(true, nil)
        } catch {
            logger.warning("dropped a batch of \(batch.count) samples: \(error.message)")
            await onStatus(!error.isConnectionError, error.message)
        }
    }

    private func probe() async {
        do {
            _ = try await client.command(["PING"])
            await onStatus(true, nil)
        } catch {
            await onStatus(false, error.message)
        }
    }
}

/// Samples submitted and not yet written, in order.
final class PendingSamples: Sendable {
    private let samples = Mutex<[Sample]>([])

    func append(_ batch: [Sample]) { samples.withLock { $0 += batch } }

    /// Takes every queued sample, or nil when none are waiting.
    func takeAll() -> [Sample]? {
        samples.withLock { queued in
            guard !queued.isEmpty else { return nil }
            defer { queued = [] }
            return queued
        }
    }
}
