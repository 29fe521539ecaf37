/// One transition: a metric's health state, a partnership's label, a collector going up or down, or a
/// deliverable's progress changing.
///
/// Appended to the capped stream `{prefix}:events`, sent to event-stream subscribers and read by
/// the alert notifiers.
public struct HealthEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A metric's state (`ok`, `pending`, `warning`, `critical`, `unknown`); entity `partnership.metric`.
        case metric
        /// A partnership's label (`excellent`, `good`, `degraded`, `critical`); entity `partnership`.
        case partnership
        /// A collector's `up` / `down`; entity the collector's name.
        case collector
        /// A deliverable's progress set through the API: `from` / `to` are the completion percentages before and
        /// after; entity `partnership/deliverable`.
        case deliverable
    }

    /// Unix milliseconds.
    public var time: Int64
    public var kind: Kind
    public var entity: String
    public var partnership: String?
    /// Set for `metric` events.
    public var metric: String?
    public var from: String
    public var to: String
    /// The value that caused the transition, when there is one.
    public var value: Double?
    /// Human-readable: the value and the bound it crossed, or why data is missing.
    public var reason: String
    /// The stream entry ID (`1700000000000-0`) once stored; nil before.
    public var id: String?

    public init(
        time: Int64, kind: Kind, entity: String, partnership: String? = nil, metric: String? = nil, from: String, to: String,
        value: Double? = nil, reason: String, id: String? = nil
    ) {
        self.time = time
        self.kind = kind
        self.entity = entity
        self.partnership = partnership
        self.metric = metric
        self.from = from
        self.to = to
        self.value = value
        self.reason = reason
        self.id = id
    }
}
