import DevSkyyCore
import DevSkyyStore
import Hummingbird
import ServiceLifecycle

/// The body of `GET /api/v1/events/stream`: Server-Sent Events, stored events after `since` first, then live ones.
///
/// A client that went away is noticed at the next write, a keep-alive at the latest. The stream ends with the
/// hub (`EventHub.finish()`), on graceful shutdown, or when its task is cancelled.
struct EventStream: Sendable {
    let hub: EventHub
    let log: EventLog?
    /// Replay the stored events after this one; nil: live events only.
    let since: EventID?
    let keepalive: Duration

    /// Most events replayed: the stream's usual length, read at once.
    static let maxReplay = min(EventLog.defaultMaxLength, EventLog.maxReadLimit)

    var body: ResponseBody {
        ResponseBody { [self] writer in
            // Subscribed before the replay is read, so nothing published meanwhile is missed; everything that
            // holds the subscription lives in this closure, so it ends with the response however that ends.
            let live = hub.subscribe()
            let (items, input) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .bufferingNewest(hub.buffer))
            // Keep-alives share the buffer: what counts is whether the item pushed out was an event.
            @Sendable func count(_ result: AsyncStream<Item>.Continuation.YieldResult) {
                if case .dropped(.event) = result { hub.recordDropped() }
            }
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        // The subscription is drained at once, so a client too slow for the stream loses events here,
                        // where they are counted with the hub's.
                        for await event in live { count(input.yield(.event(event))) }
                        input.finish()
                    }
                    group.addTask { [keepalive] in
                        while !Task.isCancelled {
                            try await Task.sleep(for: keepalive)
                            count(input.yield(.keepalive))
                        }
                    }
                    let (replay, notice) = await replayed()
                    try await writer.write(Self.comment(notice ?? "devskyy events"))
                    var last: EventID?
                    for event in replay {
                        try await writer.write(Self.frame(event))
                        last = event.id.flatMap(EventID.init) ?? last
                    }
                    for await item in items {
                        switch item {
                        case .event(let event):
                            // Already sent from the replay: published while it was being read.
                            if let last, let id = event.id.flatMap(EventID.init), id <= last { continue }
                            try await writer.write(Self.frame(event))
                        case .keepalive:
                            try await writer.write(Self.comment("keepalive"))
                        }
                    }
                    group.cancelAll()
                }
            } onGracefulShutdown: {
                input.finish()
            }
            try await writer.finish(nil)
        }
    }

    /// The stored events after `since`, oldest first, or why there are none.
    private func replayed() async -> ([HealthEvent], String?) {
        guard let since else { return ([], nil) }
        guard let log else { return ([], "no replay: this server has no event log") }
        do {
            return (try await log.read(since: since, limit: Self.maxReplay), nil)
        } catch {
            return ([], "no replay: Redis cannot be reached")
        }
    }

    private enum Item: Sendable {
        case event(HealthEvent)
        case keepalive
    }

    /// `id:` (the stream ID, or the time for an event not stored), `event:` (the kind), `data:` (one line of JSON).
    static func frame(_ event: HealthEvent) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString("id: \(event.id ?? String(event.time))\nevent: \(event.kind.rawValue)\ndata: ")
        buffer.writeBytes(event.jsonLine)
        buffer.writeString("\n\n")
        return buffer
    }

    static func comment(_ text: String) -> ByteBuffer {
        ByteBuffer(string: ": \(text.split(whereSeparator: \.isNewline).joined(separator: " "))\n\n")
    }
}
