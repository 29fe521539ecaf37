/// A stream entry ID, `ms-seq`: where an event sits in `{prefix}:events`, ordered by time then sequence.
public struct EventID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64
    public var sequence: UInt64

    public init(milliseconds: Int64, sequence: UInt64 = 0) {
        self.milliseconds = milliseconds
        self.sequence = sequence
    }

    /// Parses `1700000000000-0`; nil for anything else (a bare number is a time, not an ID).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let ms = Int64(parts[0]), let sequence = UInt64(parts[1])
        else { return nil }
        self.init(milliseconds: ms, sequence: sequence)
    }

    /// The first ID after this one: XRANGE's inclusive start for "everything after".
    public var next: EventID {
        sequence == .max ? EventID(milliseconds: milliseconds + 1) : EventID(milliseconds: milliseconds, sequence: sequence + 1)
    }

    public static func < (lhs: EventID, rhs: EventID) -> Bool {
        (lhs.milliseconds, lhs.sequence) < (rhs.milliseconds, rhs.sequence)
    }

    public var description: String { "\(milliseconds)-\(sequence)" }
}

/// Hands out increasing IDs that follow the events' own times, so an ID's milliseconds are the event's time
/// (or a little later when the clock went back) and "since a time" and "since an ID" mean the same thing.
struct EventIDSequence: Sendable {
    private(set) var last = EventID(milliseconds: 0)

    mutating func id(for time: Int64) -> EventID {
        last = time > last.milliseconds ? EventID(milliseconds: time) : last.next
        return last
    }
}
