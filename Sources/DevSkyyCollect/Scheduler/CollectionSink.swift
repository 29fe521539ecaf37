import DevSkyyCore

/// Why a collector's tick did not run.
public enum SkipReason: String, Sendable, CaseIterable {
    /// The previous run (or its wait for a fetch slot) was still going.
    case inFlight = "in_flight"
    /// The scheduler woke after the tick had passed by a whole interval.
    case late
    /// Backing off after failures.
    case backoff
    /// `Retry-After` or a spent rate-limit budget.
    case rateLimited = "rate_limited"
}

/// Receives the outcome of every collector run, and every tick that did not run.
public protocol CollectionSink: Sendable {
    func collected(
        collector: String, result: Result<CollectOutcome, CollectError>, timestamp: Int64, duration: Duration
    ) async
    /// `count` ticks of this collector did not run for this reason.
    func skipped(collector: String, reason: SkipReason, count: Int) async
}
