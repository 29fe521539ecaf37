/// A partnership as declared in the configuration.
public struct Partnership: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case technical, brand, visual, customer

        /// The seeds' type-specific field in health responses (uptime for technical, and so on).
        public var keyField: String {
            switch self {
            case .technical: "uptime"
            case .brand: "engagement"
            case .visual: "accuracy"
            case .customer: "satisfaction"
            }
        }
    }

    public struct Deliverable: Sendable, Equatable {
        public var id: String
        public var name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public var id: String
    public var name: String
    public var kind: Kind
    /// The metric reported as the type-specific field of health responses.
    public var keyMetric: String?
    public var deliverables: [Deliverable]

    public init(id: String, name: String, kind: Kind, keyMetric: String? = nil, deliverables: [Deliverable] = []) {
        self.id = id
        self.name = name
        self.kind = kind
        self.keyMetric = keyMetric
        self.deliverables = deliverables
    }
}
