/// What is known about one collector's recent runs.
public struct CollectorStatus: Sendable, Equatable {
    public var name: String
    public var partnership: String
    public var up: Bool = false
    /// The last failure, without secrets; nil once a run succeeds.
    public var lastError: String?
    public var lastAttempt: Int64?
    public var lastSuccess: Int64?
    public var lastDuration: Duration = .zero
    public var lastSampleCount: Int = 0
    public var runs: Int = 0
    public var failures: Int = 0
    public var samplesTotal: Int = 0
    /// Failed runs by cause (`timeout`, `http_500`, `rate_limited`, ...).
    public var errorsByReason: [String: Int] = [:]
    /// Series dropped by the series limit, in the last run and since start.
    public var lastDroppedSeries: Int = 0
    public var droppedSeriesTotal: Int = 0
    /// Ticks that did not run, by reason (`in_flight`, `late`, `backoff`, `rate_limited`).
    public var skippedTicks: [String: Int] = [:]
    /// The source's remaining rate-limit budget, when it reports one.
    public var rateLimitRemaining: Int?

    public init(name: String, partnership: String) {
        self.name = name
        self.partnership = partnership
    }
}

/// Whether Redis answers, as last seen by the writer.
public struct RedisStatus: Sendable, Equatable {
    public var endpoint: String
    /// nil until the first attempt to reach Redis has finished.
    public var up: Bool?
    public var lastError: String?

    public init(endpoint: String, up: Bool? = nil, lastError: String? = nil) {
        self.endpoint = endpoint
        self.up = up
        self.lastError = lastError
    }
}
