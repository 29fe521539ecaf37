/// What the outbox holds, in memory: its segments oldest first, with the counters.
///
/// No I/O here: `Outbox` changes the disk first, then tells the ledger.
struct OutboxLedger {
    /// The unacknowledged part of one segment file.
    struct Segment: Equatable {
        let number: UInt64
        /// The first byte not yet acknowledged.
        var start: Int
        /// The end of the last good record; appends to the open segment go here.
        var end: Int
        /// The sequence number of the record at `start`.
        var firstSequence: UInt64
        var records: Int

        var bytes: Int { end - start }
        var name: String { OutboxFormat.segmentName(number) }
    }

    /// What `check(_:)` makes of a position handed back by the caller.
    enum Check: Equatable {
        case pending
        case alreadyDone
        case unknown
    }

    /// Stamped on the positions this ledger deals.
    let identity = UInt64.random(in: 1...UInt64.max)
    private(set) var segments: [Segment] = []
    /// Whether the newest segment takes appends; it stops once damage is found in it.
    private(set) var newestIsOpen = false
    private(set) var nextSegmentNumber: UInt64
    private(set) var stats = OutboxStats()
    private var nextSequence: UInt64 = 0

    init(nextSegmentNumber: UInt64) {
        self.nextSegmentNumber = nextSegmentNumber
    }

    /// The segment that takes appends, if any.
    var openSegment: Segment? { newestIsOpen ? segments.last : nil }

    /// Adds a segment found on disk at start, after those already added.
    mutating func restore(number: UInt64, start: Int, end: Int, records: Int, open: Bool) {
        segments.append(Segment(number: number, start: start, end: end, firstSequence: nextSequence, records: records))
        newestIsOpen = open
        nextSequence += UInt64(records)
        stats.records += records
        stats.bytes += end - start
    }

    /// Whether a record of `size` bytes must go to a new segment.
    func needsNewSegment(for size: Int, segmentBytes: Int) -> Bool {
        guard let open = openSegment else { return true }
        return open.end > 0 && open.end + size > segmentBytes
    }

    /// Starts a new, empty open segment.
    ///
    /// The previous newest segment, if it holds nothing, leaves the ledger: its number is returned, its file can go.
    mutating func startSegment() -> UInt64? {
        var emptied: UInt64?
        if let last = segments.last, last.records == 0 {
            emptied = last.number
            segments.removeLast()
        }
        let number = nextSegmentNumber
        nextSegmentNumber += 1
        segments.append(Segment(number: number, start: 0, end: 0, firstSequence: nextSequence, records: 0))
        newestIsOpen = true
        return emptied
    }

    /// Counts a record of `size` bytes written at the end of the open segment.
    mutating func appended(size: Int) {
        segments[segments.count - 1].end += size
        segments[segments.count - 1].records += 1
        nextSequence += 1
        stats.records += 1
        stats.bytes += size
        stats.appendedTotal += 1
    }

    /// Counts a record refused because the outbox is full.
    mutating func refused() {
        stats.droppedTotal += 1
    }

    func check(_ position: OutboxPosition) -> Check {
        guard position.ledger == identity, let first = segments.first?.firstSequence, position.sequence < nextSequence else {
            return .unknown
        }
        if position.sequence < first { return .alreadyDone }
        guard let segment = segments.first(where: { $0.number == position.segment }),
            (segment.firstSequence..<segment.firstSequence + UInt64(segment.records)).contains(position.sequence),
            position.end > segment.start, position.end <= segment.end
        else { return .unknown }
        return .pending
    }

    /// Marks every record up to `position` done; `check(position)` must be `.pending`.
    ///
    /// - Returns: the numbers of the segments now entirely done, whose files can go.
    mutating func acknowledge(through position: OutboxPosition) -> [UInt64] {
        // Counted from the records left, not from sequence numbers: records lost to damage leave gaps in those.
        let before = stats.records
        let emptied = advance(to: position)
        stats.replayedTotal += before - stats.records
        return emptied
    }

    /// Gives up the oldest segment whole (it must not be the open one); returns its number.
    mutating func dropOldestSegment() -> UInt64 {
        let oldest = segments.removeFirst()
        stats.records -= oldest.records
        stats.bytes -= oldest.bytes
        stats.droppedTotal += oldest.records
        return oldest.number
    }

    /// Gives up the oldest record, `size` bytes long, of the oldest segment; returns the numbers of emptied segments.
    mutating func dropOldestRecord(size: Int) -> [UInt64] {
        let first = segments[0]
        stats.droppedTotal += 1
        return advance(to: OutboxPosition(ledger: identity, segment: first.number, end: first.start + size, sequence: first.firstSequence))
    }

    /// Ends a segment at `offset` where damage was found: the records after it are lost, and the open segment closes.
    ///
    /// - Returns: true when the segment is left with nothing and its file can go.
    mutating func cut(_ number: UInt64, at offset: Int, keeping kept: Int) -> Bool {
        guard let index = segments.firstIndex(where: { $0.number == number }) else { return false }
        let lost = segments[index].records - kept
        stats.records -= lost
        stats.bytes -= segments[index].end - offset
        stats.droppedTotal += lost
        segments[index].end = offset
        segments[index].records = kept
        if index == segments.count - 1 { newestIsOpen = false }
        guard kept == 0 else { return false }
        segments.remove(at: index)
        return true
    }

    /// Moves the start of the log to just after `position`, keeping the open segment even when emptied.
    private mutating func advance(to position: OutboxPosition) -> [UInt64] {
        var emptied: [UInt64] = []
        while let first = segments.first, first.number < position.segment {
            emptied.append(dropFinished())
        }
        let done = Int(position.sequence + 1 - segments[0].firstSequence)
        stats.records -= done
        stats.bytes -= position.end - segments[0].start
        segments[0].start = position.end
        segments[0].firstSequence = position.sequence + 1
        segments[0].records -= done
        if segments[0].records == 0 && !(newestIsOpen && segments.count == 1) {
            segments.removeFirst()
            emptied.append(position.segment)
        }
        return emptied
    }

    private mutating func dropFinished() -> UInt64 {
        let first = segments.removeFirst()
        stats.records -= first.records
        stats.bytes -= first.bytes
        return first.number
    }
}
