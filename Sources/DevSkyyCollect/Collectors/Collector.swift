import DevSkyyCore

/// A source of samples, run by the scheduler at its interval.
public protocol Collector: Sendable {
    var name: String { get }
    var partnership: String { get }
    var interval: Duration { get }
    /// Collects once. Throws `CollectError` when nothing could be read.
    func collect(timestamp: Int64) async throws(CollectError) -> CollectOutcome
}

/// What a source said about its rate limit.
public struct RateLimit: Sendable, Equatable {
    /// Requests left in the current window.
    public var remaining: Int?
    /// When the window resets, unix ms.
    public var resetAt: Int64?

    public init(remaining: Int? = nil, resetAt: Int64? = nil) {
        self.remaining = remaining
        self.resetAt = resetAt
    }

    /// The time before which no request should be sent, when the budget is spent.
    public var pauseUntil: Int64? { remaining == 0 ? resetAt : nil }
}

/// What one successful run produced.
public struct CollectOutcome: Sendable {
    public var samples: [Sample]
    /// Paths that matched nothing usable: the run still counts as up.
    public var problems: [String]
    public var rateLimit: RateLimit?
    /// Series past the collector's `max_series`, left out of this run.
    public var droppedSeries: Int = 0
    /// The source answered 304: the samples are the last values, re-stamped.
    public var notModified = false
    public var pages = 1

    public init(samples: [Sample], problems: [String], rateLimit: RateLimit? = nil) {
        self.samples = samples
        self.problems = problems
        self.rateLimit = rateLimit
    }
}

/// Why a run produced nothing; the message never holds header values or other secrets.
public struct CollectError: Error, Sendable, CustomStringConvertible {
    /// A short machine-readable cause: `timeout`, `connect`, `http_500`, `rate_limited`, `parse`, ...
    public var reason: String
    public var message: String
    /// How long the source asked us to wait (`Retry-After`).
    public var retryAfter: Duration?
    public var rateLimit: RateLimit?

    public init(reason: String, message: String, retryAfter: Duration? = nil, rateLimit: RateLimit? = nil) {
        self.reason = reason
        self.message = message
        self.retryAfter = retryAfter
        self.rateLimit = rateLimit
    }

    public var description: String { message }
}
