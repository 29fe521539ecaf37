import DevSkyyCore
import Foundation

/// Keeps each partnership's health in `{prefix}:health:{partnership}` and reads the metric states back at
/// start, so a restart resumes every state instead of starting from `unknown` (and notifies nobody).
///
/// The hash holds `label`, `score`, `reasons` (a JSON array of texts), `updated` (unix ms) and one
/// `state:{metric}` field per rule: `state|since|value|lastSampleAt`, empty where absent.
public struct HealthStateStore: Sendable {
    /// One metric's state as stored.
    public struct MetricRecord: Sendable, Equatable {
        public var partnership: String
        public var metric: String
        public var state: String
        public var since: Int64
        public var value: Double?
        public var lastSampleAt: Int64?

        public init(partnership: String, metric: String, state: String, since: Int64, value: Double?, lastSampleAt: Int64?) {
            self.partnership = partnership
            self.metric = metric
            self.state = state
            self.since = since
            self.value = value
            self.lastSampleAt = lastSampleAt
        }

        var encoded: String {
            [state, String(since), value.map(\.compactText) ?? "", lastSampleAt.map { String($0) } ?? ""].joined(separator: "|")
        }

        /// Nil for a field written by something else: a state that cannot be read back is not restored.
        init?(partnership: String, field: String, text: String) {
            guard field.hasPrefix(Self.fieldPrefix) else { return nil }
            let parts = text.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == 4, !parts[0].isEmpty, let since = Int64(parts[1]) else { return nil }
            self.init(
                partnership: partnership, metric: String(field.dropFirst(Self.fieldPrefix.count)), state: String(parts[0]),
                since: since, value: Double(parts[2]), lastSampleAt: Int64(parts[3])
            )
        }

        static let fieldPrefix = "state:"
    }

    /// A partnership's whole health, written at once.
    public struct PartnershipRecord: Sendable, Equatable {
        public var partnership: String
        public var label: String
        public var score: Double
        public var reasons: [String]
        public var metrics: [MetricRecord]
        public var updated: Int64

        public init(partnership: String, label: String, score: Double, reasons: [String], metrics: [MetricRecord], updated: Int64) {
            self.partnership = partnership
            self.label = label
            self.score = score
            self.reasons = reasons
            self.metrics = metrics
            self.updated = updated
        }
    }

    private let client: RedisClient
    private let keys: RedisKeys

    public init(client: RedisClient, keys: RedisKeys) {
        self.client = client
        self.keys = keys
    }

    /// Replaces each partnership's hash in one MULTI/EXEC, so readers never see half an update and
    /// metrics whose rule was removed disappear.
    public func save(_ records: [PartnershipRecord]) async throws(RedisError) {
        guard !records.isEmpty else { return }
        var commands: [[String]] = []
        for record in records {
            let key = keys.health(record.partnership)
            let reasons = (try? JSONSerialization.data(withJSONObject: record.reasons)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
            var hset = [
                "HSET", key, "label", record.label, "score", record.score.compactText, "reasons", reasons, "updated",
                String(record.updated),
            ]
            for metric in record.metrics { hset += [MetricRecord.fieldPrefix + metric.metric, metric.encoded] }
            commands += [["DEL", key], hset]
        }
        _ = try await client.transaction(commands)
    }

    /// The stored metric states of these partnerships.
    public func load(partnerships: [String]) async throws(RedisError) -> [MetricRecord] {
        guard !partnerships.isEmpty else { return [] }
        let replies = try await client.pipeline(partnerships.map { ["HGETALL", keys.health($0)] })
        var records: [MetricRecord] = []
        for (partnership, reply) in zip(partnerships, replies) {
            let items = reply.array?.compactMap(\.string) ?? []
            for index in stride(from: 0, to: items.count - 1, by: 2) {
                if let record = MetricRecord(partnership: partnership, field: items[index], text: items[index + 1]) {
                    records.append(record)
                }
            }
        }
        return records.sorted { ($0.partnership, $0.metric) < ($1.partnership, $1.metric) }
    }
}
