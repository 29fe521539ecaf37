/// One collector: a source URL fetched at an interval and the metrics read out of it.
public struct CollectorConfig: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        case json, prometheus
    }

    public var name: String
    public var partnership: String
    public var url: String
    public var interval: Duration
    public var timeout: Duration
    public var format: Format
    /// Header values may hold secrets: never log or return them.
    public var headers: [String: String]
    public var metrics: [MetricSpec]

    public init(
        name: String,
        partnership: String,
        url: String,
        interval: Duration = .seconds(30),
        timeout: Duration = .seconds(5),
        format: Format = .json,
        headers: [String: String] = [:],
        metrics: [MetricSpec]
    ) {
        self.name = name
        self.partnership = partnership
        self.url = url
        self.interval = interval
        self.timeout = timeout
        self.format = format
        self.headers = headers
        self.metrics = metrics
    }
}

/// A metric read from a source document by path.
public struct MetricSpec: Sendable, Equatable {
    public var name: String
    public var path: String
    public var unit: String?
    public var scale: Double
    /// Label names for the keys matched by each `*` in the path, in order.
    public var keyLabels: [String]
    /// Labels read from fields: label name → path relative to the element a `*` or filter matched
    /// (or to the document root when the path has none).
    public var labelPaths: [String: String]

    public init(
        name: String, path: String, unit: String? = nil, scale: Double = 1, keyLabels: [String] = [],
        labelPaths: [String: String] = [:]
    ) {
        self.name = name
        self.path = path
        self.unit = unit
        self.scale = scale
        self.keyLabels = keyLabels
        self.labelPaths = labelPaths
    }
}

/// Which series a `format: prometheus` collector keeps.
public struct PrometheusAllowlist: Sendable, Equatable {
    /// Metric names kept; empty keeps every metric.
    public var metrics: [String]
    /// Label names kept on the kept series; empty keeps every label.
    public var labels: [String]

    public init(metrics: [String] = [], labels: [String] = []) {
        self.metrics = metrics
        self.labels = labels
    }
}
