/// Warning and critical bounds on one metric of one partnership, and how a breach fires and clears.
public struct ThresholdRule: Sendable, Equatable {
    /// The metric this rule judges.
    public var key: MetricKey { MetricKey(partnership: partnership, metric: metric) }

    /// One level's bounds: a value above `above` or below `below` breaches it.
    public struct Bounds: Sendable, Equatable {
        public var above: Double?
        public var below: Double?
        /// Hysteresis: once the level fires, the value must get back past this (not just the bound) to leave it.
        /// Only with exactly one of `above` and `below`, on its recovering side.
        public var clear: Double?

        public init(above: Double? = nil, below: Double? = nil, clear: Double? = nil) {
            self.above = above
            self.below = below
            self.clear = clear
        }

        /// Whether the value lies outside these bounds, and the bound it crossed.
        public func breach(by value: Double) -> (bound: Double, comparison: String)? {
            if let above, value > above { return (above, ">") }
            if let below, value < below { return (below, "<") }
            return nil
        }

        /// Whether a value still counts as breaching while this level fires: until it gets past `clear`.
        public func holds(_ value: Double) -> Bool {
            guard let clear else { return breach(by: value) != nil }
            switch (above, below) {
            case (nil, .some): return value < clear
            case (.some, nil): return value > clear
            default: return breach(by: value) != nil
            }
        }

        /// The bound a reason names for this value: the one crossed, else the nearer one.
        func nearestBound(to value: Double) -> Double? {
            switch (above, below) {
            case (let above?, let below?): abs(value - above) <= abs(value - below) ? above : below
            case (let above?, nil): above
            case (nil, let below?): below
            case (nil, nil): nil
            }
        }
    }

    public var partnership: String
    public var metric: String
    public var warning: Bounds?
    public var critical: Bounds?
    /// How long a breach must last, from its first breaching sample, before its level fires.
    public var forDuration: Duration
    /// How many consecutive breaching samples a level needs before it fires.
    public var hits: Int
    /// Once firing, how long the level stays after the last sample at that level.
    public var keepFiringFor: Duration
    /// How long without a sample before the metric goes to `missingState`; the decoder resolves
    /// `missing.after` intervals of the metric's collectors into this.
    public var missingAfter: Duration
    /// `unknown` or `critical`.
    public var missingState: MetricState
    /// The rule's weight in its partnership's score.
    public var weight: Double

    public init(
        partnership: String,
        metric: String,
        warning: Bounds? = nil,
        critical: Bounds? = nil,
        forDuration: Duration = .zero,
        hits: Int = 1,
        keepFiringFor: Duration = .zero,
        missingAfter: Duration = .seconds(90),
        missingState: MetricState = .unknown,
        weight: Double = 1
    ) {
        self.partnership = partnership
        self.metric = metric
        self.warning = warning
        self.critical = critical
        self.forDuration = forDuration
        self.hits = hits
        self.keepFiringFor = keepFiringFor
        self.missingAfter = missingAfter
        self.missingState = missingState
        self.weight = weight
    }

    /// The bounds of a firing level (`warning` or `critical`).
    public func bounds(of level: MetricState) -> Bounds? {
        switch level {
        case .warning: warning
        case .critical: critical
        default: nil
        }
    }

    /// The level a value stands at (`ok`, `warning` or `critical`) while `firing` fires: a firing level,
    /// and those below it, hold until the value gets past their `clear`.
    /// Called for every sample that has a rule: no allocation.
    public func level(of value: Double, firing: MetricState) -> MetricState {
        if let critical, firing == .critical ? critical.holds(value) : critical.breach(by: value) != nil { return .critical }
        if let warning, firing.rank >= MetricState.warning.rank ? warning.holds(value) : warning.breach(by: value) != nil {
            return .warning
        }
        return .ok
    }
}
