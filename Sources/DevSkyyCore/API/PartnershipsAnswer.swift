/// The answer of `GET /api/v1/partnerships`: every partnership with its health, score, progress and deliverables.
public struct PartnershipsAnswer: Codable, Sendable, Equatable {
    public var partnerships: [Partnership]

    public struct Partnership: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        /// technical, brand, visual or customer.
        public var type: String
        /// excellent, good, warning or critical.
        public var health: String
        /// 0 to 100.
        public var score: Double
        /// The mean completion of the deliverables; nil without deliverables.
        public var progress: Double?
        public var deliverables: [DeliverableAnswer]
        /// ISO 8601: the newest of the last sample and the last deliverable change; nil before either.
        public var lastUpdated: String?

        enum CodingKeys: String, CodingKey {
            case id, name, type, health, score, progress, deliverables
            case lastUpdated = "last_updated"
        }
    }
}

/// A deliverable as the partnership routes list it and as `PUT …/deliverables/{deliverable_id}` answers it.
public struct DeliverableAnswer: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// Seed 001's name for the completion, 0 to 100.
    public var progress: Double
    /// The same value under the name the update sends.
    public var completionPercentage: Double
    public var status: String
    /// ISO 8601; nil before the first update.
    public var lastUpdated: String?

    enum CodingKeys: String, CodingKey {
        case id, name, progress, status
        case completionPercentage = "completion_percentage"
        case lastUpdated = "last_updated"
    }
}

/// The body of `PUT /api/v1/partnerships/{id}/deliverables/{deliverable_id}`: the completion, the status, or both
/// (a field left nil is not sent).
public struct DeliverableUpdateRequest: Codable, Sendable, Equatable {
    /// 0 to 100.
    public var completionPercentage: Double?
    /// At most 200 characters.
    public var status: String?

    public init(completionPercentage: Double? = nil, status: String? = nil) {
        self.completionPercentage = completionPercentage
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case completionPercentage = "completion_percentage"
        case status
    }
}
