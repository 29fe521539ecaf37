/// One record read back from the outbox; hand it to `Outbox.acknowledge(through:)` once it is safely elsewhere.
public struct OutboxRecord: Sendable, Equatable {
    public let payload: [UInt8]
    /// Where the record ends on disk; meaningful only to the `Outbox` that returned it.
    let position: OutboxPosition
}

/// The end of a record: its segment, the byte after it, and its sequence number.
///
/// Sequence numbers count records in append order; they live in memory only and are dealt afresh at each start, so
/// a position also names the ledger that dealt it: one from another `Outbox` is never taken for one of ours.
struct OutboxPosition: Sendable, Hashable {
    var ledger: UInt64
    var segment: UInt64
    var end: Int
    var sequence: UInt64
}

/// What the outbox holds now, and what went through it since it was opened.
public struct OutboxStats: Sendable, Equatable {
    /// Records waiting to be acknowledged.
    public var records = 0
    /// Their size on disk, headers included: what counts against `maxBytes`.
    public var bytes = 0
    /// Records stored by `append` since this `Outbox` was opened.
    public var appendedTotal = 0
    /// Records acknowledged since this `Outbox` was opened.
    public var replayedTotal = 0
    /// Records given up since this `Outbox` was opened: refused or deleted to respect `maxBytes`, or lost to a damaged file.
    public var droppedTotal = 0

    public init() {}
}
