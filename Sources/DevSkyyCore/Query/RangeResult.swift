/// The answer to a range query: per series, one value per window that holds data.
public struct RangeResult: Sendable, Equatable {
    public let plan: RangePlan
    /// Sorted by name.
    public let series: [SeriesPoints]

    public init(plan: RangePlan, series: [SeriesPoints]) {
        self.plan = plan
        self.series = series.sorted { $0.series < $1.series }
    }
}

/// One series' values, by window start.
public struct SeriesPoints: Sendable, Equatable {
    public let series: SeriesName
    public let points: [WindowValue]

    public init(series: SeriesName, points: [WindowValue]) {
        self.series = series
        self.points = points
    }

    /// Aggregates stored points into the plan's windows; windows without data are left out, and so are points
    /// outside the plan's read range.
    public init(series: SeriesName, aggregating stored: [RangePoint], plan: RangePlan) {
        var windows = [RangePoint?](repeating: nil, count: plan.windowCount)
        let range = plan.readRange
        for point in stored where range.contains(point.time) {
            let index = Int((point.time - plan.firstWindow) / plan.step)
            guard windows.indices.contains(index) else { continue }
            if windows[index] == nil {
                windows[index] = point
            } else {
                windows[index]!.merge(point)
            }
        }
        self.series = series
        self.points = windows.enumerated().compactMap { index, window in
            window.map { WindowValue(time: plan.firstWindow + Int64(index) * plan.step, value: $0.value(plan.aggregation)) }
        }
    }
}

/// A window's start (unix ms) and its aggregated value.
public struct WindowValue: Sendable, Equatable {
    public let time: Int64
    public let value: Double

    public init(time: Int64, value: Double) {
        self.time = time
        self.value = value
    }
}
