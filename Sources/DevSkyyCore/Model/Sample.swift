/// One collected value of one series at one time.
public struct Sample: Sendable, Equatable {
    public var partnership: String
    public var metric: String
    /// Label pairs, sorted by name.
    public var labels: [Label]
    /// Unix time in milliseconds.
    public var timestamp: Int64
    public var value: Double
    /// The stable series name: `{partnership}.{metric}` then `,name=value` per label, sorted by name.
    public let series: String

    public struct Label: Sendable, Equatable, Comparable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }

        public static func < (a: Label, b: Label) -> Bool { (a.name, a.value) < (b.name, b.value) }

        /// A sample's own labels plus a collector's fixed ones; a label the sample has already wins.
        public static func adding(_ fixed: [Label], to own: [Label]) -> [Label] {
            guard !fixed.isEmpty else { return own }
            return own + fixed.filter { label in !own.contains { $0.name == label.name } }
        }
    }

    public init(partnership: String, metric: String, labels: [Label] = [], timestamp: Int64, value: Double) {
        self.partnership = partnership
        self.metric = metric
        self.labels = labels.sorted()
        self.timestamp = timestamp
        self.value = value
        self.series = Self.seriesName(partnership: partnership, metric: metric, labels: self.labels)
    }

    /// The series name without the partnership: the key of this value inside its partnership.
    public var localName: String { String(series.dropFirst(partnership.count + 1)) }

    static func seriesName(partnership: String, metric: String, labels: [Label]) -> String {
        var name = "\(partnership).\(metric)"
        for label in labels { name += ",\(label.name)=\(label.value)" }
        return name
    }
}
