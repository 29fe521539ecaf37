/// Everything the query server answers from memory, computed once per change and never mutated.
public struct Snapshot: Sendable {
    public struct PartnershipView: Sendable, Equatable {
        public var partnership: Partnership
        public var health: PartnershipHealth
        /// The partnership's fresh samples.
        public var samples: SampleGroups
        /// The value of the partnership's key metric, for the seeds' type-specific field.
        public var keyValue: Double?
        /// The newest sample time, unix ms.
        public var lastUpdated: Int64?

        public init(partnership: Partnership, health: PartnershipHealth, samples: SampleGroups, keyValue: Double?, lastUpdated: Int64?) {
            self.partnership = partnership
            self.health = health
            self.samples = samples
            self.keyValue = keyValue
            self.lastUpdated = lastUpdated
        }

        /// Fresh values by series name within the partnership (`metric` or `metric,label=value`).
        public var metrics: [(name: String, value: Double)] { samples.map { ($0.localName, $0.value) } }
    }

    public var generatedAt: Int64
    /// Increases with every snapshot taken, whatever the wall clock does: newer replaces older.
    public var sequence: Int = 0
    public var status: SystemStatus
    public var redis: RedisStatus
    /// The writer's counters and the outbox; empty until the writer reports.
    public var store = StoreStatus()
    /// The events stream's and the notifiers' counters; empty until they report.
    public var events = EventStatus()
    public var partnerships: [PartnershipView]
    public var collectors: [CollectorStatus]
    /// Fresh samples, collector by collector in configuration order.
    public var samples: SampleGroups

    public init(
        generatedAt: Int64, status: SystemStatus, redis: RedisStatus, partnerships: [PartnershipView],
        collectors: [CollectorStatus], samples: SampleGroups
    ) {
        self.generatedAt = generatedAt
        self.status = status
        self.redis = redis
        self.partnerships = partnerships
        self.collectors = collectors
        self.samples = samples
    }

    /// A one-line summary for systemd's STATUS=.
    public var summary: String {
        let up = collectors.filter(\.up).count
        let redisText: String
        switch redis.up {
        case true?: redisText = "redis up"
        case false?: redisText = "redis DOWN (retrying)"
        case nil: redisText = "redis connecting"
        }
        return "\(status.rawValue); collectors \(up)/\(collectors.count) up; \(redisText); \(samples.count) series"
    }
}
