/// What a range query reads and how it cuts the range into windows, fixed at one `now`.
///
/// Windows are `[t, t + step)` with `t` a multiple of `step` since the Unix epoch (UTC), like the
/// rollup buckets; the first is the one holding the first bucket read. Each point read (a raw sample
/// at its time, a bucket at its start) falls in exactly one window.
public struct RangePlan: Sendable, Equatable {
    public let from: Int64
    public let to: Int64
    public let resolution: Resolution
    public let step: Int64
    public let aggregation: Aggregation
    public let firstWindow: Int64
    public let windowCount: Int

    /// Plans a query.
    /// - Parameters:
    ///   - rawPoints: the most raw samples any selected series has in the range; only needed (and only
    ///     counted by the reader) when the resolution is `auto` and the raw retention covers `from`.
    /// - Throws: `QueryError` when `to` is before `from`, or the windows would be more than `maxPoints`.
    public init(_ query: RangeQuery, now: Int64, retention: RetentionSettings, rawPoints: Int? = nil) throws(QueryError) {
        let bounds = try query.bounds(now: now)
        let resolution: Resolution
        switch query.resolution {
        case .fixed(let fixed): resolution = fixed
        case .auto:
            resolution = ResolutionChooser.choose(
                range: bounds, now: now, retention: retention, maxPoints: query.maxPoints, rawPoints: rawPoints ?? 0)
        }
        let readFrom = resolution.bucketStart(bounds.lowerBound)
        let step =
            query.step ?? Self.defaultStep(readFrom: readFrom, to: bounds.upperBound, resolution: resolution, maxPoints: query.maxPoints)
        let count = Self.windowCount(readFrom: readFrom, to: bounds.upperBound, step: step)
        guard count <= query.maxPoints else {
            let span = DurationParser.format(.milliseconds(bounds.upperBound - bounds.lowerBound))
            throw .tooLarge(
                "step",
                "a step of \(DurationParser.format(.milliseconds(step))) over \(span) gives \(count) points per series, "
                    + "more than max_points \(query.maxPoints): use a larger step, a shorter range or a larger max_points "
                    + "(at most \(RangeQuery.maxPointsRange.upperBound))"
            )
        }
        self.from = bounds.lowerBound
        self.to = bounds.upperBound
        self.resolution = resolution
        self.step = step
        self.aggregation = query.aggregation
        self.firstWindow = Resolution.alignDown(readFrom, to: step)
        self.windowCount = count
    }

    /// The scores to read from the resolution's sorted sets: from the bucket holding `from` (raw: `from`) to `to`.
    public var readRange: ClosedRange<Int64> { resolution.bucketStart(from)...to }

    /// Steps a chart reads well; past a day, whole days.
    static let niceSteps: [Int64] = [
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400,
    ].map { $0 * 1_000 }

    /// The smallest nice step, no finer than the resolution's buckets, whose windows fit `maxPoints`.
    static func defaultStep(readFrom: Int64, to: Int64, resolution: Resolution, maxPoints: Int) -> Int64 {
        let floor = resolution.bucketMilliseconds ?? 0
        for step in niceSteps where step >= floor && windowCount(readFrom: readFrom, to: to, step: step) <= maxPoints {
            return step
        }
        // Whole days, from just under span / maxPoints (no smaller step fits): a few rounds at most.
        let day: Int64 = 86_400_000
        var step = max(2 * day, (to - readFrom) / Int64(maxPoints) / day * day)
        while windowCount(readFrom: readFrom, to: to, step: step) > maxPoints { step += day }
        return step
    }

    static func windowCount(readFrom: Int64, to: Int64, step: Int64) -> Int {
        Int((Resolution.alignDown(to, to: step) - Resolution.alignDown(readFrom, to: step)) / step + 1)
    }

}

/// The automatic choice of resolution.
///
/// The finest resolution whose retention still covers `from` (counted back from now) and whose points
/// over the range fit the budget: raw samples are counted, a rollup has one point per bucket. When
/// none fits, the coarsest that covers `from`; when none covers it, the one kept longest.
public enum ResolutionChooser {
    public static func choose(range: ClosedRange<Int64>, now: Int64, retention: RetentionSettings, maxPoints: Int, rawPoints: Int)
        -> Resolution
    {
        let covering = Resolution.allCases.filter { covers($0, from: range.lowerBound, now: now, retention: retention) }
        guard !covering.isEmpty else {
            return Resolution.allCases.max { retention.retention(of: $0) < retention.retention(of: $1) } ?? .day
        }
        return covering.first { points($0, range: range, rawPoints: rawPoints) <= maxPoints } ?? covering.last!
    }

    /// Whether the resolution still holds data as old as `from`.
    public static func covers(_ resolution: Resolution, from: Int64, now: Int64, retention: RetentionSettings) -> Bool {
        now - retention.retention(of: resolution).milliseconds <= from
    }

    /// Points per series the resolution holds over the range: the raw count, or the number of buckets.
    public static func points(_ resolution: Resolution, range: ClosedRange<Int64>, rawPoints: Int) -> Int {
        guard let width = resolution.bucketMilliseconds else { return rawPoints }
        return Int((resolution.bucketStart(range.upperBound) - resolution.bucketStart(range.lowerBound)) / width + 1)
    }
}
