/// Warning and critical bounds on one metric of one partnership.
public struct ThresholdRule: Sendable, Equatable {
    public struct Bounds: Sendable, Equatable {
        public var above: Double?
        public var below: Double?

        public init(above: Double? = nil, below: Double? = nil) {
            self.above = above
            self.below = below
        }

        /// Whether the value lies outside these bounds, and the bound it crossed.
        public func breach(by value: Double) -> (bound: Double, comparison: String)? {
            if let above, value > above { return (above, ">") }
            if let below, value < below { return (below, "<") }
            return nil
        }
    }

    public var partnership: String
    public var metric: String
    public var warning: Bounds?
    public var critical: Bounds?
    /// How long a breach must last before it counts.
    public var forDuration: Duration

    public init(
        partnership: String,
        metric: String,
        warning: Bounds? = nil,
        critical: Bounds? = nil,
        forDuration: Duration = .zero
    ) {
        self.partnership = partnership
        self.metric = metric
        self.warning = warning
        self.critical = critical
        self.forDuration = forDuration
    }
}
