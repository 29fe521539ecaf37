import Foundation

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
    public var method: String = "GET"
    public var body: String?
    /// Header values may hold secrets: never log or return them.
    public var headers: [String: String]
    public var auth: CollectorAuth = .none
    public var tls: TLSSettings = .init()
    public var proxy: String?
    /// The transfer is aborted once a response body grows past this.
    public var maxBodyBytes: Int = 16 << 20
    public var pagination: Pagination?
    /// Series past this many in one run are dropped and counted.
    public var maxSeries: Int = 10_000
    public var metrics: [MetricSpec]
    /// For `format: prometheus`: the series kept.
    public var allowlist: PrometheusAllowlist = .init()
    /// Labels added to every sample (for `for_each` collectors, the entity's).
    public var labels: [String: String] = [:]

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

extension CollectorConfig {
    /// Whether a run may yield this metric: one of its metrics, or any allowed one of a prometheus source.
    public func mayProduce(metric: String) -> Bool {
        switch format {
        case .json: metrics.contains { $0.name == metric }
        case .prometheus:
            allowlist.metrics.isEmpty || allowlist.seriesMetricNames.contains(metric)
        }
    }
}

/// How a collector authenticates. Secrets never appear in logs, errors or responses.
public enum CollectorAuth: Sendable, Equatable {
    case none
    case bearer(token: String)
    case basic(username: String, password: String)
    case oauth2(OAuth2Settings)
}

/// OAuth 2.0 client credentials: a token fetched from `tokenURL`, cached and refreshed.
public struct OAuth2Settings: Sendable, Equatable {
    public var tokenURL: String
    public var clientID: String
    public var clientSecret: String
    public var scopes: [String]

    public init(tokenURL: String, clientID: String, clientSecret: String, scopes: [String] = []) {
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scopes = scopes
    }
}

public struct TLSSettings: Sendable, Equatable {
    public var caFile: String?
    public var skipVerify: Bool

    public init(caFile: String? = nil, skipVerify: Bool = false) {
        self.caFile = caFile
        self.skipVerify = skipVerify
    }
}

/// Following further pages of a source, up to `maxPages` in all.
public struct Pagination: Sendable, Equatable {
    public enum Next: Sendable, Equatable {
        /// The `Link: <...>; rel="next"` response header.
        case linkHeader
        /// A field of the document holding the next cursor, sent back as a query parameter.
        case cursor(path: String, parameter: String)
    }

    public var next: Next
    public var maxPages: Int

    public init(next: Next, maxPages: Int) {
        self.next = next
        self.maxPages = maxPages
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

    /// The allowed metrics as series name them: Prometheus's `:` becomes `_`.
    public var seriesMetricNames: [String] {
        metrics.map { $0.contains(":") ? String($0.map { $0 == ":" ? "_" : $0 }) : $0 }
    }
}
