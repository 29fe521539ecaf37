import DevSkyyCore

/// Reads samples out of a Prometheus text exposition (format 0.0.4) for `format: prometheus`.
///
/// A metric's name is its Prometheus name with `:` read as `_`; every sample is stamped with the
/// scrape time. Malformed lines, NaN and ±Inf values and series that collapse onto one another once
/// labels are dropped are problems; only a document in which no line parses is an error.
public struct PrometheusTextExtractor: Sendable {
    private let partnership: String
    private let fixedLabels: [Sample.Label]
    /// Allowlisted metric names (`:` read as `_`) in the order given; empty keeps every metric.
    private let metrics: [String]
    private let metricSet: Set<String>
    /// Label names kept; empty keeps every label.
    private let labels: Set<String>

    /// Problems reported line by line before the rest are only counted.
    public static let lineProblemLimit = 50

    /// - Parameter labels: labels every sample carries (a collector's `labels`).
    public init(partnership: String, allowlist: PrometheusAllowlist = PrometheusAllowlist(), labels fixed: [String: String] = [:]) {
        self.partnership = partnership
        self.fixedLabels = fixed.map { Sample.Label($0.key, $0.value) }
        var metrics: [String] = []
        for name in allowlist.seriesMetricNames where !metrics.contains(name) { metrics.append(name) }
        self.metrics = metrics
        self.metricSet = Set(metrics)
        self.labels = Set(allowlist.labels)
    }

    /// Extracts the allowlisted samples; a body in which no line parses throws `ExtractionError`.
    public func extract(_ body: [UInt8], timestamp: Int64) throws(ExtractionError) -> ExtractionResult {
        var samples: [Sample] = []
        var problems = LineProblems()
        var seriesIndex: [String: Int] = [:]
        var bucketedFamilies: Set<String> = []
        var found: Set<String> = []
        var parsedLines = 0
        var firstMalformed: String?
        var lineNumber = 0
        var start = body.startIndex
        while start < body.endIndex {
            let end = body[start...].firstIndex(of: UInt8(ascii: "\n")) ?? body.endIndex
            var line = body[start..<end]
            start = end + 1
            lineNumber += 1
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            let parsed: PrometheusLineParser.Line
            do {
                parsed = try PrometheusLineParser.parse(line)
            } catch {
                firstMalformed = firstMalformed ?? "line \(lineNumber): \(error.reason)"
                problems.add(line: lineNumber, error.reason)
                continue
            }
            switch parsed {
            case .blank:
                continue
            case .comment:
                parsedLines += 1
            case .type(let family, let kind):
                parsedLines += 1
                if kind == "histogram" || kind == "summary" { bucketedFamilies.insert(family) }
            case .sample(let name, let sampleLabels, let value):
                parsedLines += 1
                if !metricSet.isEmpty {
                    guard let entry = allowlistEntry(for: name, bucketedFamilies: bucketedFamilies) else { continue }
                    found.insert(entry)
                }
                let kept = labels.isEmpty ? sampleLabels : sampleLabels.filter { labels.contains($0.name) }
                let sample = Sample(
                    partnership: partnership, metric: name, labels: Sample.Label.adding(fixedLabels, to: kept), timestamp: timestamp,
                    value: value
                )
                guard value.isFinite else {
                    problems.add(line: lineNumber, "\(sample.localName) is \(value.isNaN ? "NaN" : value > 0 ? "+Inf" : "-Inf"), skipped")
                    continue
                }
                if let earlier = seriesIndex[sample.series] {
                    samples[earlier] = sample
                    problems.add(line: lineNumber, "\(sample.localName) repeats the series of an earlier line; the last value is kept")
                } else {
                    seriesIndex[sample.series] = samples.count
                    samples.append(sample)
                }
            }
        }
        if parsedLines == 0, let firstMalformed {
            throw ExtractionError(message: "the response is not in the Prometheus text format (\(firstMalformed))")
        }
        var result = ExtractionResult(samples: samples, problems: problems.lines)
        if problems.omitted > 0 { result.problems.append("\(problems.omitted) more problems on other lines") }
        for name in metrics where !found.contains(name) { result.problems.append("\(name): not in the exposition") }
        return result
    }

    /// The allowlist entry that keeps a sample, if any: its own name, or for a histogram's or
    /// summary's `_bucket`, `_sum` and `_count` samples the family's name.
    private func allowlistEntry(for name: String, bucketedFamilies: Set<String>) -> String? {
        if metricSet.contains(name) { return name }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let family = String(name.dropLast(suffix.count))
            if bucketedFamilies.contains(family), metricSet.contains(family) { return family }
        }
        return nil
    }

    /// Problems with their line numbers, up to `lineProblemLimit`; past it only counted.
    private struct LineProblems {
        var lines: [String] = []
        var omitted = 0

        mutating func add(line: Int, _ text: String) {
            if lines.count < PrometheusTextExtractor.lineProblemLimit {
                lines.append("line \(line): \(text)")
            } else {
                omitted += 1
            }
        }
    }
}
