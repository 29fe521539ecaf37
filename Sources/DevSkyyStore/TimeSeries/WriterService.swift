import DevSkyyCore
import Logging
import ServiceLifecycle

/// Owns the stream of sample batches to Redis and reports whether Redis answers.
///
/// Batches are written in order. While Redis is down a batch is dropped and counted (the disk
/// outbox is a later capability); a PING every few seconds notices when Redis returns.
public struct WriterService: Service {
    /// Reports Redis up or down with the reason; called after every attempt.
    public typealias StatusHandler = @Sendable (_ up: Bool, _ error: String?) async -> Void

    private let writer: TimeSeriesWriter
    private let client: RedisClient
    private let stream: AsyncStream<[Sample]>
    private let continuation: AsyncStream<[Sample]>.Continuation
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
        (stream, continuation) = AsyncStream.makeStream(of: [Sample].self)
    }

    /// Queues a batch; never waits on Redis.
    public func submit(_ samples: [Sample]) {
        continuation.yield(samples)
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
                    for await batch in stream { await write(batch) }
                } onGracefulShutdown: {
                    // Ends the stream after the batches already queued: they are still written.
                    continuation.finish()
                }
            }
        }
    }

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
