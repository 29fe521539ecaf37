/// One stored point of a series, raw or rolled up: a raw sample is a bucket of one.
public struct RangePoint: Sendable, Equatable {
    /// The sample's time, or the bucket's start (unix ms).
    public var time: Int64
    public var count: Int64
    public var sum: Double
    public var min: Double
    public var max: Double
    public var last: Double
    /// When `last` was sampled (unix ms).
    public var lastTime: Int64

    public init(time: Int64, count: Int64, sum: Double, min: Double, max: Double, last: Double, lastTime: Int64) {
        self.time = time
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
        self.last = last
        self.lastTime = lastTime
    }

    /// A raw sample.
    public init(time: Int64, value: Double) {
        self.init(time: time, count: 1, sum: value, min: value, max: value, last: value, lastTime: time)
    }

    /// Reads a raw sample's member, `{ms}:{value}`; nil when it is not one.
    public init?(rawMember member: String) {
        guard let colon = member.firstIndex(of: ":"), let time = Int64(member[..<colon]),
            let value = Double(member[member.index(after: colon)...])
        else { return nil }
        self.init(time: time, value: value)
    }

    /// Reads a rollup bucket's member, `{start}:{count}:{sum}:{min}:{max}:{last}:{lastMs}`; nil when it is not one.
    public init?(rollupMember member: String) {
        let fields = member.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 7, let start = Int64(fields[0]), let count = Int64(fields[1]), count > 0,
            let sum = Double(fields[2]), let min = Double(fields[3]), let max = Double(fields[4]), let last = Double(fields[5]),
            let lastTime = Int64(fields[6])
        else { return nil }
        self.init(time: start, count: count, sum: sum, min: min, max: max, last: last, lastTime: lastTime)
    }

    /// Reads a member of the given resolution's sorted set.
    public init?(member: String, resolution: Resolution) {
        if resolution == .raw {
            self.init(rawMember: member)
        } else {
            self.init(rollupMember: member)
        }
    }

    /// Both points together: the bucket a rollup of both would hold.
    mutating func merge(_ other: RangePoint) {
        count += other.count
        sum += other.sum
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        if other.lastTime >= lastTime {
            last = other.last
            lastTime = other.lastTime
        }
    }

    public func value(_ aggregation: Aggregation) -> Double {
        switch aggregation {
        case .avg: sum / Double(count)
        case .min: min
        case .max: max
        case .sum: sum
        case .count: Double(count)
        case .last: last
        }
    }
}
