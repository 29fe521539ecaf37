/// Names one rule's metric: the key of its health state, in memory and when persisted.
public struct MetricKey: Sendable, Hashable, CustomStringConvertible {
    public var partnership: String
    public var metric: String

    public init(partnership: String, metric: String) {
        self.partnership = partnership
        self.metric = metric
    }

    /// `partnership.metric`: the entity of its events.
    public var description: String { "\(partnership).\(metric)" }
}
