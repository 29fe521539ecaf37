/// The answer of `GET /api/v1/collectors`: every collector's state and counters, as of the snapshot's time.
public struct CollectorsAnswer: Codable, Sendable, Equatable {
    public var collectors: [Collector]
    /// ISO 8601.
    public var lastUpdated: String

    public struct Collector: Codable, Sendable, Equatable {
        public var name: String
        public var partnership: String
        public var up: Bool
        /// ISO 8601; nil before the first success.
        public var lastSuccess: String?
        /// Absent once a run succeeded.
        public var lastError: String?
        public var runs: Int
        public var failures: Int
        public var lastDurationSeconds: Double
        /// Samples of the last run.
        public var samples: Int
        public var samplesTotal: Int
        /// Failed runs by reason.
        public var errors: [String: Int]
        public var droppedSeriesTotal: Int
        /// Ticks not run, by reason.
        public var skippedTicks: [String: Int]
        /// What the source's rate-limit headers last said was left; nil when it sends none.
        public var rateLimitRemaining: Int?

        enum CodingKeys: String, CodingKey {
            case name, partnership, up, runs, failures, samples, errors
            case lastSuccess = "last_success"
            case lastError = "last_error"
            case lastDurationSeconds = "last_duration_seconds"
            case samplesTotal = "samples_total"
            case droppedSeriesTotal = "dropped_series_total"
            case skippedTicks = "skipped_ticks"
            case rateLimitRemaining = "rate_limit_remaining"
        }
    }

    enum CodingKeys: String, CodingKey {
        case collectors
        case lastUpdated = "last_updated"
    }
}
