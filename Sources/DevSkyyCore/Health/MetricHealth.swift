/// One metric's health under its threshold rule: a state machine fed samples and clock ticks.
///
/// Pure: every time comes in as an argument (unix ms), so it is driven and tested without a clock.
/// A level (`warning`, `critical`) fires after `hits` consecutive samples at or beyond it spanning
/// `for`; from `ok` or `unknown` the metric is `pending` meanwhile, from `warning` it stays
/// `warning`. A firing level holds until the value gets past its `clear` level, and then for
/// `keep_firing_for` after the last sample at it. No sample for `missingAfter` moves it to the
/// rule's missing state.
public struct MetricHealth: Sendable, Equatable {
    public private(set) var state: MetricState
    /// Unix ms the current state began.
    public private(set) var since: Int64
    /// The last observed value.
    public private(set) var value: Double?
    public private(set) var lastSampleAt: Int64?

    /// What recent samples say about one level.
    private struct Track: Sendable, Equatable {
        /// The first of the current run of consecutive samples at or beyond the level; nil when the last was not.
        var runStart: Int64?
        var hits = 0
        /// The last sample at or beyond the level, for keep_firing_for.
        var lastAt: Int64?

        mutating func record(_ atLevel: Bool, at time: Int64) {
            if atLevel {
                runStart = runStart ?? time
                hits += 1
                lastAt = time
            } else {
                runStart = nil
                hits = 0
            }
        }
    }

    private var warning = Track()
    private var critical = Track()
    /// The level of the last sample, with hysteresis; nil before the first sample and once data went missing.
    private(set) var lastLevel: MetricState?

    /// Most severe first, for the loops below: a static array is not allocated per sample.
    private static let levels: [MetricState] = [.critical, .warning]

    /// A new machine, or one restored after a restart. A restored breach starts counting its
    /// `hits` and `for` again; a restored firing level keeps firing as if its last sample were at it.
    public init(state: MetricState = .unknown, since: Int64, value: Double? = nil, lastSampleAt: Int64? = nil) {
        self.state = state
        self.since = since
        self.value = value
        self.lastSampleAt = lastSampleAt
        if state.rank > 0, let lastSampleAt, value != nil {
            warning.lastAt = lastSampleAt
            if state == .critical { critical.lastAt = lastSampleAt }
            lastLevel = state
        }
    }

    /// Feeds one sample; returns the transition when the state changes.
    public mutating func observe(_ value: Double, at time: Int64, rule: ThresholdRule) -> MetricTransition? {
        // A sample older than the last one (a source's clock going back) would rewrite history.
        if let last = lastSampleAt, time < last { return nil }
        var firing = firingLevel
        // A gap as long as `missingAfter` breaks runs and holds, whether or not `check` saw it.
        if let last = lastSampleAt, time - last >= rule.missingAfter.milliseconds {
            forgetSamples()
            firing = .ok
        }
        let level = rule.level(of: value, firing: firing)
        self.value = value
        lastSampleAt = time
        lastLevel = level
        warning.record(level.rank >= MetricState.warning.rank, at: time)
        critical.record(level == .critical, at: time)
        return settle(at: time, rule: rule, firing: firing)
    }

    /// Moves on with the clock alone: data going missing, `for` elapsing since the last sample,
    /// keep_firing_for expiring.
    public mutating func check(now: Int64, rule: ThresholdRule) -> MetricTransition? {
        if now - (lastSampleAt ?? since) >= rule.missingAfter.milliseconds {
            forgetSamples()
            guard state != rule.missingState else { return nil }
            let text = "\(rule.metric): no sample for \(DurationParser.format(rule.missingAfter))"
            return move(to: rule.missingState, at: now, value: nil, reason: text, bound: nil)
        }
        guard lastLevel != nil else { return nil }
        return settle(at: now, rule: rule, firing: firingLevel)
    }

    /// The level that currently fires: `warning` or `critical` from a breach, else `ok`. A missing
    /// state never holds like a breach: it has no sample yet, or the next sample comes after a gap
    /// as long as `missingAfter`, which `observe` treats as a fresh start.
    private var firingLevel: MetricState {
        state.rank > 0 && lastSampleAt != nil ? state : .ok
    }

    private mutating func forgetSamples() {
        warning = Track()
        critical = Track()
        lastLevel = nil
    }

    /// Moves to the state the last sample and the tracks call for at `time`.
    private mutating func settle(at time: Int64, rule: ThresholdRule, firing: MetricState) -> MetricTransition? {
        guard let level = lastLevel else { return nil }
        let target: MetricState
        if let ready = readyLevel(at: time, rule: rule), ready.rank > firing.rank {
            target = ready
        } else {
            let held = heldLevel(at: time, upTo: firing, rule: rule)
            target = held == .ok && level != .ok ? .pending : held
        }
        guard target != state else { return nil }
        let (text, bound) = transitionReason(to: target, rule: rule)
        return move(to: target, at: time, value: value, reason: text, bound: bound)
    }

    /// The most severe level whose run has both its hits and its duration by `time`.
    private func readyLevel(at time: Int64, rule: ThresholdRule) -> MetricState? {
        for level in Self.levels {
            let track = track(level)
            if let start = track.runStart, track.hits >= rule.hits, time - start >= rule.forDuration.milliseconds { return level }
        }
        return nil
    }

    /// The most severe level up to `firing` that still holds at `time`: the last sample is at it,
    /// or keep_firing_for has not passed since the last one that was.
    private func heldLevel(at time: Int64, upTo firing: MetricState, rule: ThresholdRule) -> MetricState {
        for level in Self.levels where level.rank <= firing.rank {
            if let lastLevel, lastLevel.rank >= level.rank { return level }
            if let at = track(level).lastAt, time - at < rule.keepFiringFor.milliseconds { return level }
        }
        return .ok
    }

    private func track(_ level: MetricState) -> Track {
        level == .critical ? critical : warning
    }

    private mutating func move(to target: MetricState, at time: Int64, value: Double?, reason: String, bound: Double?) -> MetricTransition?
    {
        guard target != state else { return nil }
        let transition = MetricTransition(from: state, to: target, value: value, reason: reason, bound: bound, at: time)
        state = target
        since = time
        return transition
    }
}

/// A change of a metric's state, with what caused it.
public struct MetricTransition: Sendable, Equatable {
    public var from: MetricState
    public var to: MetricState
    /// The value that caused it; nil when data went missing.
    public var value: Double?
    /// Human-readable: the value against the bound, or how long data has been missing.
    public var reason: String
    /// The bound (or clear level) the value was measured against.
    public var bound: Double?
    /// Unix ms.
    public var at: Int64

    public init(from: MetricState, to: MetricState, value: Double?, reason: String, bound: Double?, at: Int64) {
        self.from = from
        self.to = to
        self.value = value
        self.reason = reason
        self.bound = bound
        self.at = at
    }
}
