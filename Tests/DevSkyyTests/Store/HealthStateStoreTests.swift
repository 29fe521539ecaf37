import DevSkyyCore
import DevSkyyStore
import DevSkyyTestSupport
import Testing

@Suite("Health states kept in Redis")
struct HealthStateStoreTests {
    @Test func savedStatesReadBackAndRemovedRulesDisappear() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let keys = RedisKeys(prefix: "hs")
        let store = HealthStateStore(client: client, keys: keys)
        let uptime = HealthStateStore.MetricRecord(
            partnership: "technical", metric: "system_uptime", state: "critical", since: 1_000, value: 98.5, lastSampleAt: 4_000)
        let latency = HealthStateStore.MetricRecord(
            partnership: "technical", metric: "api_response_time", state: "unknown", since: 2_000, value: nil, lastSampleAt: nil)
        try await store.save([
            .init(
                partnership: "technical", label: "critical", score: 25, reasons: ["system_uptime 98.5 < 99"], metrics: [uptime, latency],
                updated: 5_000)
        ])
        #expect(try await store.load(partnerships: ["technical", "brand"]) == [latency, uptime])

        // The documented fields, for other tools.
        let hash = try await client.command(["HGETALL", keys.health("technical")]).array?.compactMap(\.string) ?? []
        let fields = Dictionary(uniqueKeysWithValues: stride(from: 0, to: hash.count, by: 2).map { (hash[$0], hash[$0 + 1]) })
        #expect(fields["label"] == "critical" && fields["score"] == "25" && fields["updated"] == "5000")
        #expect(fields["reasons"] == #"["system_uptime 98.5 < 99"]"#)
        #expect(fields["state:system_uptime"] == "critical|1000|98.5|4000")

        // A later save without a metric drops it; a field that cannot be read back is ignored.
        try await store.save([
            .init(partnership: "technical", label: "excellent", score: 100, reasons: [], metrics: [latency], updated: 6_000)
        ])
        _ = try await client.command(["HSET", keys.health("technical"), "state:broken", "no-pipes-here"])
        #expect(try await store.load(partnerships: ["technical"]) == [latency])
    }

    @Test func aKeyOfTheWrongTypeIsReplaced() async throws {
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let keys = RedisKeys(prefix: "hs2")
        let store = HealthStateStore(client: client, keys: keys)
        _ = try await client.command(["SET", keys.health("technical"), "not a hash"])
        try await store.save([Self.technical])
        #expect(try await store.load(partnerships: ["technical"]) == Self.technical.metrics)
    }

    @Test func saveThrowsWhenRedisRefusesTheWrite() async throws {
        // Redis out of memory refuses the writes as they are queued and discards the transaction: nothing is saved,
        // and save says so instead of returning as if it had.
        let redis = try await RedisServer()
        defer { redis.stop() }
        let client = try redis.client()
        let store = HealthStateStore(client: client, keys: RedisKeys(prefix: "hs3"))
        _ = try await client.command(["CONFIG", "SET", "maxmemory-policy", "noeviction"])
        _ = try await client.command(["CONFIG", "SET", "maxmemory", "1"])
        let error = await #expect(throws: RedisError.self) { try await store.save([Self.technical]) }
        #expect(error?.message.hasPrefix("OOM") == true && error?.message.contains("in a transaction") == true, "\(error?.message ?? "")")
        _ = try await client.command(["CONFIG", "SET", "maxmemory", "0"])
        #expect(try await store.load(partnerships: ["technical"]).isEmpty)
    }

    static let technical = HealthStateStore.PartnershipRecord(
        partnership: "technical", label: "excellent", score: 100, reasons: [],
        metrics: [.init(partnership: "technical", metric: "system_uptime", state: "ok", since: 1_000, value: 99.9, lastSampleAt: 2_000)],
        updated: 3_000)
}
