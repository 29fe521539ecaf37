/// The writer's counters since the daemon started, and the outbox as it stands: for `/metrics` and health.
public struct StoreStatus: Sendable, Equatable {
    public var samplesWritten = 0
    public var batchesWritten = 0
    /// Samples never written: refused by Redis (a data error retrying cannot fix), or given up by the outbox at its bound.
    public var samplesDropped = 0
    /// Outbox records given up at its bound (each a batch).
    public var outboxDroppedRecords = 0
    public var outboxRecords = 0
    public var outboxBytes = 0
    public var outboxAppendedRecords = 0
    /// Whether the outbox can take batches now; with Redis up, batches go to Redis whatever it says.
    public var outboxHealth = OutboxHealth()
    public var samplesReplayed = 0
    public var writeLatency = Histogram(bounds: Histogram.latencyBounds)
    /// Round trip of the last PING, in seconds; nil until one succeeded.
    public var pingSeconds: Double?

    public init() {}
}

/// A cumulative histogram in Prometheus's shape: counts per upper bound, plus sum and count.
public struct Histogram: Sendable, Equatable {
    public let bounds: [Double]
    /// Observations at or below each bound (not cumulative; the exposition accumulates).
    public private(set) var counts: [Int]
    public private(set) var sum = 0.0
    public private(set) var count = 0

    /// Seconds, from half a millisecond to ten seconds.
    public static let latencyBounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public init(bounds: [Double]) {
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count)
    }

    public mutating func observe(_ value: Double) {
        if let index = bounds.firstIndex(where: { value <= $0 }) { counts[index] += 1 }
        sum += value
        count += 1
    }
}
