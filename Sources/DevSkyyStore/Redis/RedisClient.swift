import DevSkyyCore
import Dispatch

/// A Redis connection with reconnection: blocking hiredis calls run on one serial queue,
/// never on Swift's cooperative threads.
///
/// After a failure it reconnects on the next call, no sooner than a capped exponential backoff allows.
// @unchecked: `connection`, `retryAt`, `delay` and `lastError` are touched only on `queue`.
public final class RedisClient: @unchecked Sendable {
    private let settings: RedisSettings
    private let queue = DispatchQueue(label: "devskyy.redis")
    private var connection: RedisConnection?
    private var retryAt: ContinuousClock.Instant?
    private var delay: Duration = .zero
    private var lastError: RedisError?

    static let initialDelay: Duration = .milliseconds(250)
    static let maximumDelay: Duration = .seconds(5)

    public init(settings: RedisSettings) {
        self.settings = settings
    }

    public func command(_ arguments: [String]) async throws(RedisError) -> RedisReply {
        try await pipeline([arguments])[0]
    }

    /// Sends the commands in one round trip; per-command errors come back as `.error` replies.
    public func pipeline(_ commands: [[String]]) async throws(RedisError) -> [RedisReply] {
        let result = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result { () throws(RedisError) in try self.onQueue(commands) })
            }
        }
        return try result.get()
    }

    private func onQueue(_ commands: [[String]]) throws(RedisError) -> [RedisReply] {
        let connection = try connected()
        do {
            return try connection.pipeline(commands)
        } catch {
            // hiredis contexts are unusable after an I/O error: drop it and reconnect next time.
            self.connection = nil
            fail(error)
            throw error
        }
    }

    private func connected() throws(RedisError) -> RedisConnection {
        if let connection { return connection }
        if let retryAt, ContinuousClock.now < retryAt, let lastError {
            throw .connection("\(lastError.message) (retrying)")
        }
        do {
            let made = try RedisConnection(
                endpoint: settings.endpoint, connectTimeout: settings.connectTimeout, commandTimeout: settings.commandTimeout
            )
            connection = made
            retryAt = nil
            delay = .zero
            return made
        } catch {
            fail(error)
            throw error
        }
    }

    private func fail(_ error: RedisError) {
        lastError = error
        delay = delay == .zero ? Self.initialDelay : min(delay * 2, Self.maximumDelay)
        retryAt = .now + delay
    }
}
