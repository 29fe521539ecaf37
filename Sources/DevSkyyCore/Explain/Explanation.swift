import Foundation

/// What one test fetch of a collector yields, path by path: for `devskyyd --test` and `devskyyctl test`.
/// Nothing is written anywhere while it is made.
public struct Explanation: Codable, Sendable, Equatable {
    public struct Match: Codable, Sendable, Equatable {
        public var series: String
        public var value: Double
        /// The raw-sample key the value would be written to.
        public var redisKey: String

        public init(series: String, value: Double, redisKey: String) {
            self.series = series
            self.value = value
            self.redisKey = redisKey
        }
    }

    public struct Metric: Codable, Sendable, Equatable {
        public var name: String
        public var path: String
        public var unit: String?
        public var matches: [Match]
        public var problems: [String]

        public init(name: String, path: String, unit: String?, matches: [Match], problems: [String]) {
            self.name = name
            self.path = path
            self.unit = unit
            self.matches = matches
            self.problems = problems
        }
    }

    public var collector: String
    public var partnership: String
    /// The source URL as `URLRedaction.redacted` shows it: no user info, query values or fragment.
    public var source: String
    public var format: String
    public var error: String?
    public var durationSeconds: Double
    public var pages: Int
    public var droppedSeries: Int
    public var metrics: [Metric]
    /// Problems that belong to no single metric.
    public var problems: [String]
    /// The `latest` hash the values would be written to.
    public var latestKey: String

    public init(
        collector: String, partnership: String, source: String, format: String, error: String?, durationSeconds: Double, pages: Int,
        droppedSeries: Int, metrics: [Metric], problems: [String], latestKey: String
    ) {
        self.collector = collector
        self.partnership = partnership
        self.source = source
        self.format = format
        self.error = error
        self.durationSeconds = durationSeconds
        self.pages = pages
        self.droppedSeries = droppedSeries
        self.metrics = metrics
        self.problems = problems
        self.latestKey = latestKey
    }

    /// The readable form printed by the command-line tools.
    public func render() -> String {
        var lines = ["collector \(collector) (partnership \(partnership), \(format)) ← \(source)"]
        if let error {
            lines.append("  FAILED: \(error)")
        } else {
            lines.append("  fetched \(pages) page\(pages == 1 ? "" : "s") in \(String(format: "%.3f", durationSeconds)) s")
        }
        for metric in metrics {
            lines.append("  \(metric.name)\(metric.unit.map { " [\($0)]" } ?? "")  path \(metric.path)")
            if metric.matches.isEmpty && metric.problems.isEmpty && error == nil { lines.append("    (no match)") }
            for match in metric.matches {
                lines.append("    \(match.value.compactText) (number)  series \(match.series)  key \(match.redisKey)")
            }
            for problem in metric.problems { lines.append("    problem: \(problem)") }
        }
        for problem in problems { lines.append("  problem: \(problem)") }
        if droppedSeries > 0 { lines.append("  \(droppedSeries) series over max_series would be dropped") }
        if error == nil { lines.append("  latest values would go to \(latestKey); nothing was written") }
        return lines.joined(separator: "\n")
    }
}
