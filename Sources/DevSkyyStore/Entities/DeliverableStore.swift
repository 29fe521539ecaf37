import DevSkyyCore

/// Deliverable progress kept in Redis, one hash per deliverable: `{prefix}:entity:deliverable:{partnership}:{id}`
/// with `completion_percentage`, `status` and `updated` (unix ms).
///
/// Deliverables are declared in the configuration; a deliverable never updated reads as the defaults
/// (`DeliverableProgress.defaultCompletion`, `.defaultStatus`). Because the values live in Redis, they survive
/// restarts and every daemon sharing the Redis sees the same progress.
public struct DeliverableStore: Sendable {
    /// An update as stored: the progress before and after it.
    public struct Change: Sendable, Equatable {
        public var old: DeliverableProgress
        public var new: DeliverableProgress

        public init(old: DeliverableProgress, new: DeliverableProgress) {
            self.old = old
            self.new = new
        }
    }

    private let client: RedisClient
    private let keys: RedisKeys

    public init(client: RedisClient, keys: RedisKeys) {
        self.client = client
        self.keys = keys
    }

    /// The progress of these deliverables of one partnership, read in one pipeline, in the order given.
    public func progress(partnership: String, deliverables: [String]) async throws(RedisError) -> [DeliverableProgress] {
        try await progress(pairs: deliverables.map { (partnership: partnership, id: $0) })
    }

    /// The progress of every deliverable of these partnerships, in one pipeline, by partnership id.
    public func progress(of partnerships: [Partnership]) async throws(RedisError) -> [String: [DeliverableProgress]] {
        let all = try await progress(pairs: partnerships.flatMap { p in p.deliverables.map { (partnership: p.id, id: $0.id) } })
        var result = Dictionary(partnerships.map { ($0.id, [DeliverableProgress]()) }, uniquingKeysWith: { first, _ in first })
        for item in all { result[item.partnership, default: []].append(item) }
        return result
    }

    private func progress(pairs: [(partnership: String, id: String)]) async throws(RedisError) -> [DeliverableProgress] {
        guard !pairs.isEmpty else { return [] }
        let replies = try await client.pipeline(
            pairs.map { ["HMGET", keys.deliverable(partnership: $0.partnership, id: $0.id)] + DeliverableProgress.fields })
        if let failure = replies.compactMap(\.error).first { throw RedisError.reply(failure) }
        return zip(pairs, replies).map { DeliverableProgress(partnership: $0.partnership, id: $0.id, reply: $1) }
    }

    /// Sets the given fields (and `updated`) with HSET and returns the progress before and after.
    ///
    /// The read of the old values and the write are one MULTI/EXEC, so concurrent updates each see the value the
    /// other left and the recorded change is exact.
    public func update(
        partnership: String, id: String, completion: Double?, status: String?, at time: Int64
    ) async throws(RedisError) -> Change {
        let key = keys.deliverable(partnership: partnership, id: id)
        var hset = ["HSET", key]
        if let completion { hset += ["completion_percentage", completion.compactText] }
        if let status { hset += ["status", status] }
        hset += ["updated", String(time)]
        let results = try await client.transaction([["HMGET", key] + DeliverableProgress.fields, hset])
        let old = DeliverableProgress(partnership: partnership, id: id, reply: results[0])
        return Change(old: old, new: old.updating(completion: completion, status: status, at: time))
    }
}
