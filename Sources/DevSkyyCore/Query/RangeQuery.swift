/// A request for the history of some series over a time range, aggregated into step windows.
public struct RangeQuery: Sendable, Equatable {
    public var selection: SeriesSelection
    public var from: QueryTime
    public var to: QueryTime
    /// Width of the windows in milliseconds; nil lets the plan choose one that fits `maxPoints`.
    public var step: Int64?
    public var aggregation: Aggregation
    public var resolution: ResolutionRequest
    /// Most points per series, both read from Redis (when a resolution allows) and answered.
    public var maxPoints: Int

    public static let defaultMaxPoints = 1_000
    public static let maxPointsRange = 2...11_000
    /// Most series one query may read.
    public static let maxSeries = 500

    public init(
        selection: SeriesSelection, from: QueryTime, to: QueryTime = .now, step: Int64? = nil, aggregation: Aggregation = .avg,
        resolution: ResolutionRequest = .auto, maxPoints: Int = RangeQuery.defaultMaxPoints
    ) {
        self.selection = selection
        self.from = from
        self.to = to
        self.step = step
        self.aggregation = aggregation
        self.resolution = resolution
        self.maxPoints = maxPoints
    }

    /// `from` and `to` in unix ms at `now`.
    /// - Throws: when `to` is before `from`.
    public func bounds(now: Int64) throws(QueryError) -> ClosedRange<Int64> {
        let start = from.resolve(now: now)
        let end = to.resolve(now: now)
        guard start <= end else {
            throw .invalid(
                "to", "\(to) (\(Timestamp.iso8601(milliseconds: end))) is before from \(from) (\(Timestamp.iso8601(milliseconds: start)))")
        }
        return start...end
    }

    /// One line that equal queries share and different ones never do: the results cache's key is its hash.
    /// Relative times stay relative, so a dashboard asking for `-1h` every few seconds hits the cache.
    public var normalized: String {
        let selected: String
        switch selection {
        case .names(let names): selected = "series=" + names.map { "\($0.utf8.count):\($0)" }.joined(separator: ",")
        case .matcher(let matcher): selected = "match=\(matcher)"
        }
        return [
            "range/v1", selected, "from=\(from)", "to=\(to)", "step=\(step.map(String.init) ?? "auto")",
            "agg=\(aggregation.rawValue)", "resolution=\(resolution)", "max_points=\(maxPoints)",
        ].joined(separator: " ")
    }
}

/// How the values inside one step window become one value.
public enum Aggregation: String, Sendable, CaseIterable {
    /// Sum of the sums over sum of the counts: the mean of the samples, not of the buckets.
    case avg
    case min
    case max
    case sum
    /// The number of samples.
    case count
    /// The value of the latest sample (greatest timestamp).
    case last
}

/// The stored resolution a query reads: chosen by the plan, or the one asked for.
public enum ResolutionRequest: Sendable, Equatable, CustomStringConvertible {
    case auto
    case fixed(Resolution)

    /// `auto`, `raw`, `1m`, `1h` or `1d`.
    public static func parse(_ text: String) -> ResolutionRequest? {
        text == "auto" ? .auto : Resolution(rawValue: text).map(ResolutionRequest.fixed)
    }

    public var description: String {
        switch self {
        case .auto: "auto"
        case .fixed(let resolution): resolution.rawValue
        }
    }
}

/// Which series a query reads: named ones, or those a matcher selects from the index.
public enum SeriesSelection: Sendable, Equatable {
    /// Sorted and without repeats.
    case names([String])
    case matcher(SeriesMatcher)

    public static func named(_ names: some Sequence<String>) -> SeriesSelection {
        .names(Array(Set(names)).sorted())
    }

    /// A command-line argument: a series name (`technical.followers,platform=instagram`) or a selector
    /// (`{partnership="technical"}`, `metric=followers`). Series names have a `.` before any `=`; label names never do.
    public static func parse(_ text: String) throws(QueryError) -> SeriesSelection {
        let head = text.prefix { !"=!~,{".contains($0) }
        if !text.hasPrefix("{"), head.contains(".") { return .names([text]) }
        return .matcher(try SeriesMatcher.parse(text))
    }
}

extension RangeQuery {
    /// - Throws: when a selection holds more than `maxSeries` series.
    public static func checkSeriesCount(_ count: Int) throws(QueryError) {
        guard count <= maxSeries else {
            throw .tooLarge("match", "selects \(count) series, more than \(maxSeries): narrow the selector")
        }
    }
}
