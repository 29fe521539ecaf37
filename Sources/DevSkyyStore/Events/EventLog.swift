import DevSkyyCore
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// The capped Redis stream of health events, `{prefix}:events`: appends never wait on Redis, reads page through it.
///
/// `append` gives each event its stream ID at once (the event's time, plus a sequence), queues it in memory and
/// returns; `run()` writes the queue to Redis in order with `XADD … MAXLEN ~ N`, and while Redis is away keeps the
/// newest `queueCapacity` events and retries until it answers. The queue lives in memory only: a restart during
/// an outage loses it.
public final class EventLog: Service, Sendable {
    /// Counters for self-metrics.
    public struct Stats: Sendable, Equatable {
        /// Events stored in Redis since start.
        public var appended = 0
        /// Events given up: pushed out of a full queue, or refused by Redis for good.
        public var dropped = 0
        /// Events waiting for Redis now.
        public var queued = 0

        public init(appended: Int = 0, dropped: Int = 0, queued: Int = 0) {
            self.appended = appended
            self.dropped = dropped
            self.queued = queued
        }
    }

    public static let defaultMaxLength = 10_000
    public static let defaultQueueCapacity = 10_000
    /// Most events read in one XRANGE.
    public static let maxReadLimit = 10_000

    private let client: RedisClient
    private let key: String
    private let maxLength: Int
    private let retryInterval: Duration
    private let logger: Logger
    private let shared: NIOLockedValueBox<Shared>
    /// Wakes the write loop; wake-ups given while it is busy fold into one.
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    private struct Shared {
        var queue: EventQueue
        var appended = 0
        var refused = 0
    }

    /// - Parameters:
    ///   - maxLength: the stream's approximate cap (`MAXLEN ~`).
    ///   - queueCapacity: events kept in memory while Redis is away; beyond that the oldest are dropped and counted.
    ///   - retryInterval: how long to wait before trying again after Redis failed.
    public init(
        client: RedisClient, keys: RedisKeys, maxLength: Int = EventLog.defaultMaxLength,
        queueCapacity: Int = EventLog.defaultQueueCapacity, retryInterval: Duration = .seconds(1), logger: Logger
    ) {
        self.client = client
        key = keys.events
        self.maxLength = max(1, maxLength)
        self.retryInterval = retryInterval
        self.logger = logger
        shared = NIOLockedValueBox(Shared(queue: EventQueue(capacity: queueCapacity)))
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues the events for Redis and returns them with their stream IDs set; never waits.
    @discardableResult
    public func append(_ events: [HealthEvent]) -> [HealthEvent] {
        guard !events.isEmpty else { return [] }
        let stamped = shared.withLockedValue { $0.queue.push(events) }
        wake.yield()
        return stamped
    }

    public var stats: Stats {
        shared.withLockedValue { Stats(appended: $0.appended, dropped: $0.queue.dropped + $0.refused, queued: $0.queue.entries.count) }
    }

    /// Stored events in chronological order: the first `limit` after `since` (exclusive), or without `since` the
    /// newest `limit`. Events still queued for Redis are not included.
    public func read(since: EventID?, limit: Int) async throws(RedisError) -> [HealthEvent] {
        let count = String(min(max(1, limit), Self.maxReadLimit))
        let reply: RedisReply
        if let since {
            reply = try await client.command(["XRANGE", key, since.next.description, "+", "COUNT", count])
        } else {
            reply = try await client.command(["XREVRANGE", key, "+", "-", "COUNT", count])
        }
        if let message = reply.error { throw RedisError.reply(message) }
        let events = (reply.array ?? []).compactMap(HealthEvent.init(streamEntry:))
        return since == nil ? events.reversed() : events
    }

    public func run() async {
        await withGracefulShutdownHandler {
            for await _ in wakeups {
                while await flush() == .later {
                    if Task.isShuttingDownGracefully || Task.isCancelled { break }
                    try? await cancelWhenGracefulShutdown { [retryInterval] in try await Task.sleep(for: retryInterval) }
                }
            }
            // One last try for what is queued; what Redis cannot take now is lost with the process.
            if await flush() == .later {
                let left = stats.queued
                logger.warning("\(left) health events were not stored: Redis did not answer before shutdown")
            }
        } onGracefulShutdown: { [wake] in
            wake.finish()
        }
    }

    enum Progress: Equatable {
        case done
        /// Redis cannot take writes now: retry later.
        case later
    }

    /// Events per pipeline.
    static let batchSize = 500

    /// Writes the queue oldest first until it is empty or Redis fails.
    func flush() async -> Progress {
        while true {
            let batch = shared.withLockedValue { $0.queue.oldest(Self.batchSize) }
            guard let last = batch.last else { return .done }
            let replies: [RedisReply]
            do {
                replies = try await client.pipeline(batch.map { xadd($0.event, id: $0.event.id ?? "*") })
            } catch {
                // Some may have reached Redis before the connection failed.
                shared.withLockedValue { $0.queue.markAttempted(through: last.ticket) }
                logger.debug("redis unavailable, keeping \(stats.queued) health events in memory: \(error.message)")
                return .later
            }
            for (entry, reply) in zip(batch, replies) {
                guard await stored(entry, reply) else {
                    // Retry from this entry: the ones before it are stored, the ones after it may be.
                    shared.withLockedValue {
                        $0.queue.remove(before: entry.ticket)
                        $0.queue.markAttempted(through: last.ticket)
                    }
                    return .later
                }
            }
            shared.withLockedValue { $0.queue.remove(through: last.ticket) }
        }
    }

    /// Handles one XADD reply; false when Redis asks to try again later.
    private func stored(_ entry: EventQueue.Entry, _ reply: RedisReply) async -> Bool {
        guard let message = reply.error else {
            shared.withLockedValue { $0.appended += 1 }
            return true
        }
        if RedisError.reply(message).isRetryable { return false }
        if message.contains("equal or smaller") {
            // Already there from a pipeline that failed midway, or the stream holds newer IDs (another writer, a
            // clock set back): then Redis picks the ID. The event then has a different ID than subscribers saw.
            if entry.attempted {
                shared.withLockedValue { $0.appended += 1 }
                return true
            }
            do throws(RedisError) {
                let retried = try await client.command(xadd(entry.event, id: "*"))
                if let error = retried.error { throw RedisError.reply(error) }
                shared.withLockedValue { $0.appended += 1 }
                return true
            } catch {
                return !error.isRetryable && refuse(entry, error.message)
            }
        }
        return refuse(entry, message)
    }

    /// Counts an event Redis will never take (the key holds another type, a field is refused); always true.
    private func refuse(_ entry: EventQueue.Entry, _ message: String) -> Bool {
        logger.error("dropped a health event (\(entry.event.kind.rawValue) \(entry.event.entity)): \(message)")
        shared.withLockedValue { $0.refused += 1 }
        return true
    }

    private func xadd(_ event: HealthEvent, id: String) -> [String] {
        ["XADD", key, "MAXLEN", "~", String(maxLength), id] + event.streamFields
    }
}
