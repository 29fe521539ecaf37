import DevSkyyCore

/// How far one deliverable of a partnership has come, as stored in Redis or, until a first update, the defaults.
public struct DeliverableProgress: Sendable, Equatable {
    /// What a deliverable reads as before anyone set it.
    public static let defaultCompletion = 0.0
    public static let defaultStatus = "not_started"

    public var partnership: String
    public var id: String
    /// 0 to 100.
    public var completion: Double
    public var status: String
    /// Unix ms of the last update; nil while the defaults apply.
    public var updated: Int64?

    public init(
        partnership: String, id: String, completion: Double = Self.defaultCompletion, status: String = Self.defaultStatus,
        updated: Int64? = nil
    ) {
        self.partnership = partnership
        self.id = id
        self.completion = completion
        self.status = status
        self.updated = updated
    }

    /// The hash fields, in the order `HMGET` asks for them.
    static let fields = ["completion_percentage", "status", "updated"]

    /// Reads an `HMGET` reply of `fields`; a field that is absent or cannot be read keeps its default, so a hash
    /// written by hand never breaks the partnership's answers.
    init(partnership: String, id: String, reply: RedisReply) {
        self.init(partnership: partnership, id: id)
        let values = reply.array ?? []
        func field(_ index: Int) -> String? { index < values.count ? values[index].string : nil }
        if let completion = field(0).flatMap(Double.init), completion.isFinite, (0...100).contains(completion) {
            self.completion = completion
        }
        if let status = field(1), !status.isEmpty { self.status = status }
        updated = field(2).flatMap { Int64($0) }
    }

    /// This progress with the given fields replaced, stamped `time`.
    func updating(completion: Double?, status: String?, at time: Int64) -> DeliverableProgress {
        var next = self
        if let completion { next.completion = completion }
        if let status { next.status = status }
        next.updated = time
        return next
    }
}
