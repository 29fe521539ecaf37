import DevSkyyCore

/// Events given IDs and waiting for Redis, oldest first, at most `capacity` of them: when full, the oldest go.
struct EventQueue: Sendable {
    struct Entry: Sendable {
        /// Increasing per entry: what a finished write removes, even if older entries were dropped meanwhile.
        let ticket: UInt64
        let event: HealthEvent
        /// Sent before in a pipeline that failed on the connection: Redis may hold it already.
        var attempted = false
    }

    let capacity: Int
    private(set) var entries: [Entry] = []
    private(set) var dropped = 0
    private var nextTicket: UInt64 = 0
    private var ids = EventIDSequence()

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Queues the events with their stream IDs and returns them so.
    mutating func push(_ events: [HealthEvent]) -> [HealthEvent] {
        let stamped = events.map { event in
            var event = event
            event.id = ids.id(for: event.time).description
            return event
        }
        for event in stamped {
            entries.append(Entry(ticket: nextTicket, event: event))
            nextTicket += 1
        }
        let excess = entries.count - capacity
        if excess > 0 {
            entries.removeFirst(excess)
            dropped += excess
        }
        return stamped
    }

    func oldest(_ count: Int) -> ArraySlice<Entry> { entries.prefix(count) }

    mutating func markAttempted(through ticket: UInt64) {
        for index in entries.indices where entries[index].ticket <= ticket { entries[index].attempted = true }
    }

    mutating func remove(through ticket: UInt64) {
        entries.removeFirst(entries.prefix { $0.ticket <= ticket }.count)
    }

    mutating func remove(before ticket: UInt64) {
        entries.removeFirst(entries.prefix { $0.ticket < ticket }.count)
    }
}
