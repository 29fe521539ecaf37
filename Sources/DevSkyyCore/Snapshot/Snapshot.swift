/// Everything the query server answers from memory, computed once per change and never mutated.
public struct Snapshot: Sendable {
    public struct PartnershipView: Sendable, Equatable {
        public var partnership: Partnership
        public var health: PartnershipHealth
        /// Fresh values by series name within the partnership (`metric` or `metric,label=value`).
        public var metrics: [(name: String, value: Double)]
        /// The value of the partnership's key metric, for the seeds' type-specific field.
        public var keyValue: Double?
        /// The newest sample time, unix ms.
        public var lastUpdated: Int64?

        public static func == (a: Self, b: Self) -> Bool {
            a.partnership == b.partnership && a.health == b.health && a.keyValue == b.keyValue
                && a.lastUpdated == b.lastUpdated && a.metrics.elementsEqual(b.metrics) { $0 == $1 }
        }
    }

    public var generatedAt: Int64
    public var status: SystemStatus
    public var redis: RedisStatus
    public var partnerships: [PartnershipView]
    public var collectors: [CollectorStatus]
    /// Fresh samples, sorted by series name.
    public var samples: [Sample]

    public init(
        generatedAt: Int64, status: SystemStatus, redis: RedisStatus, partnerships: [PartnershipView],
        collectors: [CollectorStatus], samples: [Sample]
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
