import DevSkyyCore

/// When a collector may run again: exponential backoff with jitter after failures, `Retry-After`
/// after a 429 or 503, and a pause until the reset when a rate-limit budget is spent.
///
/// A value type driven by run outcomes; times are unix milliseconds.
public struct RunGate: Sendable, Equatable {
    public enum Pause: String, Sendable {
        case backoff, rateLimited = "rate_limited"
    }

    public let interval: Duration
    public let cap: Duration
    public private(set) var failures = 0
    public private(set) var notBefore: Int64?
    public private(set) var pause: Pause?

    public init(interval: Duration, cap: Duration) {
        self.interval = interval
        self.cap = max(cap, interval)
    }

    /// A run succeeded; a spent budget pauses until its reset.
    public mutating func succeeded(now: Int64, rateLimit: RateLimit?) {
        failures = 0
        if let until = rateLimit?.pauseUntil, until > now {
            notBefore = heldToCap(until, now: now)
            pause = .rateLimited
        } else {
            notBefore = nil
            pause = nil
        }
    }

    /// A run failed. `jitter` in 0...1 spreads retries of many collectors (the caller draws it).
    public mutating func failed(now: Int64, retryAfter: Duration?, rateLimit: RateLimit?, jitter: Double) {
        failures += 1
        if let retryAfter {
            notBefore = heldToCap(Checked.adding(now, max(0, retryAfter.milliseconds)), now: now)
            pause = .rateLimited
        } else if let until = rateLimit?.pauseUntil, until > now {
            notBefore = heldToCap(until, now: now)
            pause = .rateLimited
        } else {
            // interval, 2×, 4×, … up to the cap; each scaled into [½, 1] of itself by the jitter.
            let exponent = min(failures - 1, 30)
            let full = min(Double(interval.milliseconds) * Double(1 << exponent), Double(cap.milliseconds))
            let scale = jitter.isNaN ? 1 : 0.5 + 0.5 * min(max(jitter, 0), 1)
            let delay = Checked.int64(full * scale, clampedTo: 0...cap.milliseconds) ?? cap.milliseconds
            notBefore = failures == 1 ? nil : Checked.adding(now, delay)
            pause = notBefore == nil ? nil : .backoff
        }
    }

    /// A pause a source asked for (`Retry-After`, a rate-limit reset), held to the backoff cap: a source
    /// cannot stop its collector for longer than `collection.backoff_max` whatever it sends.
    private func heldToCap(_ until: Int64, now: Int64) -> Int64 {
        min(until, Checked.adding(now, cap.milliseconds))
    }

    /// Why a tick at `now` may not run, or nil when it may.
    public func blocked(now: Int64) -> Pause? {
        guard let notBefore, now < notBefore else { return nil }
        return pause
    }
}
