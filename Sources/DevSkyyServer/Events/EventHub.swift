import DevSkyyCore
import NIOConcurrencyHelpers

/// Hands health events to live subscribers (the event-stream route), each with a buffer of its own.
///
/// Publishing never waits: a subscriber that reads too slowly loses its oldest events, counted in `dropped`.
public final class EventHub: Sendable {
    public static let defaultBuffer = 1_000

    /// Events each subscriber may fall behind by.
    let buffer: Int
    private let shared = NIOLockedValueBox(Shared())

    private struct Shared {
        var subscribers: [UInt64: AsyncStream<HealthEvent>.Continuation] = [:]
        var nextID: UInt64 = 0
        var dropped = 0
        var closed = false
    }

    /// - Parameter buffer: events each subscriber may fall behind by before its oldest are dropped.
    public init(buffer: Int = EventHub.defaultBuffer) {
        self.buffer = max(1, buffer)
    }

    /// Sends the events, in order, to every subscriber.
    public func publish(_ events: [HealthEvent]) {
        guard !events.isEmpty else { return }
        // Yielding under the lock keeps each subscriber's order the publishers' order; yield never suspends.
        shared.withLockedValue { shared in
            for continuation in shared.subscribers.values {
                for event in events {
                    if case .dropped(_) = continuation.yield(event) { shared.dropped += 1 }
                }
            }
        }
    }

    /// Events published from now on; the subscription ends when the stream is dropped or its task cancelled,
    /// or at `finish()`.
    public func subscribe() -> AsyncStream<HealthEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: HealthEvent.self, bufferingPolicy: .bufferingNewest(buffer))
        let id: UInt64? = shared.withLockedValue { shared in
            guard !shared.closed else { return nil }
            defer { shared.nextID += 1 }
            shared.subscribers[shared.nextID] = continuation
            return shared.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.shared.withLockedValue { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Ends every subscription and refuses new ones: streaming responses finish so the server can stop.
    public func finish() {
        let ending = shared.withLockedValue { shared in
            shared.closed = true
            defer { shared.subscribers = [:] }
            return Array(shared.subscribers.values)
        }
        for continuation in ending { continuation.finish() }
    }

    /// Counts an event a subscriber lost further on, in a buffer of its own (the event stream's).
    func recordDropped() {
        shared.withLockedValue { $0.dropped += 1 }
    }

    public var subscriberCount: Int { shared.withLockedValue { $0.subscribers.count } }

    /// Events dropped for subscribers that fell behind, since start.
    public var dropped: Int { shared.withLockedValue { $0.dropped } }
}
